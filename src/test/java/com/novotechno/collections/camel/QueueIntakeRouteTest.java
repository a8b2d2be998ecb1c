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

    @BeforeEach
    void bindTheIntake() throws Exception {
        openStore();
        context.getRegistry().bind("queueMessageKinds", new QueueMessageKinds());
        context.getRegistry().bind("queueIntake",
                new QueueIntake(store, Stores.SETTINGS.clock(), storeFailures::incrementAndGet, SenderRules.brokerValidated()));
        context.getRegistry().bind("queueOutcomes", new QueueOutcomes(ReplyAddresses.NONE));
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
}
