package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.testing.InterceptingStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.StandardError;
import com.novotechno.collections.testing.Stores;
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
    void aFailedStateWriteAfterTheLogStopsTheServiceAndTheRedeliveryIsADuplicate() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        storage.failWritesTo = path -> path.toString().endsWith("INV-2.json");
        runUntilTheStoreFails(storage);
        // The message was durable in the log before the state write failed; reopening recovers its state file.
        assertThat(Files.readAllLines(data.resolve("events.log"))).hasSize(2);
        try (CollectionsStore reopened = Stores.open(data)) {
            assertThat(reopened.find(new InvoiceKey("ACME", "INV-2"))).isPresent();
        }
        assertStillQueuedThenApplied();
    }

    @Test
    void aFailedLogAppendStopsTheServiceAndTheMessageIsAppliedAfterTheRestart() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        storage.failWritesTo = path -> {
            if (path.toString().endsWith("INV-1.json")) {
                storage.failAppends = true; // once the first invoice is written, the disk is full
            }
            return false;
        };
        try (StandardError log = StandardError.capture()) {
            runUntilTheStoreFails(storage);
            // The operator reads why, not only that, the service stopped.
            assertThat(log.text()).containsPattern("the store failed.*injected: no space left on device appending to");
        }
        assertThat(Files.readAllLines(data.resolve("events.log"))).hasSize(1);
        assertStillQueuedThenApplied();
    }

    /** Sends two invoices; the storage fails on the second, and the service must stop itself. */
    private void runUntilTheStoreFails(InterceptingStorage storage) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (RunningService running = RunningService.start(data, storage, Map.of(), stopped::countDown)) {
            running.send(Messages.issued("i1", "ACME", "INV-1", "10.00", "USD"));
            await().atMost(WAIT).until(() -> Files.size(running.layout.eventLog()) > 0);
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
