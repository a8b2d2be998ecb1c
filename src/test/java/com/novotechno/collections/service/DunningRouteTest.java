package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningRequest;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningStep;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** Dunning through the real service: decided in the log, emitted to outbox/ and collections.emailer once, acknowledged. */
class DunningRouteTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InvoiceKey OVERDUE = new InvoiceKey("ACME", "INV-1");

    /** Invoices as a producer sent them before the start: one 45 days overdue with a contact, one not yet due. */
    private void issueBeforeStart() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        StoreSettings settings = new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC());
        try (CollectionsStore store = CollectionsStore.open(data, settings, n -> { })) {
            store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"%s\","
                    + "\"due_on\":\"%s\",\"contact_email\":\"ap@acme.example\"}", today.minusDays(75), today.minusDays(45)));
            store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i2\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-2\",\"amount\":\"50.00\",\"currency\":\"USD\",\"due_on\":\"%s\","
                    + "\"contact_email\":\"ap@acme.example\"}", today.minusDays(3)));
        }
    }

    private DunningStep step() {
        return running.service.store().find(OVERDUE).orElseThrow().dunning().get(0);
    }

    @Test
    void aRunAtStartEmitsTheRequestToTheOutboxAndTheQueueOnceAndARestartEmitsNothingNew() throws Exception {
        issueBeforeStart();
        // A weekend or holiday would make today a quiet day: no skip days, so the test runs any day.
        Map<String, String> everyDay = Map.of("collections.dunning.skip-days", "",
                "collections.dunning.schedule", RunningService.DUNNING_SCHEDULE);
        running = RunningService.start(data, new FileSystemStorage(), everyDay);
        String requestId = DunningRequest.idFor(OVERDUE, "reminder");

        Message sent = running.receive("collections.emailer", WAIT).orElseThrow();
        JsonNode request = JSON.readTree(RunningService.bodyOf(sent));
        assertThat(request.get("request_id").asText()).isEqualTo(requestId);
        assertThat(request.get("type").asText()).isEqualTo("reminder.requested");
        assertThat(request.get("level").asText()).isEqualTo("reminder");
        assertThat(request.get("balance").asText()).isEqualTo("100.00");
        assertThat(request.get("days_overdue").asInt()).isEqualTo(45);
        assertThat(request.get("late_by_days").asInt()).isEqualTo(38);
        assertThat(request.get("contact_email").asText()).isEqualTo("ap@acme.example");
        Path outbox = data.resolve("outbox").resolve(requestId + ".json");
        await().atMost(WAIT).until(() -> step().emittedAttempts() == 1);
        assertThat(JSON.readTree(outbox.toFile())).isEqualTo(request);
        assertThat(JSON.readTree(data.resolve("state/open/ACME/INV-1.json").toFile()).get("dunning_level").asText())
                .isEqualTo("reminder");

        // The emailer acknowledges; the service records it.
        running.sendAsEmailer(Messages.json("{\"type\":\"reminder.sent\",\"message_id\":\"ack-1\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-1\",\"level\":\"reminder\",\"sent_at\":\"2026-01-01T09:00:00Z\","
                + "\"request_id\":\"%s\"}", requestId));
        await().atMost(WAIT).until(() -> step().acknowledged());

        running.close();
        // Counted from before the routes start, so that the run at start (1 s after it) cannot pass uncounted.
        AtomicReference<NotifyBuilder> runAndRelayTicks = new AtomicReference<>();
        running = RunningService.startAdvised(data, everyDay, context -> runAndRelayTicks.set(new NotifyBuilder(context)
                .fromRoute("dunning").whenDone(1).and().fromRoute("dunning-relay").whenDone(2).create()));
        // The run at start and two relay ticks (2 and 7 s after the start) pass: nothing is decided or sent again.
        assertThat(runAndRelayTicks.get().matches(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(running.receive("collections.emailer", Duration.ofMillis(200))).isEmpty();
        assertThat(running.service.store().find(OVERDUE).orElseThrow().dunning()).hasSize(1);
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-2")).orElseThrow().dunning()).isEmpty();
    }

    @Test
    void aPaymentAfterTheEmissionRevokesTheRequestOnTheQueueAndInTheOutbox() throws Exception {
        issueBeforeStart();
        running = RunningService.start(data, new FileSystemStorage(), Map.of("collections.dunning.skip-days", ""));
        String requestId = DunningRequest.idFor(OVERDUE, "reminder");
        assertThat(running.receive("collections.emailer", WAIT)).isPresent();
        await().atMost(WAIT).until(() -> step().emittedAttempts() == 1);

        running.send(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));

        JsonNode revocation = JSON.readTree(RunningService.bodyOf(running.receive("collections.emailer", WAIT).orElseThrow()));
        assertThat(revocation.get("type").asText()).isEqualTo("reminder.revoked");
        assertThat(revocation.get("request_id").asText()).isEqualTo(requestId);
        assertThat(revocation.get("reason").asText()).isEqualTo("paid");
        await().atMost(WAIT).until(() -> step().revoked());
        assertThat(JSON.readTree(data.resolve("outbox").resolve(requestId + ".revoked.json").toFile())).isEqualTo(revocation);
        // A relay tick after the one that sent the revocation.
        assertThat(running.routeDone("dunning-relay", 1, WAIT)).isTrue();
        assertThat(running.receive("collections.emailer", Duration.ofMillis(200))).as("revoked once").isEmpty();
    }

    @Test
    void theBrokerDropsASendRepeatedWithTheSameDuplicateIdAsTheRelaySetsIt() throws Exception {
        running = RunningService.start(data);
        // As the relay's JMS send carries it: a string property on an AMQP message from the service's user.
        try (jakarta.jms.Connection connection = RunningService.connect(data, running.port,
                com.novotechno.collections.service.BrokerCredentials.SERVICE)) {
            jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.MessageProducer producer = session.createProducer(session.createQueue("collections.emailer"));
            for (String body : new String[] {"first", "repeat after a crash", "attempt 2"}) {
                jakarta.jms.TextMessage message = session.createTextMessage(body);
                message.setStringProperty("_AMQ_DUPL_ID", body.equals("attempt 2")
                        ? "dun-1:reminder.requested:2" : "dun-1:reminder.requested:1");
                producer.send(message);
            }
        }
        assertThat(RunningService.bodyOf(running.receive("collections.emailer", WAIT).orElseThrow())).isEqualTo("first");
        assertThat(RunningService.bodyOf(running.receive("collections.emailer", WAIT).orElseThrow())).isEqualTo("attempt 2");
        assertThat(running.receive("collections.emailer", Duration.ofSeconds(1))).isEmpty();
    }
}
