package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import com.novotechno.collections.testing.Stores;
import jakarta.jms.Message;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The check after start: every state file against the log, each that differs rewritten, and one alert. */
class StateAuditRouteTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStateFileResealedWhileTheServiceWasStoppedIsRewrittenFromTheLogWithAnAlert() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(Messages.issued("i2", "ACME", "INV-2", "20.00", "USD"));
        }
        Path forged = data.resolve("state/open/ACME/INV-1.json");
        ObjectNode json = (ObjectNode) JSON.readTree(forged.toFile());
        json.remove(ChecksummedJson.CHECKSUM_KEY);
        json.put("amount", "900.00");
        json.put("balance", "900.00");
        Files.write(forged, ChecksummedJson.encode(json));
        Files.delete(data.resolve("state/open/ACME/INV-2.json"));

        running = RunningService.start(data);

        await().atMost(WAIT).until(() -> alertFiles().length == 1);
        JsonNode alert = JSON.readTree(alertFiles()[0]);
        assertThat(alert.get("type").asText()).isEqualTo("state-audit.alert");
        assertThat(alert.get("repair_count").asInt()).isEqualTo(2);
        assertThat(alert.get("repairs").toString()).contains("state/open/ACME/INV-1.json").contains("amount")
                .contains("state/open/ACME/INV-2.json");
        Message published = running.receive("collections.alerts", WAIT).orElseThrow();
        assertThat(JSON.readTree(RunningService.bodyOf(published))).isEqualTo(alert);
        assertThat(JSON.readTree(forged.toFile()).get("amount").asText()).isEqualTo("100.00");
        running.close();
        running = null;
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
    }

    private File[] alertFiles() {
        File[] files = data.resolve("alerts").toFile()
                .listFiles((dir, name) -> name.matches("state-audit\\.\\d{8}T\\d{6}\\.\\d{3}Z\\.json"));
        return files == null ? new File[0] : files;
    }
}
