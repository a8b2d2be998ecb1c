package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.testing.InterceptingStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.StandardError;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write fails on a full disk: the service stops itself rather than roll every later message
 * back until the broker dead-letters it, the message stays queued, and the restart recovers.
 */
class StoreFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void aFailedStateWriteAtTheCheckpointStopsTheServiceAndTheRestartWritesTheFile() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        storage.failWritesTo = path -> path.toString().endsWith("INV-2.json");
        runUntilTheStoreFails(storage, () -> { });
        // The message was acknowledged on its log line's fsync; its state file, due at the checkpoint, failed there.
        assertThat(Files.readAllLines(data.resolve("events.log"))).hasSize(2);
        try (RunningService restarted = RunningService.start(data)) {
            assertThat(restarted.service.store().find(new InvoiceKey("ACME", "INV-2"))).isPresent();
            assertThat(restarted.waiting("collections.invoices")).isZero();
            assertThat(restarted.layout.root().resolve("state/open/ACME/INV-2.json")).exists();
        }
        assertThat(Files.readAllLines(data.resolve("events.log"))).hasSize(2);
    }

    @Test
    void aFailedLogAppendStopsTheServiceAndTheMessageIsAppliedAfterTheRestart() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        try (StandardError log = StandardError.capture()) {
            runUntilTheStoreFails(storage, () -> storage.failAppends = true); // once the first is logged, the disk is full
            // The operator reads why, not only that, the service stopped.
            assertThat(log.text()).containsPattern("the store failed.*injected: no space left on device appending to");
        }
        assertThat(Files.readAllLines(data.resolve("events.log"))).hasSize(1);
        assertStillQueuedThenApplied();
    }

    /** Sends two invoices, the second after {@code afterTheFirst}; the storage fails on the second, and the service must stop itself. */
    private void runUntilTheStoreFails(InterceptingStorage storage, Runnable afterTheFirst) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (RunningService running = RunningService.start(data, storage, Map.of(), stopped::countDown)) {
            running.send(Messages.issued("i1", "ACME", "INV-1", "10.00", "USD"));
            await().atMost(WAIT).until(() -> Files.size(running.layout.eventLog()) > 0);
            afterTheFirst.run();
            running.send(Messages.issued("i2", "ACME", "INV-2", "20.00", "USD"));
            assertThat(stopped.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(running.service.stoppedByFailure()).isTrue();
        }
    }

    /** The failed message's transaction was rolled back: it is in the broker's journal, and the restart applies it once. */
    private void assertStillQueuedThenApplied() throws Exception {
        int port = RunningService.freePort();
        try (EmbeddedBroker broker = RunningService.brokerAlone(data, port);
             Connection connection = RunningService.connect(data, port, BrokerCredentials.SERVICE)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            // Browsers do not show a message while its redelivery delay runs.
            List<Message> queued = await().atMost(WAIT).until(() -> Collections.list(
                    session.createBrowser(session.createQueue("collections.invoices")).getEnumeration()), m -> !m.isEmpty());
            assertThat(queued).singleElement().satisfies(m -> assertThat(RunningService.bodyOf(m)).contains("\"i2\""));
        }
        try (RunningService restarted = RunningService.start(data)) {
            await().atMost(WAIT).until(() -> restarted.waiting("collections.invoices") == 0
                    && restarted.service.store().find(new InvoiceKey("ACME", "INV-2")).isPresent());
            assertThat(Files.readAllLines(restarted.layout.eventLog())).hasSize(2);
            assertThat(restarted.waiting("collections.invoices.DLQ")).isZero();
        }
    }
}
