package com.novotechno.collections.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.testing.HttpProbe;
import com.novotechno.collections.testing.RunningService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running service answers its health and metrics endpoints on 127.0.0.1. */
class HealthEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aRunningServiceIsLiveAndReadyAndServesItsMetrics() throws Exception {
        try (RunningService running = RunningService.start(temp.resolve("data"))) {
            HttpProbe.Answer live = HttpProbe.get(running.httpPort, "/health/live");
            assertThat(live.status()).as(live.body()).isEqualTo(200);
            assertThat(live.contentType()).startsWith("application/json");
            assertThat(JSON.readTree(live.body()).path("status").asText()).isEqualTo("UP");

            HttpProbe.Answer ready = HttpProbe.get(running.httpPort, "/health/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            JsonNode readyBody = JSON.readTree(ready.body());
            assertThat(readyBody.findValuesAsText("id")).contains("store", "broker", "route:queue-intake", "route:file-intake");

            HttpProbe.Answer all = HttpProbe.get(running.httpPort, "/health");
            System.out.println(all.body());
            assertThat(all.status()).isEqualTo(200);
            assertThat(JSON.readTree(all.body()).path("findings").isArray()).isTrue();

            HttpProbe.Answer metrics = HttpProbe.get(running.httpPort, "/metrics");
            System.out.println(metrics.body());
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain");
        }
    }
}
