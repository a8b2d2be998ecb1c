package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.RunningService;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'health' as an exec probe: exit 0 healthy, 1 unhealthy or unreachable. */
class HealthCommandTest extends CommandLineRunner {

    @TempDir
    Path temp;

    @Test
    void exitsZeroWhileTheServiceIsReadyAndOneOnceARouteIsStoppedWhileLivenessStaysZero() throws Exception {
        try (RunningService running = RunningService.start(temp.resolve("data"))) {
            String port = "--collections.http.port=" + running.httpPort;
            // Ready once the inbox's consumer has polled once, a moment after the start.
            await().atMost(Duration.ofSeconds(30)).until(() -> run("health", port) == 0);
            assertThat(out).startsWith("health: ready UP (HTTP 200 from http://127.0.0.1:" + running.httpPort + "/health/ready)");
            assertThat(out).contains("\"status\":\"UP\"", "route:queue-intake");
            assertThat(run("health", "--live", port)).isZero();
            assertThat(out).startsWith("health: live UP");

            running.service.camelContext().getRouteController().stopRoute("file-intake");

            assertThat(run("health", "--ready", port)).isEqualTo(1);
            assertThat(out).startsWith("health: ready DOWN (HTTP 503").contains("Route file-intake has status Stopped");
            assertThat(run("health", "--live", port)).isZero();
        }
    }

    @Test
    void exitsOneNamingTheAddressWhenNoServiceAnswers() {
        int port = RunningService.freePort();
        assertThat(run("health", "--collections.http.port=" + port)).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).contains("health: no answer from http://127.0.0.1:" + port + "/health/ready",
                "collections.http.port=" + port);
    }

    @Test
    void saysThereIsNothingToAskWhenTheHttpServerIsOff() {
        assertThat(run("health", "--collections.http.enabled=false")).isEqualTo(1);
        assertThat(err).contains("collections.http.enabled=false");
    }

    @Test
    void readyAndLiveTogetherAreAUsageError() {
        assertThat(run("health", "--ready", "--live")).isEqualTo(2);
        assertThat(run("health", "--collections.http.port=99999")).isEqualTo(2);
        assertThat(err).contains("collections.http.port must be a whole number from 1 to 65535");
    }
}
