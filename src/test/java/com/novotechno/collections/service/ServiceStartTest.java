package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service checks as it starts. */
class ServiceStartTest {

    @TempDir
    Path temp;

    @Test
    void aTakenBrokerPortStopsTheStartAndLeavesTheFolderFree() throws Exception {
        Path data = temp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            assertThatThrownBy(() -> RunningService.start(data, new FileSystemStorage(),
                    Map.of("collections.broker.port", port)))
                    .isInstanceOf(BrokerPortTaken.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is taken by another program;"
                            + " choose another with --collections.broker.port=N");
        }
        try (RunningService running = RunningService.start(data)) {
            assertThat(running.service.routeIds()).isNotEmpty();
        }
    }

    @Test
    void aBrokerJournalThatCannotBeWrittenIsNamedAsTheCauseInsteadOfTheBrokerPort() throws Exception {
        Path data = temp.resolve("data");
        // A file where the journal's folder belongs fails the journal as a full disk does: at its first write.
        Files.createDirectories(data.resolve("broker"));
        Files.writeString(data.resolve("broker").resolve("journal"), "not a folder");

        assertThatThrownBy(() -> RunningService.start(data))
                .hasMessageContaining("journal")
                .hasMessageContaining(data.resolve("broker").toString())
                .hasMessageNotContaining("port");
        Files.delete(data.resolve("broker").resolve("journal"));
        try (RunningService running = RunningService.start(data)) {
            assertThat(running.service.routeIds()).isNotEmpty();
        }
    }

    @Test
    void aSystemPropertyOfTheSameNameDoesNotOverrideTheSettingsInTheRoutes() throws Exception {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere").resolve("inbox"));
        System.setProperty("collections.data-dir", elsewhere.getParent().toString());
        try (RunningService running = RunningService.start(temp.resolve("data"))) {
            running.drop("a.json", Messages.issued("a1", "ACME", "INV-1", "1.00", "USD"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(running.layout.processed().resolve("a.json")));
        } finally {
            System.clearProperty("collections.data-dir");
        }
    }
}
