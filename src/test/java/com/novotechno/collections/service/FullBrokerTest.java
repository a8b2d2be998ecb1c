package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.novotechno.collections.cli.CollectionsCommand;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.StandardError;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker over its disk limit refuses sends with an error instead of blocking the sender
 * without end. The limit is set to 0 % here, so any disk is over it, as a full disk would be.
 */
class FullBrokerTest {

    /** Only so that a regression fails the test instead of hanging the build; the behaviour has no time in it. */
    private static final Duration HANG = Duration.ofSeconds(90);
    private static final Map<String, String> FULL = Map.of("collections.broker.max-disk-usage", "0");

    @TempDir
    Path data;

    @Test
    void submitToABrokerOverItsDiskLimitFailsWithAnErrorInsteadOfHanging() throws Exception {
        Path message = Files.write(data.resolveSibling(data.getFileName() + "-m.json"),
                Messages.issued("f1", "ACME", "INV-1", "10.00", "USD"));
        try (RunningService running = RunningService.start(data, new FileSystemStorage(), FULL)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = assertTimeoutPreemptively(HANG, () -> CollectionsCommand.execute(
                    new String[] {"submit", "--data-dir", data.toString(), "--collections.broker.port=" + running.port,
                            message.toString()},
                    Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)));

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("submit: the broker at").contains("did not take the message within")
                    .contains("full");
            assertThat(running.service.store().lastSeq()).isZero();
        } finally {
            Files.delete(message);
        }
    }

    @Test
    void aDeadLetterSendToAFullBrokerFailsWithALoggedReasonAndTheMessageWaitsForRoom() throws Exception {
        int port = RunningService.freePort();
        byte[] invalid = Messages.escalated("d1", "ACME", "INV-404", "no reply");
        try (EmbeddedBroker broker = RunningService.brokerAlone(data, port);
             Connection connection = RunningService.connect(data, port, BrokerCredentials.PRODUCER)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(EmbeddedBroker.INVOICES))
                    .send(session.createTextMessage(new String(invalid, StandardCharsets.UTF_8)));
        }

        try (StandardError log = StandardError.capture()) {
            RunningService full = RunningService.start(data, new FileSystemStorage(), FULL);
            try {
                await().atMost(HANG).until(() -> log.text().contains(
                        "queue: could not dead-letter (message d1 rejected: invoice ACME/INV-404 does not exist)"
                        + " to collections.invoices.DLQ: "));
            } finally {
                assertTimeoutPreemptively(HANG, full::close);
            }
        }

        // With room again, the message is dead-lettered with its reason: it was never lost.
        try (RunningService running = RunningService.start(data)) {
            Message dead = running.receive("collections.invoices.DLQ", HANG).orElseThrow();
            assertThat(dead.getStringProperty("CollectionsRejectReason")).contains("d1");
        }
    }
}
