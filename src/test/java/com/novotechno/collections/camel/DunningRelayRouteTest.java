package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.state.DunningRequests;
import com.novotechno.collections.state.DunningStep;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dunning-relay route of routes/dunning.yaml, its queue a mock: outbox first, then the send, then the record. */
class DunningRelayRouteTest extends YamlRouteTestSupport {

    private static final InvoiceKey INV_1 = new InvoiceKey("ACME", "INV-1");
    private static final DunningSettings EVERY_DAY = DunningSettings.of(Settings.load(Map.of(),
            Map.of("collections.dunning.skip-days", "")));
    /** Stores.NOW's day; INV-1 fell due 45 days before it. */
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 15);
    /** The shipped relay ticks every 5 s; the test's every 50 ms, so that "the next tick" is soon. */
    private static final String FAST_TICKS = "timer:dunning-relay?period=50&delay=0";

    private String requestId;

    /** One request decided in the log and not yet emitted: what the relay finds at its first tick. */
    @BeforeEach
    void decideOneRequest() throws Exception {
        openStore();
        store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-1\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2025-12-01\","
                + "\"due_on\":\"%s\",\"contact_email\":\"ap@acme.example\"}", TODAY.minusDays(45)));
        assertThat(store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), TODAY, EVERY_DAY))).hasSize(1);
        requestId = store.owedEmissions(java.time.Duration.ofHours(24)).get(0).requestId();

        context.getRegistry().bind("dunningRelay", new DunningRelay(store, new FileSystemStorage(), layout, java.time.Duration.ofHours(24)));
        context.getRegistry().bind("outboxHousekeeping", new OutboxHousekeeping(store, new FileSystemStorage(), layout,
                withOutboxGroup(primaryGroup()), Stores.SETTINGS.clock()));
        Properties keys = new Properties();
        keys.setProperty("collections.reconcile.period", "1h");
        loadRoutes(keys, "dunning.yaml");
        // The deciding route is the planner's business (DunningRouteTest) and the alerts DunningAlertCheckTest's;
        // here the log already holds the decision.
        context.removeRouteDefinition(route("dunning"));
        context.removeRouteDefinition(route("dunning-alerts"));
    }

    @Test
    void aSendThatFailsOnceIsEmittedAtTheNextTickAndRecordedOnce() throws Exception {
        AtomicInteger faults = new AtomicInteger();
        advise("dunning-relay", route -> {
            route.replaceFromWith(FAST_TICKS);
            route.weaveById("dunning-send").replace()
                    .process(exchange -> {
                        if (faults.getAndIncrement() == 0) {
                            throw new IOException("the broker is unreachable (injected once)");
                        }
                    })
                    .to("mock:emailer");
        });
        MockEndpoint emailer = getMockEndpoint("mock:emailer");
        NotifyBuilder failedThenEmitted = new NotifyBuilder(context).fromRoute("dunning-relay")
                .whenFailed(1).and().whenCompleted(1).create();
        context.start();

        assertThat(failedThenEmitted.matches(10, TimeUnit.SECONDS)).as("a failed tick, then one that emitted").isTrue();
        // A few more ticks: the request, recorded as emitted, is not emitted again.
        NotifyBuilder moreTicks = new NotifyBuilder(context).fromRoute("dunning-relay").whenCompleted(3).create();
        assertThat(moreTicks.matches(10, TimeUnit.SECONDS)).isTrue();

        assertThat(faults.get()).as("sends tried").isEqualTo(2);
        assertThat(emailer.getReceivedExchanges()).singleElement().satisfies(sent -> assertThat(
                sent.getMessage().getHeader(DunningRelay.DUPLICATE_ID)).as("the first attempt's id: the broker would"
                + " drop the retry had the failed send landed after all").isEqualTo(requestId + ":reminder.requested:1"));
        assertThat(step().emittedAttempts()).isEqualTo(1);
        assertThat(store.lastSeq()).as("invoice, decision, one emission").isEqualTo(3);
        assertThat(store.owedEmissions(java.time.Duration.ofHours(24))).isEmpty();
    }

    @Test
    void aRequestSentJustBeforeAKillIsRevokedWhenItsInvoiceIsPaidBeforeItsEmissionIsRecorded() throws Exception {
        AtomicInteger kills = new AtomicInteger();
        advise("dunning-relay", route -> {
            route.replaceFromWith(FAST_TICKS);
            route.weaveById("dunning-send").replace().to("mock:emailer");
            route.weaveById("dunning-emitted").replace().process(exchange -> {
                if (kills.getAndIncrement() == 0) {
                    // The kill came after the broker took the request and before the log's record of it; the next run
                    // applied the payment that closes the invoice before its relay ticked.
                    store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
                    throw new IOException("killed between the send and its record (injected once)");
                }
                context.getRegistry().lookupByNameAndType("dunningRelay", DunningRelay.class)
                        .emitted(exchange.getProperty(DunningRelay.EMISSION, DunningRequests.Emission.class));
            });
        });
        MockEndpoint emailer = getMockEndpoint("mock:emailer");
        NotifyBuilder killedThenTicks = new NotifyBuilder(context).fromRoute("dunning-relay")
                .whenFailed(1).and().whenCompleted(3).create();
        context.start();

        assertThat(killedThenTicks.matches(10, TimeUnit.SECONDS)).as("the cut-off tick, then three more").isTrue();
        assertThat(emailer.getReceivedExchanges()).extracting(DunningRelayRouteTest::body)
                .as("the request the emailer holds, then its revocation").hasSize(2)
                .last().asString().contains("\"type\":\"reminder.revoked\"", "\"request_id\":\"" + requestId + "\"");
    }

    @Test
    void aRequestFileACrashLeftIsRevokedAtTheFirstTickWhenItsInvoiceWasPaidMeanwhile() throws Exception {
        // The last run wrote and sent the request and was killed before its record; this one applied the payment
        // before its relay's first tick. Only the file in outbox/ says the request may have gone out.
        writeRequestFileAsTheRelayWould();
        store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
        assertThat(step().withdrawnUnrecorded()).as("withdrawn by the payment").isTrue();
        startTheNextRun();
        List<String> sent = sentInThreeTicks();
        assertThat(sent).singleElement().asString()
                .contains("\"type\":\"reminder.revoked\"", "\"request_id\":\"" + requestId + "\"", "\"reason\":\"paid\"");
        assertThat(layout.outbox().resolve(requestId + ".revoked.json")).exists();
        assertThat(step().revoked()).isTrue();
        assertThat(step().emittedAttempts()).as("the send the crash left unrecorded, counted once").isEqualTo(1);
        assertThat(store.lateRevocation(INV_1, requestId)).as("revoked once").isEmpty();
    }

    @Test
    void aRequestFileACrashLeftIsRevokedWhenItsInvoiceWasPausedMeanwhile() throws Exception {
        writeRequestFileAsTheRelayWould();
        store.apply(Messages.json("{\"type\":\"dunning.paused\",\"message_id\":\"pause-1\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-1\",\"reason\":\"disputed\"}"));
        startTheNextRun();
        List<String> sent = sentInThreeTicks();
        assertThat(sent).singleElement().asString()
                .contains("\"type\":\"reminder.revoked\"", "\"reason\":\"paused: disputed\"");
        assertThat(step().revoked()).isTrue();
    }

    @Test
    void aWithdrawnRequestThatNeverReachedTheOutboxIsNeverSentNorRevoked() throws Exception {
        store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
        List<String> sent = sentInThreeTicks();
        assertThat(sent).as("nothing went out, so nothing to take back").isEmpty();
        assertThat(step().withdrawnUnrecorded()).isTrue();
        assertThat(layout.outbox()).doesNotExist();
    }

    @Test
    void aLateRevocationWhoseFileACrashLeftBeforeItsSendIsSentAtTheNextStart() throws Exception {
        // The last run found the request file, wrote its late revocation's file and was killed before sending it:
        // a revocation file is written before its send, so it proves nothing went out; only the log's record does.
        writeRequestFileAsTheRelayWould();
        store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
        DunningRequests.Emission late = store.lateRevocation(INV_1, requestId).orElseThrow();
        Files.write(layout.outbox().resolve(requestId + ".revoked.json"), PrettyJson.JSON.writeValueAsBytes(late.body()));
        startTheNextRun();
        List<String> sent = sentInThreeTicks();
        assertThat(sent).singleElement().asString()
                .contains("\"type\":\"reminder.revoked\"", "\"request_id\":\"" + requestId + "\"", "\"reason\":\"paid\"");
        assertThat(step().revoked()).isTrue();
        assertThat(step().emittedAttempts()).isEqualTo(1);
    }

    @Test
    void aRequestPaidBetweenItsSendAndItsRecordIsRevokedInTheSameRun() throws Exception {
        // No kill: the payment lands after the broker took the request and before the log records the emission.
        AtomicInteger payments = new AtomicInteger();
        advise("dunning-relay", route -> {
            route.replaceFromWith(FAST_TICKS);
            route.weaveById("dunning-send").replace().to("mock:emailer").process(exchange -> {
                if (payments.getAndIncrement() == 0) {
                    store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
                }
            });
        });
        MockEndpoint emailer = getMockEndpoint("mock:emailer");
        NotifyBuilder ticks = new NotifyBuilder(context).fromRoute("dunning-relay").whenCompleted(4).create();
        context.start();

        assertThat(ticks.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(emailer.getReceivedExchanges()).extracting(DunningRelayRouteTest::body)
                .as("the request the emailer holds, then its revocation").hasSize(2)
                .last().asString().contains("\"type\":\"reminder.revoked\"", "\"request_id\":\"" + requestId + "\"",
                        "\"reason\":\"paid\"");
        assertThat(step().revoked()).isTrue();
        assertThat(step().emittedAttempts()).isEqualTo(1);
    }

    @Test
    void aRequestFileACrashLeftIsRevokedWhenItsClientIsErasedBeforeTheFirstTick() throws Exception {
        writeRequestFileAsTheRelayWould();
        // The next run's relay is made as the service starts, before its intake routes (CollectionsService); the
        // erasure those apply before the relay's first tick sweeps the request file away with the client's files.
        startTheNextRun();
        store.apply(Messages.erased("x1", "ACME"));
        assertThat(outboxFile()).as("swept with the client").doesNotExist();
        List<String> sent = sentInThreeTicks();
        assertThat(sent).singleElement().asString()
                .contains("\"type\":\"reminder.revoked\"", "\"request_id\":\"" + requestId + "\"",
                        "\"reason\":\"client erased\"")
                .doesNotContain("ap@acme.example");
        assertThat(step().revoked()).isTrue();
    }

    @Test
    void theRequestIsInTheOutboxBeforeTheSendAndItsEmissionIsRecordedAfterIt() throws Exception {
        advise("dunning-relay", route -> {
            route.replaceFromWith(FAST_TICKS);
            route.weaveById("dunning-send").replace().to("mock:emailer");
        });
        List<String> atTheSend = new CopyOnWriteArrayList<>();
        MockEndpoint emailer = getMockEndpoint("mock:emailer");
        emailer.whenAnyExchangeReceived(exchange -> {
            Path file = outboxFile();
            atTheSend.add("outbox file " + (Files.exists(file) && Files.readString(file).equals(body(exchange))
                    ? "holds the request" : "missing or different"));
            atTheSend.add("emitted attempts " + step().emittedAttempts());
        });
        NotifyBuilder emitted = new NotifyBuilder(context).fromRoute("dunning-relay").whenCompleted(2).create();
        context.start();

        assertThat(emitted.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(atTheSend).containsExactly("outbox file holds the request", "emitted attempts 0");
        assertThat(step().emittedAttempts()).as("after the send").isEqualTo(1);
        String sent = body(emailer.getReceivedExchanges().get(0));
        assertThat(sent).contains("\"request_id\":\"" + requestId + "\"", "\"type\":\"reminder.requested\"");
        assertThat(outboxFile()).hasContent(sent);
    }

    @Test
    void theOutboxFileIsReadableByTheConfiguredGroupBeforeItIsSent() throws Exception {
        advise("dunning-relay", route -> {
            route.replaceFromWith(FAST_TICKS);
            route.weaveById("dunning-send").replace().to("mock:emailer");
        });
        List<String> modeAtTheSend = new CopyOnWriteArrayList<>();
        getMockEndpoint("mock:emailer").whenAnyExchangeReceived(exchange -> modeAtTheSend.add(
                PosixFilePermissions.toString(Files.getPosixFilePermissions(outboxFile())) + " "
                        + Files.readAttributes(outboxFile(), PosixFileAttributes.class).group().getName()));
        NotifyBuilder emitted = new NotifyBuilder(context).fromRoute("dunning-relay").whenCompleted(1).create();
        context.start();

        assertThat(emitted.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(modeAtTheSend).containsExactly("rw-r----- " + primaryGroup());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.outbox()))).isEqualTo("rwxr-x---");
    }

    /** The current user's primary group: a new file outside a setgid folder takes it. */
    private String primaryGroup() throws IOException {
        Path probe = Files.createTempFile(data, "probe", ".txt");
        try {
            return Files.readAttributes(probe, PosixFileAttributes.class).group().getName();
        } finally {
            Files.delete(probe);
        }
    }

    private static DunningSettings withOutboxGroup(String group) {
        return DunningSettings.of(Settings.load(Map.of(), Map.of("collections.dunning.skip-days", "",
                "collections.outbox.group", group)));
    }

    /** What the emailer's queue got in the relay's first three ticks, its queue a mock. */
    private List<String> sentInThreeTicks() throws Exception {
        MockEndpoint emailer = routeToMockEmailer();
        NotifyBuilder ticks = new NotifyBuilder(context).fromRoute("dunning-relay").whenCompleted(3).create();
        context.start();
        assertThat(ticks.matches(10, TimeUnit.SECONDS)).as("three ticks").isTrue();
        return emailer.getReceivedExchanges().stream().map(DunningRelayRouteTest::body).toList();
    }

    private MockEndpoint routeToMockEmailer() throws Exception {
        advise("dunning-relay", route -> {
            route.replaceFromWith(FAST_TICKS);
            route.weaveById("dunning-send").replace().to("mock:emailer");
        });
        return getMockEndpoint("mock:emailer");
    }

    /** The relay of the run after the one that left the outbox as it is: made at the start, as the service makes it. */
    private void startTheNextRun() {
        context.getRegistry().bind("dunningRelay", new DunningRelay(store, new FileSystemStorage(), layout,
                java.time.Duration.ofHours(24)));
    }

    /** outbox/<request_id>.json as the relay writes it before the send. */
    private void writeRequestFileAsTheRelayWould() throws IOException {
        DunningRequests.Emission emission = store.owedEmissions(java.time.Duration.ofHours(24)).get(0);
        Files.createDirectories(layout.outbox());
        Files.write(outboxFile(), PrettyJson.JSON.writeValueAsBytes(emission.body()));
    }

    private DunningStep step() {
        return store.find(INV_1).flatMap(state -> state.dunningStep(requestId)).orElseThrow();
    }

    private Path outboxFile() {
        return layout.outbox().resolve(requestId + ".json");
    }

    private static String body(Exchange exchange) {
        return exchange.getMessage().getBody(String.class);
    }
}
