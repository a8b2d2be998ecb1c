package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dlq list and dlq requeue against the running service's embedded broker, as the operator. */
class DlqCommandTest extends CommandLineRunner {

    private static final String DLQ = "collections.invoices.DLQ";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private RunningService service;

    @BeforeEach
    void start() throws Exception {
        service = RunningService.start(temp.resolve("data"), new FileSystemStorage(), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
    }

    private int dlq(String... args) {
        return run(Stream.concat(Stream.of("dlq"), Stream.concat(Stream.of(args), Stream.of("--data-dir",
                service.layout.root().toString(), "--collections.broker.port=" + service.port))).toArray(String[]::new));
    }

    /** An escalation of an invoice not issued yet: refused, and dead-lettered with the reason. */
    private String deadLetteredEscalation() throws Exception {
        service.send(Messages.escalated("e1", "ACME", "INV-1", "no answer"));
        await().atMost(WAIT).until(() -> service.waiting(DLQ) == 1);
        assertThat(dlq("list", "--json")).as(err).isZero();
        return new ObjectMapper().readTree(out).at("/messages/0/jms_message_id").asText();
    }

    @Test
    void dlqListShowsARefusedMessageWithItsReasonAndFieldsAndLeavesItThere() throws Exception {
        service.send(Messages.escalated("e1", "ACME", "INV-1", "no answer"));
        await().atMost(WAIT).until(() -> service.waiting(DLQ) == 1);

        assertThat(dlq("list")).as(err).isZero();
        assertThat(out).startsWith(DLQ + ": 1 dead letters\n")
                .contains("  reason:   message e1 rejected: invoice ACME/INV-1 does not exist")
                .contains("  message:  type=invoice.escalated message_id=e1 client=ACME invoice_number=INV-1")
                .contains("  body:     {\"type\":\"invoice.escalated\"");

        assertThat(dlq("list", "--json")).isZero();
        JsonNode message = new ObjectMapper().readTree(out).at("/messages/0");
        assertThat(message.get("jms_message_id").asText()).startsWith("ID:");
        assertThat(message.get("reason").asText()).isEqualTo("message e1 rejected: invoice ACME/INV-1 does not exist");
        assertThat(message.get("message_id").asText()).isEqualTo("e1");
        assertThat(message.get("body").asText()).contains("\"reason\":\"no answer\"");
        assertThat(service.waiting(DLQ)).isEqualTo(1);
    }

    @Test
    void dlqRequeueOfAMessageWhoseCauseIsFixedGetsItApplied() throws Exception {
        String id = deadLetteredEscalation();
        service.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD")); // the cause: the invoice now exists

        assertThat(dlq("requeue", id)).as(err).isZero();
        assertThat(out).contains("requeued " + id + " to collections.invoices").contains("dlq requeue: 1 moved, 0 not found");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(run("show", "--data-dir", service.layout.root().toString(), "ACME/INV-1")).isZero();
            assertThat(out).startsWith("ACME/INV-1: escalated");
        });
        assertThat(service.waiting(DLQ)).isZero();
    }

    @Test
    void dlqRequeueOfAMessageStillRefusedBringsItBackWithItsReason() throws Exception {
        String id = deadLetteredEscalation();

        assertThat(dlq("requeue", "--all")).as(err).isZero();
        assertThat(out).contains("requeued " + id);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(dlq("list", "--json")).isZero();
            JsonNode messages = new ObjectMapper().readTree(out).get("messages");
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0).get("jms_message_id").asText()).isNotEqualTo(id);
            assertThat(messages.get(0).get("reason").asText()).isEqualTo("message e1 rejected: invoice ACME/INV-1 does not exist");
        });
    }

    @Test
    void dlqRequeueOfAnIdNotOnTheQueueExitsOneNamingIt() throws Exception {
        String id = deadLetteredEscalation();

        assertThat(dlq("requeue", "ID:no-such-message", id)).isEqualTo(1);
        assertThat(err).contains("dlq requeue: no message ID:no-such-message on collections.invoices.DLQ");
        assertThat(out).contains("requeued " + id).contains("dlq requeue: 1 moved, 1 not found");
    }

    @Test
    void dlqRequeueNeedsIdsOrAllButNotBoth() {
        assertThat(dlq("requeue")).isEqualTo(2);
        assertThat(err).contains("name the MESSAGE_IDs to move, or --all");
        assertThat(dlq("requeue", "--all", "ID:x")).isEqualTo(2);
    }

    @Test
    void dlqCommandsWithNoBrokerRunningSayWhyAndExitOne() throws Exception {
        BrokerCredentials.loadOrCreate(new FileSystemStorage(), temp); // as a service that ran here once left them
        String noBroker = "--collections.broker.port=" + RunningService.freePort();

        assertThat(run("dlq", "list", "--data-dir", temp.toString(), noBroker)).isEqualTo(1);
        assertThat(err).contains("dlq list: cannot reach the broker at amqp://127.0.0.1:")
                .contains("is the service running on this data folder?");
        assertThat(run("dlq", "requeue", "--all", "--data-dir", temp.toString(), noBroker)).isEqualTo(1);
        assertThat(err).contains("dlq requeue: cannot reach the broker");
    }

    @Test
    void dlqListShowsAMessageTheBrokerDeadLetteredItselfWithTheAddressItCameFrom() throws Exception {
        try (Connection producer = RunningService.connect(service.layout.root(), service.port, BrokerCredentials.PRODUCER)) {
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer sender = session.createProducer(session.createQueue("collections.invoices"));
            sender.setTimeToLive(1); // expired on arrival: the broker moves it to the DLQ, the service never sees it
            sender.send(session.createTextMessage(new String(Messages.issued("late", "ACME", "INV-9", "5.00", "USD"),
                    StandardCharsets.UTF_8)));
        }
        await().atMost(WAIT).until(() -> service.waiting(DLQ) == 1);

        assertThat(dlq("list")).as(err).isZero();
        assertThat(out).contains("  reason:   dead-lettered by the broker (from collections.invoices")
                .contains("message_id=late");
    }

    @Test
    void dlqListEscapesControlCharactersInTheBodyItEchoes() throws Exception {
        service.send("not json \u001b[2J\u0007 at all".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> service.waiting(DLQ) == 1);

        assertThat(dlq("list")).as(err).isZero();
        assertThat(out).contains("  body:     not json ").doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(dlq("list", "--json")).isZero();
        assertThat(out).doesNotContain("\u001b");
        assertThat(new ObjectMapper().readTree(out).at("/messages/0/body").asText()).contains("\u001b[2J");
    }

    /**
     * A producer may not send client.erased; its forged one is dead-lettered for its sender. Moving it back must
     * not launder it: the broker stamps the operator as the requeue's sender, whom the service lets send any type,
     * so the service must judge a requeued message by the sender the broker validated when it first came.
     */
    @Test
    void dlqRequeueOfAMessageRefusedForItsSenderIsRefusedAgainNotAppliedAsTheOperators() throws Exception {
        service.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        service.send(Messages.erased("x1", "ACME"));
        service.send(Messages.reminder("r1", "ACME", "INV-1", "reminder"));
        await().atMost(WAIT).until(() -> service.waiting(DLQ) == 2);

        assertThat(dlq("requeue", "--all")).as(err).isZero();
        assertThat(out).contains("dlq requeue: 2 moved, 0 not found");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(dlq("list", "--json")).isZero();
            JsonNode messages = new ObjectMapper().readTree(out).get("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.findValuesAsText("reason")).containsExactlyInAnyOrder(
                    "message x1 rejected: only an operator may send client.erased",
                    "message r1 rejected: only the emailer may send reminder.sent");
        });
        // and once more: a dead letter of a requeued message still carries its first sender
        assertThat(dlq("requeue", "--all")).as(err).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(dlq("list", "--json")).isZero();
            assertThat(new ObjectMapper().readTree(out).get("messages").findValuesAsText("reason")).containsExactlyInAnyOrder(
                    "message x1 rejected: only an operator may send client.erased",
                    "message r1 rejected: only the emailer may send reminder.sent");
        });
        assertThat(run("show", "--data-dir", service.layout.root().toString(), "ACME/INV-1")).isZero();
        assertThat(out).doesNotContain("client.erased").doesNotContain("reminder.sent");
    }

    /** The property that carries a requeued message's first sender is trusted only on the operator's sends. */
    @Test
    void aProducerNamingAnotherFirstSenderIsJudgedAsItself() throws Exception {
        service.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        service.send(Messages.erased("x1", "ACME"), Map.of("CollectionsOriginalSender", "operator",
                "CollectionsSender", "operator"));
        await().atMost(WAIT).until(() -> service.waiting(DLQ) == 1);
        assertThat(dlq("list", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(out).at("/messages/0/reason").asText())
                .isEqualTo("message x1 rejected: only an operator may send client.erased");
    }

    /** The service's verdict on a dead letter is the service's to write: a producer's own copy of it is not shown. */
    @Test
    void dlqListShowsNoReasonASenderWroteItself() throws Exception {
        try (Connection producer = RunningService.connect(service.layout.root(), service.port, BrokerCredentials.PRODUCER)) {
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer sender = session.createProducer(session.createQueue("collections.invoices"));
            sender.setTimeToLive(1); // expired on arrival: the broker moves it to the DLQ, the service never sees it
            jakarta.jms.TextMessage message = session.createTextMessage(new String(Messages.issued("late", "ACME", "INV-9",
                    "5.00", "USD"), StandardCharsets.UTF_8));
            message.setStringProperty("CollectionsRejectReason", "message late rejected: forged by its sender");
            message.setStringProperty("collectionsrejectedat", "2001-01-01T00:00:00Z");
            sender.send(message);
        }
        await().atMost(WAIT).until(() -> service.waiting(DLQ) == 1);

        assertThat(dlq("list")).as(err).isZero();
        assertThat(out).contains("  reason:   dead-lettered by the broker (from collections.invoices").doesNotContain("forged");
        assertThat(dlq("list", "--json")).isZero();
        assertThat(out).doesNotContain("2001-01-01");
    }
}
