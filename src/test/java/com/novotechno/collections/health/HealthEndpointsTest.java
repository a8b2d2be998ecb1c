package com.novotechno.collections.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.HttpProbe;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The running service answers its health endpoints on 127.0.0.1: liveness, readiness and findings kept apart. */
class HealthEndpointsTest extends ServiceTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A start on a loaded 2-core machine: the file consumer's first poll makes the service ready. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRunningServiceIsLiveAndReadyAndNamesEveryCheck() throws Exception {
        running = RunningService.start(data);
        HttpProbe.Answer live = HttpProbe.get(running.httpPort, "/health/live");
        assertThat(live.status()).as(live.body()).isEqualTo(200);
        assertThat(live.contentType()).startsWith("application/json");
        JsonNode liveBody = JSON.readTree(live.body());
        assertThat(liveBody.path("status").asText()).isEqualTo("UP");
        assertThat(liveBody.findValuesAsText("id")).containsExactly("context", "store");

        await().atMost(WAIT).until(() -> HttpProbe.get(running.httpPort, "/health/ready").status() == 200);
        JsonNode ready = JSON.readTree(HttpProbe.get(running.httpPort, "/health/ready").body());
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.findValuesAsText("id")).contains("context", "store", "broker", "route:queue-intake",
                "consumer:queue-intake", "route:file-intake", "consumer:file-intake", "route:reconcile");

        HttpProbe.Answer all = HttpProbe.get(running.httpPort, "/health");
        JsonNode allBody = JSON.readTree(all.body());
        assertThat(all.status()).isEqualTo(200);
        assertThat(allBody.path("live").asText()).isEqualTo("UP");
        assertThat(allBody.path("ready").asText()).isEqualTo("UP");
        assertThat(allBody.path("findings").isArray()).isTrue();
        assertThat(allBody.path("findings")).isEmpty();

        // GET only: the endpoints change nothing, and say so to anything else.
        assertThat(HttpProbe.send(running.httpPort, "/health", "POST").status()).isEqualTo(405);
    }

    @Test
    void aStoppedRouteMakesTheServiceUnreadyWhileItStaysLive() throws Exception {
        running = RunningService.start(data);
        await().atMost(WAIT).until(() -> HttpProbe.get(running.httpPort, "/health/ready").status() == 200);

        running.service.camelContext().getRouteController().stopRoute("queue-intake");

        HttpProbe.Answer ready = HttpProbe.get(running.httpPort, "/health/ready");
        assertThat(ready.status()).as(ready.body()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        assertThat(body.toString()).contains("Route queue-intake has status Stopped");
        assertThat(HttpProbe.get(running.httpPort, "/health/live").status()).isEqualTo(200);
        assertThat(JSON.readTree(HttpProbe.get(running.httpPort, "/health").body()).path("live").asText()).isEqualTo("UP");
    }

    @Test
    void aHandEditedLedgerIsReportedAsFindingsWithoutMakingTheServiceUnready() throws Exception {
        running = RunningService.start(data, new FileSystemStorage(), Map.of(Settings.RECONCILE_PERIOD, "1s"));
        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-1")).isPresent());
        running.service.store().flushLedger();
        await().atMost(WAIT).until(() -> HttpProbe.get(running.httpPort, "/health/ready").status() == 200);
        assertThat(JSON.readTree(HttpProbe.get(running.httpPort, "/health").body()).path("findings")).isEmpty();

        String ledger = Files.readString(running.layout.ledger());
        Files.writeString(running.layout.ledger(), ledger.replace("| 100.00 |", "| 90.00 |"));

        await().atMost(WAIT).until(() -> findingIds().contains("reconcile-differences"));
        running.send(Messages.payment("p1", "ACME", "INV-1", "10.00", "USD")); // the next flush finds the edit
        await().atMost(WAIT).until(() -> findingIds().contains("ledger-held"));
        HttpProbe.Answer all = HttpProbe.get(running.httpPort, "/health");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(JSON.readTree(all.body()).path("status").asText()).isEqualTo("UP");
        assertThat(HttpProbe.get(running.httpPort, "/health/ready").status()).isEqualTo(200);
        assertThat(HttpProbe.get(running.httpPort, "/health/live").status()).isEqualTo(200);
        assertThat(HttpProbe.sample(running.httpPort, "collections_reconcile_differences")).isPositive();
        assertThat(HttpProbe.sample(running.httpPort, "collections_ledger_held")).isEqualTo(1.0);
    }

    @Test
    void withHttpDisabledNothingListensAndTheServiceRuns() throws Exception {
        int port = RunningService.freePort();
        running = RunningService.start(data, new FileSystemStorage(), Map.of(Settings.HTTP_ENABLED, "false",
                Settings.HTTP_PORT, Integer.toString(port)));
        assertThat(running.service.routeIds()).contains("queue-intake").noneMatch(id -> id.startsWith("http-"));
        assertThatThrownBy(() -> HttpProbe.get(port, "/health/live")).isInstanceOf(ConnectException.class);
        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-1")).isPresent());
    }

    @Test
    void aTakenHttpPortStopsTheStartNamingTheOptionThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            assertThatThrownBy(() -> RunningService.start(data, new FileSystemStorage(), Map.of(Settings.HTTP_PORT, port)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("could not listen on 127.0.0.1:" + port)
                    .hasMessageContaining("--collections.http.port=N");
        }
        // The failed start released the folder and the broker's port.
        running = RunningService.start(data);
        assertThat(running.service.routeIds()).contains("http-live");
    }

    private java.util.List<String> findingIds() throws IOException, InterruptedException {
        return JSON.readTree(HttpProbe.get(running.httpPort, "/health").body()).path("findings").findValuesAsText("id");
    }

    /**
     * Camel makes a request's headers and query parameters headers of its message, and writes the message's headers
     * into the response: any web page the operator opens could ask 127.0.0.1 with ?Access-Control-Allow-Origin=*
     * and read /metrics and /health, or set a cookie. The answers carry only their own headers.
     */
    @Test
    void noRequestHeaderNorQueryParameterComesBackAsAResponseHeader() throws Exception {
        running = RunningService.start(data);
        for (String path : java.util.List.of("/health/live", "/health/ready", "/health", "/metrics")) {
            java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + running.httpPort + path
                                    + "?Access-Control-Allow-Origin=*&Set-Cookie=a%3Db"))
                            .header("X-Reflected", "yes").header("Origin", "http://evil.example").GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.headers().map().keySet()).as(path)
                    .noneMatch(name -> name.equalsIgnoreCase("Access-Control-Allow-Origin")
                            || name.equalsIgnoreCase("Set-Cookie") || name.equalsIgnoreCase("X-Reflected")
                            || name.equalsIgnoreCase("Origin"));
        }
    }

    /**
     * DNS rebinding: a web page on a name the attacker points at 127.0.0.1 is, to the browser, the same origin as
     * the answers, which it may then read. Only requests that name this machine's own address (or localhost) in
     * their Host are answered.
     */
    @Test
    void aRequestForAnotherHostIsRefused() throws Exception {
        running = RunningService.start(data);
        for (String path : java.util.List.of("/health/live", "/health/ready", "/health", "/metrics")) {
            assertThat(rawGet(path, "rebound.example:" + running.httpPort)).as(path).startsWith("HTTP/1.1 403");
            assertThat(rawGet(path, "127.0.0.1:" + running.httpPort)).as(path).doesNotStartWith("HTTP/1.1 403");
            assertThat(rawGet(path, "localhost:" + running.httpPort)).as(path).doesNotStartWith("HTTP/1.1 403");
        }
    }

    private String rawGet(String path, String host) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", running.httpPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
