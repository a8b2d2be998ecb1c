package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.testing.InterceptingStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
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
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write after the log fails (a full disk): the service stops itself rather than roll every
 * later message back until the broker dead-letters it, and the restart recovers.
 */
class StoreFailureTest {

    @TempDir
    Path data;

    @Test
    void theServiceStopsItselfWhenItsStoreFailsAndTheRestartLosesNothing() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        storage.failWritesTo = path -> path.toString().endsWith("INV-2.json");
        CountDownLatch stopped = new CountDownLatch(1);
        RunningService running = RunningService.start(data, storage, Map.of(), stopped::countDown);
        try {
            running.send(Messages.issued("i1", "ACME", "INV-1", "10.00", "USD"));
            running.send(Messages.issued("i2", "ACME", "INV-2", "20.00", "USD"));

            assertThat(stopped.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(running.service.stoppedByFailure()).isTrue();
            // The message was durable in the log before the state write failed.
            assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(2);
            // Stopped: the folder is free, and opening it recovers the state file the failure left out.
            try (CollectionsStore reopened = Stores.open(data)) {
                assertThat(reopened.find(new InvoiceKey("ACME", "INV-2"))).isPresent();
            }
        } finally {
            running.close();
        }

        // The message's transaction was rolled back: it is still queued, in the broker's journal.
        int port = RunningService.freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start(data.resolve("broker"), port);
             Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            // Browsers do not show a message while its redelivery delay runs.
            List<Message> queued = await().atMost(Duration.ofSeconds(30)).until(() -> Collections.list(
                    session.createBrowser(session.createQueue("collections.invoices")).getEnumeration()), m -> !m.isEmpty());
            assertThat(queued).singleElement().satisfies(m -> assertThat(RunningService.bodyOf(m)).contains("\"i2\""));
        }
        // The restarted service takes it again, and it is a duplicate.
        try (RunningService restarted = RunningService.start(data)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> restarted.waiting("collections.invoices") == 0);
            assertThat(restarted.receive("collections.invoices.DLQ", Duration.ofMillis(500))).isEmpty();
            assertThat(Files.readAllLines(restarted.layout.eventLog())).hasSize(2);
        }
    }
}
