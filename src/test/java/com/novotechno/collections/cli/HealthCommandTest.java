package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.RunningService;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /** Another program on the port (Prometheus' own default is 9090) that answers 200 is not a healthy service. */
    @Test
    void anotherProgramAnsweringTwoHundredWithSomethingElseIsNotHealthy() throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            byte[] junk = "<html>Welcome \u001b[2J to nginx</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, junk.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(junk);
            }
        });
        fake.start();
        try {
            String port = "--collections.http.port=" + fake.getAddress().getPort();
            assertThat(run("health", port)).isEqualTo(1);
            assertThat(out + err).contains("not the service's answer").doesNotContain("\u001b");
            assertThat(out).doesNotContain("ready UP");
            assertThat(run("health", "--live", port)).isEqualTo(1);
        } finally {
            fake.stop(0);
        }
    }

    /** A program that answers its headers and then drips its body must not hold the probe forever. */
    @Test
    void anAnswerThatNeverEndsTimesOut() throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no end
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    body.write(' ');
                    body.flush();
                    Thread.sleep(500);
                }
            } catch (Exception gone) {
                // the client gave up
            }
        });
        fake.start();
        try {
            String port = "--collections.http.port=" + fake.getAddress().getPort();
            int exit = CompletableFuture.supplyAsync(() -> run("health", port)).get(60, TimeUnit.SECONDS);
            assertThat(exit).isEqualTo(1);
            assertThat(err).contains("no whole answer from http://127.0.0.1:" + fake.getAddress().getPort());
        } finally {
            fake.stop(0);
        }
    }
}
