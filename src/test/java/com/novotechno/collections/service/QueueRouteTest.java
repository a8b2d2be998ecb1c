package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.state.InvoiceStatus;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.InterceptingStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import com.novotechno.collections.testing.StompClient;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The queue route, end to end: the real YAML route, the real embedded broker, the real store. */
class QueueRouteTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aQueuedMessageIsAppliedToStateLogAndLedger() throws Exception {
        running = RunningService.start(data);
        running.send(Messages.issued("q1", "ACME", "INV-1", "250.00", "EUR"));

        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-1")).isPresent());
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(1).first().asString().contains("\"q1\"");
        running.service.store().flushLedger();
        assertThat(Files.readString(running.layout.ledger())).contains("`INV-1`").contains("250.00");
        assertThat(running.receive("collections.invoices.DLQ", Duration.ofMillis(200))).isEmpty();
    }

    @Test
    void anInvalidMessageGoesToTheDeadLetterQueueAtOnceWithItsReasonAndBodyUnchanged() throws Exception {
        running = RunningService.start(data);
        byte[] invalid = Messages.escalated("q2", "ACME", "INV-404", "no reply");
        running.send(invalid);

        Message dead = running.receive("collections.invoices.DLQ", WAIT).orElseThrow();
        assertThat(RunningService.bodyOf(dead)).isEqualTo(new String(invalid, StandardCharsets.UTF_8));
        assertThat(dead.getStringProperty("CollectionsRejectReason"))
                .isEqualTo("message q2 rejected: invoice ACME/INV-404 does not exist");
        assertThat(dead.getStringProperty("CollectionsRejectedAt")).isNotBlank();
        // Dead-lettered by the route on its first delivery, not after the broker's retries.
        assertThat(dead.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(Files.size(running.layout.eventLog())).isZero();
        assertThat(running.receive("collections.invoices", Duration.ofMillis(200))).isEmpty();
    }

    @Test
    void aReplyToAddressIsIgnoredForAcceptedAndRejectedMessages() throws Exception {
        running = RunningService.start(data);
        running.send(Messages.issued("r1", "ACME", "INV-1", "10.00", "USD"), Map.of(), "replies");
        running.send(Messages.escalated("r2", "ACME", "INV-404", "no reply"), Map.of(), "replies");

        // Dead-lettered at once: not after a request-reply timed out inside the transaction and the retries ran out.
        Message dead = running.receive("collections.invoices.DLQ", Duration.ofSeconds(10)).orElseThrow();
        assertThat(dead.getStringProperty("CollectionsRejectReason")).contains("r2");
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-1"))).isPresent();
        assertThat(running.receive("replies", Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void aTransientFailureIsRedeliveredByTheBrokerAndThenAnswered() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        storage.failReadsOf = path -> path.endsWith("events.log");
        running = RunningService.start(data, storage, Map.of());
        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        running.send(Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-1"))
                .map(state -> state.balance().toPlainString().equals("60.00")).orElse(false));

        // The producer sends p1 again; the next two reads of its first delivery's log line fail, as an I/O error would.
        storage.failingReads.set(2);
        running.send(Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));

        await().atMost(WAIT).until(() -> storage.failingReads.get() == 0 && running.waiting("collections.invoices") == 0);
        assertThat(running.receive("collections.invoices.DLQ", Duration.ofMillis(500))).isEmpty();
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(2);
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-1")).orElseThrow().balance().toPlainString())
                .isEqualTo("60.00");
    }

    @Test
    void aClientInAnotherLanguageCanPublishWithRawStompFrames() throws Exception {
        running = RunningService.start(data);
        String body = new String(Messages.issued("s1", "ACME", "INV-7", "70.00", "USD"), StandardCharsets.UTF_8);
        try (StompClient stomp = StompClient.open(running.port)) {
            String producer = BrokerCredentials.PRODUCER;
            assertThat(stomp.connect(producer, running.credentials.password(producer))).startsWith("CONNECTED");
            assertThat(stomp.send("collections.invoices", body)).startsWith("RECEIPT").contains("receipt-id:r1");
        }
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-7")).isPresent());
    }

    @Test
    void withSeveralConsumersEachInvoicesMessagesApplyInTheOrderSent() throws Exception {
        running = RunningService.start(data, new FileSystemStorage(), Map.of("collections.queue.consumers", "4"));
        int invoices = 13;
        // Each invoice's messages back to back: issue, two partial payments, escalate, final payment.
        // Handed out in turn to four consumers without groups, they would race each other, and any
        // reordering is refused (payment before issue, above the balance) or leaves another status.
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < invoices; i++) {
            String invoice = "INV-" + i;
            messages.add(Messages.issued(invoice + "-issued", "ACME", invoice, "100.00", "USD"));
            messages.add(Messages.payment(invoice + "-p1", "ACME", invoice, "30.00", "USD"));
            messages.add(Messages.payment(invoice + "-p2", "ACME", invoice, "30.00", "USD"));
            messages.add(Messages.escalated(invoice + "-esc", "ACME", invoice, "no answer"));
            messages.add(Messages.payment(invoice + "-p3", "ACME", invoice, "40.00", "USD"));
        }
        for (byte[] message : messages) {
            running.send(message, Map.of(InvoiceGroup.PROPERTY, InvoiceGroup.of(message).orElseThrow()));
        }

        await().atMost(WAIT).until(() -> Files.readAllLines(running.layout.eventLog()).size() == messages.size());
        // The last event is in the log a moment before its state file is written: wait for that too.
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < invoices; i++) {
                assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-" + i)).orElseThrow().status())
                        .isEqualTo(InvoiceStatus.PAID);
            }
        });
        assertThat(running.receive("collections.invoices.DLQ", Duration.ofMillis(200))).isEmpty();
    }

    @Test
    void aBacklogIsSharedOutAmongTheConsumersWhichApplyAtOnce() throws Exception {
        // Queued before the service starts: the first consumer to connect must not take the whole
        // backlog, and every invoice (message group) in it, leaving the others idle.
        int invoices = 16;
        int port = RunningService.freePort();
        try (EmbeddedBroker broker = RunningService.brokerAlone(data, port);
             jakarta.jms.Connection connection = RunningService.connect(data, port, BrokerCredentials.PRODUCER)) {
            jakarta.jms.Session session = connection.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED);
            jakarta.jms.MessageProducer producer = session.createProducer(session.createQueue(EmbeddedBroker.INVOICES));
            for (int i = 0; i < invoices; i++) {
                byte[] message = Messages.issued("i" + i, "ACME", "INV-" + i, "10.00", "USD");
                jakarta.jms.TextMessage text = session.createTextMessage(new String(message, StandardCharsets.UTF_8));
                text.setStringProperty(InvoiceGroup.PROPERTY, InvoiceGroup.of(message).orElseThrow());
                producer.send(text);
            }
            session.commit();
        }
        InterceptingStorage storage = new InterceptingStorage();
        // Slow fsyncs: consumers applying at once write their events behind one and share the next.
        storage.forceDelayMillis = 100;
        running = RunningService.start(data, storage, Map.of("collections.queue.consumers", "4"));

        await().atMost(WAIT).until(() -> running.service.store().lastSeq() == invoices);
        // One consumer alone would need one fsync a message, besides the one at the store's opening.
        assertThat(storage.forces.get()).isLessThan(invoices);
    }
}
