package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import com.novotechno.collections.testing.StompClient;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker's users: made at the first start, and each sender held to its message types.
 * Who may log in and do what on which address, per protocol, is {@link BrokerRolesTest}'s.
 */
class BrokerSecurityTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void eachSenderMaySendOnlyItsOwnMessageTypesAndTheRestIsDeadLetteredWithTheReason() throws Exception {
        running = RunningService.start(data);
        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-1")).isPresent());

        try (Connection connection = RunningService.connect(data, running.port, BrokerCredentials.EMAILER)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var producer = session.createProducer(session.createQueue("collections.invoices"));
            producer.send(session.createTextMessage(text(Messages.payment("e1", "ACME", "INV-1", "100.00", "USD"))));
            producer.send(session.createTextMessage(text(Messages.reminder("e2", "ACME", "INV-1", "reminder"))));
        }
        Message fromEmailer = running.receive("collections.invoices.DLQ", WAIT).orElseThrow();
        assertThat(fromEmailer.getStringProperty("CollectionsRejectReason")).isEqualTo(
                "message e1 rejected: the emailer may send only reminder.sent and reminder.failed, not payment.received");
        await().atMost(WAIT).until(() -> Files.readAllLines(running.layout.eventLog()).size() == 2);

        // A producer naming another sender itself gains nothing: the broker writes the validated one over it.
        running.send(Messages.reminder("p1", "ACME", "INV-1", "final_notice"), Map.of("CollectionsSender", "emailer"));
        Message fromProducer = running.receive("collections.invoices.DLQ", WAIT).orElseThrow();
        assertThat(fromProducer.getStringProperty("CollectionsRejectReason"))
                .isEqualTo("message p1 rejected: only the emailer may send reminder.sent");
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-1")).orElseThrow().balance()
                .toPlainString()).isEqualTo("100.00");
    }

    @Test
    void aStompSendTheBrokerConfirmsIsNeverDroppedSilentlyNorSuppressedByAnotherSendersDuplicateId() throws Exception {
        running = RunningService.start(data);
        try (StompClient stomp = StompClient.open(running.port)) {
            assertThat(stomp.connect(BrokerCredentials.PRODUCER, running.credentials.password(BrokerCredentials.PRODUCER)))
                    .startsWith("CONNECTED");
            // One producer names a broker duplicate id; another's message with the same id must still arrive.
            assertThat(stomp.send(EmbeddedBroker.INVOICES, new String(Messages.issued("d1", "ACME", "INV-1", "1.00", "USD"),
                    StandardCharsets.UTF_8), Map.of("_AMQ_DUPL_ID", "guessed"))).startsWith("RECEIPT");
            assertThat(stomp.send(EmbeddedBroker.INVOICES, new String(Messages.issued("d2", "ACME", "INV-2", "1.00", "USD"),
                    StandardCharsets.UTF_8), Map.of("_AMQ_DUPL_ID", "guessed"))).startsWith("RECEIPT");
            // A multicast send to the address whose queue is anycast: delivered to that queue, not nowhere.
            assertThat(stomp.send(EmbeddedBroker.INVOICES, new String(Messages.issued("m1", "ACME", "INV-3", "1.00", "USD"),
                    StandardCharsets.UTF_8), Map.of("destination-type", "MULTICAST"))).startsWith("RECEIPT");
        }
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-2")).isPresent());
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-1"))).isPresent();
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-3")).isPresent());
    }

    @Test
    void theCredentialsFileIsTheOwnersAloneAndKeptAcrossRestarts() throws Exception {
        running = RunningService.start(data);
        Path file = data.resolve("broker-credentials.properties");
        String first = Files.readString(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(running.credentials.passwords()).containsOnlyKeys("service", "producer", "emailer", "operator");
        running.close();
        running = null;

        running = RunningService.start(data);
        assertThat(Files.readString(file)).isEqualTo(first);
        running.send(Messages.issued("i1", "ACME", "INV-1", "1.00", "USD"));
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-1")).isPresent());
    }

    private static String text(byte[] message) {
        return new String(message, StandardCharsets.UTF_8);
    }
}
