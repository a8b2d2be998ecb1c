package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.integrity.FolderKeying;
import com.novotechno.collections.integrity.MacKeyFile;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import jakarta.jms.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The running service keys what it writes and publishes the log's head: every reconcile period, once it
 * has moved, to alerts/log-head.json and the alerts queue, with the MAC of the head's line.
 */
class LogHeadRouteTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theHeadIsPublishedOnceItMovesWithTheMacOfItsLineAndTheAuditKeepsEveryFileKeyed() throws Exception {
        running = RunningService.start(data, new FileSystemStorage(), Map.of(Settings.RECONCILE_PERIOD, "1s"));
        Path headFile = data.resolve("alerts/log-head.json");
        await().atMost(WAIT).until(() -> Files.exists(headFile));
        assertThat(JSON.readTree(headFile.toFile()).get("seq").asLong()).isZero();
        JsonNode first = JSON.readTree(RunningService.bodyOf(running.receiveLogHead(WAIT).orElseThrow()));
        assertThat(first.get("seq").asLong()).isZero();

        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "EUR"));
        running.send(Messages.payment("p1", "ACME", "INV-1", "40.00", "EUR"));
        await().atMost(WAIT).until(() -> JSON.readTree(headFile.toFile()).get("seq").asLong() == 2);

        JsonNode head = JSON.readTree(headFile.toFile());
        List<String> log = Files.readAllLines(data.resolve("events.log"));
        JsonNode line = JSON.readTree(log.get(1));
        assertThat(head.get("type").asText()).isEqualTo("log.head");
        assertThat(head.get("hash")).isEqualTo(line.get("hash"));
        assertThat(head.get("mac")).isEqualTo(line.get("mac"));
        assertThat(head.get("mac").asText()).matches("[0-9a-f]{16}:[0-9a-f]{64}");
        Message published;
        do {
            published = running.receiveLogHead(WAIT).orElseThrow();
        } while (JSON.readTree(RunningService.bodyOf(published)).get("seq").asLong() < 2);
        assertThat(JSON.readTree(RunningService.bodyOf(published))).isEqualTo(head);
        // Not again while it stands still: the ticks after the one that published it.
        assertThat(running.routeDone("log-head", 2, WAIT)).isTrue();
        assertThat(running.receiveLogHead(Duration.ofMillis(200))).isEmpty();

        // The state audit (every second here) compares files sealed with the key as the store seals them.
        assertThat(running.routeDone("state-audit", 1, WAIT)).isTrue();
        assertThat(JSON.readTree(data.resolve("state/open/ACME/INV-1.json").toFile()).has("_mac")).isTrue();
        running.close();
        running = null;
        Path keyFile = MacKeyFile.defaultPath(data);
        DataLayout keyed = new DataLayout(data).withKeying(FolderKeying.forReader(keyFile, notice -> { }));
        assertThat(keyed.keying().keyed()).isTrue();
        assertThat(new StoreVerifier(new FileSystemStorage(), keyed).verify().faults()).isEmpty();
        assertThat(Files.list(data.resolve("alerts"))).extracting(path -> path.getFileName().toString())
                .containsExactly("log-head.json");
    }
}
