package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead-letter branch of routes/queue-intake.yaml, its queues mocks: the transaction is the test's direct call. */
class QueueIntakeRouteTest extends YamlRouteTestSupport {

    private static final String QUEUE = "direct:collections.invoices";
    /**
     * The dead-letter send sits in a doCatch, where AdviceWith's weaveById does not look (Camel 4.22);
     * intercepting the sends to its endpoint replaces it all the same.
     */
    private static final String DLQ = "jms:queue:collections.invoices.DLQ";
    private static final Map<String, Object> FROM_PRODUCER = Map.of(SenderRules.SENDER, "producer");

    private final AtomicInteger storeFailures = new AtomicInteger();
    /** What the broker would say of a reply-to; a test that wants answers names its sender's temporary queue. */
    private ReplyAddresses replies = ReplyAddresses.NONE;
    /** The answers' send; its destination is each answer's header. */
    private static final String OUTCOMES = "jms:queue:sender-temporary-queue";

    @BeforeEach
    void bindTheIntake() throws Exception {
        openStore();
        context.getRegistry().bind("queueMessageKinds", new QueueMessageKinds());
        context.getRegistry().bind("queueIntake",
                new QueueIntake(store, Stores.SETTINGS.clock(), storeFailures::incrementAndGet, SenderRules.brokerValidated()));
        context.getRegistry().bind("queueOutcomes", new QueueOutcomes((address, sender) -> replies.isTemporaryQueueOf(address, sender)));
        loadRoutes(placeholders(), "queue-intake.yaml");
    }

    private static Properties placeholders() {
        Properties properties = new Properties();
        properties.setProperty("collections.queue.consumers", "1");
        return properties;
    }

    @Test
    void aRejectedMessageGoesToTheDeadLetterQueueUnchangedWithItsReasonAndAGoodOneDoesNot() throws Exception {
        advise("queue-intake", route -> {
            route.replaceFromWith(QUEUE);
            route.interceptSendToEndpoint(DLQ).skipSendToOriginalEndpoint().to("mock:dlq");
        });
        context.start();
        MockEndpoint dlq = getMockEndpoint("mock:dlq");
        String forged = new String(Messages.reminder("r1", "ACME", "INV-1", "reminder"), StandardCharsets.UTF_8);
        String unknownKey = "{\"type\":\"invoice.issued\",\"message_id\":\"i9\",\"client\":\"ACME\",\"invoice_number\":"
                + "\"INV-9\",\"amout\":\"1.00\",\"currency\":\"USD\"}";

        Exchange good = template.request(QUEUE, e -> {
            e.getMessage().setBody(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
            e.getMessage().setHeaders(new java.util.HashMap<>(FROM_PRODUCER));
        });
        Exchange fromWrongSender = template.request(QUEUE, e -> {
            e.getMessage().setBody(forged);
            e.getMessage().setHeaders(new java.util.HashMap<>(FROM_PRODUCER));
        });
        Exchange invalid = template.request(QUEUE, e -> {
            e.getMessage().setBody(unknownKey);
            e.getMessage().setHeaders(new java.util.HashMap<>(FROM_PRODUCER));
        });

        // Dead-lettered in the transaction of its acknowledgement: the exchange succeeds, so the broker commits.
        assertThat(good.getException()).isNull();
        assertThat(fromWrongSender.getException()).isNull();
        assertThat(invalid.getException()).isNull();
        assertThat(store.find(new InvoiceKey("ACME", "INV-1"))).isPresent();
        assertThat(store.find(new InvoiceKey("ACME", "INV-9"))).isEmpty();
        assertThat(dlq.getReceivedExchanges()).hasSize(2);
        Exchange first = dlq.getReceivedExchanges().get(0);
        assertThat(first.getMessage().getBody(String.class)).isEqualTo(forged);
        assertThat(first.getMessage().getHeader(QueueIntake.REJECT_REASON))
                .isEqualTo("message r1 rejected: only the emailer may send reminder.sent");
        assertThat(first.getMessage().getHeader(QueueIntake.REJECTED_AT)).isEqualTo(Stores.NOW.toString());
        Exchange second = dlq.getReceivedExchanges().get(1);
        assertThat(second.getMessage().getBody(String.class)).isEqualTo(unknownKey);
        assertThat(second.getMessage().getHeader(QueueIntake.REJECT_REASON, String.class))
                .startsWith("message i9 rejected: ").contains("amout");
        assertThat(storeFailures).hasValue(0);
    }

    @Test
    void aDeadLetterSendThatFailsRollsTheMessageBackAndItsRedeliveryIsDeadLettered() throws Exception {
        AtomicInteger faults = new AtomicInteger();
        advise("queue-intake", route -> {
            route.replaceFromWith(QUEUE);
            route.interceptSendToEndpoint(DLQ).skipSendToOriginalEndpoint()
                    .process(exchange -> {
                        if (faults.getAndIncrement() == 0) {
                            throw new IllegalStateException("send timed out: the broker holds senders (injected once)");
                        }
                    })
                    .to("mock:dlq");
        });
        context.start();
        MockEndpoint dlq = getMockEndpoint("mock:dlq");
        byte[] forged = Messages.reminder("r1", "ACME", "INV-1", "reminder");

        Exchange delivered = template.request(QUEUE, e -> {
            e.getMessage().setBody(forged);
            e.getMessage().setHeaders(new java.util.HashMap<>(FROM_PRODUCER));
        });
        assertThat(delivered.getException()).as("fails, so the transaction rolls back").isNotNull()
                .hasMessageContaining("could not dead-letter (message r1 rejected: only the emailer may send reminder.sent)")
                .hasMessageContaining("send timed out");
        assertThat(dlq.getReceivedExchanges()).isEmpty();

        Exchange redelivered = template.request(QUEUE, e -> {
            e.getMessage().setBody(forged);
            e.getMessage().setHeaders(new java.util.HashMap<>(FROM_PRODUCER));
        });
        assertThat(redelivered.getException()).isNull();
        assertThat(dlq.getReceivedExchanges()).singleElement().satisfies(dead ->
                assertThat(dead.getMessage().getBody(byte[].class)).isEqualTo(forged));
    }

    private Exchange deliver(byte[] body, String jmsMessageId, String replyTo) {
        return template.request(QUEUE, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new java.util.HashMap<>(FROM_PRODUCER));
            e.getMessage().setHeader("JMSMessageID", jmsMessageId);
            jakarta.jms.Queue queue = () -> replyTo;
            e.getMessage().setHeader("JMSReplyTo", queue);
        });
    }

    @Test
    void eachOutcomeGoesToTheSendersTemporaryQueueAloneCorrelatedAndCarryingNoneOfTheMessagesHeaders() throws Exception {
        replies = (address, sender) -> address.equals("tmp-1") && sender.equals("producer");
        advise("queue-intake", route -> {
            route.replaceFromWith(QUEUE);
            route.interceptSendToEndpoint(DLQ).skipSendToOriginalEndpoint().to("mock:dlq");
        });
        advise("queue-outcome", route -> route.interceptSendToEndpoint(OUTCOMES).skipSendToOriginalEndpoint().to("mock:outcomes"));
        context.start();
        MockEndpoint outcomes = getMockEndpoint("mock:outcomes");
        byte[] issued = Messages.issued("i1", "ACME", "INV-1", "100.00", "USD");

        deliver(issued, "ID:1", "tmp-1");
        deliver(issued, "ID:2", "tmp-1");
        deliver(Messages.escalated("e1", "ACME", "INV-404", "no answer"), "ID:3", "tmp-1");
        deliver(Messages.payment("p1", "ACME", "INV-1", "10.00", "USD"), "ID:4", "collections.alerts");

        assertThat(getMockEndpoint("mock:dlq").getReceivedExchanges()).hasSize(1);
        assertThat(outcomes.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(String.class)).containsExactly(
                "{\"message_id\":\"i1\",\"outcome\":\"applied\"}",
                "{\"message_id\":\"i1\",\"outcome\":\"duplicate\"}",
                "{\"message_id\":\"e1\",\"outcome\":\"rejected\",\"reason\":\"message e1 rejected: invoice ACME/INV-404 does not exist\"}");
        assertThat(outcomes.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader("JMSCorrelationID"))
                .containsExactly("ID:1", "ID:2", "ID:3");
        for (Exchange answer : outcomes.getReceivedExchanges()) {
            assertThat(answer.getMessage().getHeaders()).containsOnlyKeys("JMSCorrelationID", "CamelJmsDestinationName")
                    .containsEntry("CamelJmsDestinationName", "tmp-1");
        }
        assertThat(store.find(new InvoiceKey("ACME", "INV-1")).orElseThrow().balance().toPlainString()).isEqualTo("90.00");
    }

    @Test
    void anOutcomeThatCannotBeSentLeavesTheMessageToCommit() throws Exception {
        replies = (address, sender) -> true;
        advise("queue-intake", route -> route.replaceFromWith(QUEUE));
        advise("queue-outcome", route -> route.interceptSendToEndpoint(OUTCOMES).skipSendToOriginalEndpoint()
                .throwException(new IllegalStateException("the sender's temporary queue is gone")));
        context.start();

        Exchange delivered = deliver(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"), "ID:1", "tmp-1");

        assertThat(delivered.getException()).isNull();
        assertThat(store.find(new InvoiceKey("ACME", "INV-1"))).isPresent();
        assertThat(storeFailures).hasValue(0);
    }
}
