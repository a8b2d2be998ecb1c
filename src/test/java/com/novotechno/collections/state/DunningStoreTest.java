package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import com.novotechno.collections.dunning.DunningRequest;
import com.novotechno.collections.dunning.DunningRevocation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's side of dunning: each decision in the log before any emission, and each emission recorded once. */
class DunningStoreTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("ACME", "INV-1");
    private static final DunningSettings EVERY_DAY = DunningSettings.of(Settings.load(Map.of(),
            Map.of("collections.dunning.skip-days", "")));
    /** Stores.NOW's day; INV-1 falls due 45 days before it. */
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 15);

    private static final Duration TIMEOUT = Duration.ofHours(24);

    @TempDir
    Path data;

    private static byte[] message(String format, Object... args) {
        return Messages.json(format, args);
    }

    /** Decides and emits INV-1's reminder as the relay would, at Stores.NOW. */
    private DunningRequests.Emission remindAndEmit(CollectionsStore store) throws Exception {
        issueOverdue(store);
        decide(store, TODAY);
        DunningRequests.Emission emission = store.owedEmissions(TIMEOUT).get(0);
        store.recordEmitted(emission);
        return emission;
    }

    private CollectionsStore openAt(Instant now) throws Exception {
        return CollectionsStore.open(data, new StoreSettings(Currency.getInstance("USD"), 30,
                Clock.fixed(now, ZoneOffset.UTC)), n -> { });
    }

    @Test
    void aPaymentThatPaysTheInvoiceOffAfterTheEmissionOwesARevocationOnce() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            DunningRequests.Emission request = remindAndEmit(store);
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            DunningRequests.Emission revocation = store.owedEmissions(TIMEOUT).get(0);
            assertThat(revocation.kind()).isEqualTo(DunningRequests.Emission.Kind.REVOCATION);
            assertThat(revocation.requestId()).isEqualTo(request.requestId());
            assertThat(revocation.outboxFileName()).isEqualTo(request.requestId() + ".revoked.json");
            assertThat(((DunningRevocation) revocation.body()).reason()).isEqualTo("paid");
            store.recordEmitted(revocation);
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
            assertThat(store.find(INV_1).orElseThrow().dunning().get(0).revoked()).isTrue();
        }
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void anInvoiceCreditedVoidedOrWrittenOffAfterTheEmissionOwesARevocationNamingHowItClosed() throws Exception {
        for (String closing : List.of("credited", "written off", "client erased")) {
            Path folder = data.resolve(closing.replace(' ', '-'));
            try (CollectionsStore store = Stores.open(folder)) {
                remindAndEmit(store);
                store.apply(switch (closing) {
                    case "credited" -> Messages.credit("c1", "ACME", "INV-1", "100.00", "USD");
                    case "written off" -> Messages.writtenOff("w1", "ACME", "INV-1");
                    default -> Messages.erased("x1", "ACME");
                });
                DunningRequests.Emission revocation = store.owedEmissions(TIMEOUT).get(0);
                assertThat(revocation.kind()).as(closing).isEqualTo(DunningRequests.Emission.Kind.REVOCATION);
                assertThat(((DunningRevocation) revocation.body()).reason()).isEqualTo(closing);
                // Nothing more is planned for it: closed, or with nobody left to remind.
                assertThat(decide(store, TODAY.plusDays(30))).as(closing).isEqualTo(closing.equals("client erased") ? 1 : 0);
            }
        }
    }

    @Test
    void aRequestDecidedButNotEmittedWhenItsInvoiceClosedIsNeverEmittedEvenAfterAReopening() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            decide(store, TODAY);
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(Messages.reversed("r1", "ACME", "INV-1", "p1"));
            // Its balance and date are stale now; the ladder goes on from it instead.
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
            assertThat(store.find(INV_1).orElseThrow().dunning()).singleElement()
                    .satisfies(step -> assertThat(step.revoked()).isTrue());
            assertThat(decide(store, TODAY.plusDays(7))).isEqualTo(1);
            assertThat(store.owedEmissions(TIMEOUT)).singleElement()
                    .satisfies(emission -> assertThat(emission.kind()).isEqualTo(DunningRequests.Emission.Kind.REQUEST));
        }
    }

    @Test
    void aNewDueDateMovesTheLevelsNotYetRequestedAndTheRequestsMadeStand() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            DunningRequests.Emission reminder = remindAndEmit(store);
            // Due 45 days ago; moved to 5 days ago: the final notice (14 days) is no longer due, the reminder stands.
            store.apply(Messages.amended("a1", "ACME", "INV-1", null, TODAY.minusDays(5).toString()));
            assertThat(decide(store, TODAY.plusDays(8))).isZero();
            assertThat(store.find(INV_1).orElseThrow().dunning()).singleElement()
                    .satisfies(step -> assertThat(step.requestId()).isEqualTo(reminder.requestId()));
            assertThat(decide(store, TODAY.plusDays(9))).isEqualTo(1); // 14 days after the new due date
        }
    }

    @Test
    void aRequestDecidedButPaidBeforeItsEmissionIsNeitherEmittedNorRevoked() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            decide(store, TODAY);
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
        }
    }

    @Test
    void aPausedInvoiceGetsNoRequestItsUnacknowledgedRequestIsRevokedAndResumingContinuesTheLadder() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            remindAndEmit(store);
            pauseDisputed(store);
            DunningRequests.Emission revocation = store.owedEmissions(TIMEOUT).get(0);
            assertThat(((DunningRevocation) revocation.body()).reason()).isEqualTo("paused: disputed");
            store.recordEmitted(revocation);
            assertThat(decide(store, TODAY.plusDays(30))).as("paused").isZero();
            resumeAndExpectTheNextLevel(store);
        }
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void anUnacknowledgedRequestIsEmittedOnceMoreAfterTheTimeoutAndNeverAThirdTime() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            remindAndEmit(store);
            assertThat(store.owedEmissions(TIMEOUT)).as("within the timeout").isEmpty();
        }
        try (CollectionsStore store = openAt(Stores.NOW.plus(TIMEOUT))) {
            DunningRequests.Emission again = store.owedEmissions(TIMEOUT).get(0);
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(again.duplicateId()).endsWith(":reminder.requested:2");
            store.recordEmitted(again);
        }
        try (CollectionsStore store = openAt(Stores.NOW.plus(TIMEOUT.multipliedBy(5)))) {
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
        }
    }

    @Test
    void theEmailersFeedbackAcknowledgesOrRecordsAFailureAndAnUnknownRequestIsRejected() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            String id = remindAndEmit(store).requestId();
            store.apply(message("{\"type\":\"reminder.failed\",\"message_id\":\"f1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"request_id\":\"%s\",\"reason\":\"mailbox full\"}", id));
            assertThat(store.find(INV_1).orElseThrow().dunning().get(0).failures()).containsExactly("mailbox full");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.apply(message(
                    "{\"type\":\"reminder.sent\",\"message_id\":\"s0\",\"client\":\"ACME\",\"invoice_number\":\"INV-1\","
                    + "\"level\":\"reminder\",\"sent_at\":\"2026-03-15T10:00:00Z\",\"request_id\":\"dun-%s\"}", "0".repeat(32))))
                    .hasMessageContaining("is no request made for invoice ACME/INV-1");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.apply(message(
                    "{\"type\":\"reminder.sent\",\"message_id\":\"s9\",\"client\":\"ACME\",\"invoice_number\":\"INV-1\","
                    + "\"level\":\"escalate\",\"sent_at\":\"2026-03-15T10:00:00Z\",\"request_id\":\"%s\"}", id)))
                    .hasMessageContaining("level: escalate is not the level of request " + id + " (reminder)");
            store.apply(message("{\"type\":\"reminder.sent\",\"message_id\":\"s1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"level\":\"reminder\",\"sent_at\":\"2026-03-15T10:00:00Z\","
                    + "\"request_id\":\"%s\"}", id));
            assertThat(store.find(INV_1).orElseThrow().dunning().get(0).acknowledged()).isTrue();
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
        }
    }

    @Test
    void aRequestWithdrawnBetweenItsSendAndItsRecordIsNotRecordedAsEmittedSoItsRevocationIsOwed() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            decide(store, TODAY);
            DunningRequests.Emission request = store.owedEmissions(TIMEOUT).get(0);
            assertThat(store.writeIfStillOwed(request, TIMEOUT, () -> { })).isTrue();
            // Sent; the payment withdraws it before the relay records the send.
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            store.recordEmitted(request);
            // Recorded as emitted, the withdrawn step would read as revoked, and the emailer would never hear of it.
            assertThat(store.lateRevocation(INV_1, request.requestId())).as("it went out: take it back")
                    .hasValueSatisfying(late -> assertThat(((DunningRevocation) late.body()).reason()).isEqualTo("paid"));
            store.recordEmitted(store.lateRevocation(INV_1, request.requestId()).orElseThrow());
            DunningStep step = store.find(INV_1).orElseThrow().dunningStep(request.requestId()).orElseThrow();
            assertThat(step.revoked()).isTrue();
            assertThat(step.emittedAttempts()).isEqualTo(1);
        }
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void aWithdrawnRequestOwesALateRevocationOnceWhichCountsItsUnrecordedSendAndReplays() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            decide(store, TODAY);
            String requestId = store.owedEmissions(TIMEOUT).get(0).requestId();
            // The relay wrote and sent it; a kill took its record; the payment came first in the next run.
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            DunningRequests.Emission late = store.lateRevocation(INV_1, requestId).orElseThrow();
            assertThat(late.kind()).isEqualTo(DunningRequests.Emission.Kind.LATE_REVOCATION);
            assertThat(late.outboxFileName()).isEqualTo(requestId + ".revoked.json");
            assertThat(late.duplicateId()).isEqualTo(requestId + ":reminder.revoked:1");
            assertThat(((DunningRevocation) late.body()).reason()).isEqualTo("paid");
            assertThat(store.writeIfStillOwed(late, TIMEOUT, () -> { })).as("owed as listed").isTrue();
            store.recordEmitted(late);
            store.recordEmitted(late); // repeated after a crash: recorded once
            assertThat(store.lastSeq()).as("invoice, decision, payment, revocation").isEqualTo(4);
            DunningStep step = store.find(INV_1).orElseThrow().dunningStep(requestId).orElseThrow();
            assertThat(step.revoked()).isTrue();
            assertThat(step.emittedAttempts()).isEqualTo(1);
            assertThat(store.lateRevocation(INV_1, requestId)).isEmpty();
            assertThat(store.writeIfStillOwed(late, TIMEOUT, () -> { })).as("owed no more").isFalse();
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
        }
        assertVerifiesAndReplays();
    }

    @Test
    void aRequestPausedBeforeItsEmissionWasRecordedOwesALateRevocationAndResumingContinuesTheLadder() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            decide(store, TODAY);
            String requestId = store.owedEmissions(TIMEOUT).get(0).requestId();
            assertThat(store.lateRevocation(INV_1, requestId)).as("it may still go out").isEmpty();
            pauseDisputed(store);
            assertThat(store.owedEmissions(TIMEOUT)).as("nothing to send while paused").isEmpty();
            DunningRequests.Emission late = store.lateRevocation(INV_1, requestId).orElseThrow();
            assertThat(((DunningRevocation) late.body()).reason()).isEqualTo("paused: disputed");
            store.recordEmitted(late);
            resumeAndExpectTheNextLevel(store);
        }
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void aLateRevocationAfterAReopeningSaysTheRequestWasWithdrawnAndNoneIsOwedForARecordedOrOpenRequest() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            decide(store, TODAY);
            String requestId = store.owedEmissions(TIMEOUT).get(0).requestId();
            assertThat(store.lateRevocation(INV_1, requestId)).as("open, not withdrawn").isEmpty();
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(Messages.reversed("r1", "ACME", "INV-1", "p1"));
            assertThat(store.lateRevocation(INV_1, requestId)).hasValueSatisfying(late ->
                    assertThat(((DunningRevocation) late.body()).reason()).isEqualTo("withdrawn"));
        }
        Path other = data.resolveSibling(data.getFileName() + "-recorded");
        try (CollectionsStore store = Stores.open(other)) {
            DunningRequests.Emission request = remindAndEmit(store);
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            assertThat(store.lateRevocation(INV_1, request.requestId())).as("recorded: an ordinary revocation").isEmpty();
            assertThat(store.lateRevocation(INV_1, "dun-00000000000000000000000000000000")).isEmpty();
        }
    }

    private static void pauseDisputed(CollectionsStore store) throws Exception {
        store.apply(message("{\"type\":\"dunning.paused\",\"message_id\":\"pause-1\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-1\",\"reason\":\"disputed\"}"));
    }

    /** Resumed, the revoked reminder is never sent again and the ladder goes on from it. */
    private void resumeAndExpectTheNextLevel(CollectionsStore store) throws Exception {
        store.apply(message("{\"type\":\"dunning.resumed\",\"message_id\":\"resume-1\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-1\"}"));
        assertThat(store.owedEmissions(TIMEOUT)).as("revoked: never sent again").isEmpty();
        assertThat(decide(store, TODAY.plusDays(30))).as("resumed: the next level").isEqualTo(1);
        assertThat(store.find(INV_1).orElseThrow().dunning()).extracting(DunningStep::level)
                .containsExactly("reminder", "final_notice");
    }

    private void assertVerifiesAndReplays() throws Exception {
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    private void issueOverdue(CollectionsStore store) throws Exception {
        store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-1\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2025-12-01\","
                + "\"due_on\":\"%s\",\"contact_email\":\"ap@acme.example\"}", TODAY.minusDays(45)));
    }

    private int decide(CollectionsStore store, LocalDate today) throws Exception {
        return store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), today, EVERY_DAY)).size();
    }

    @Test
    void aRequestDecidedButNotEmittedBeforeACrashIsEmittedAfterItAndRecordedOnce() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            assertThat(decide(store, TODAY)).isEqualTo(1);
            assertThat(decide(store, TODAY)).as("a run repeated the same day").isZero();
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.owedEmissions(TIMEOUT)).singleElement().satisfies(emission -> {
                assertThat(((DunningRequest) emission.body()).lateByDays()).isEqualTo(38);
                assertThat(emission.duplicateId()).isEqualTo(emission.requestId() + ":reminder.requested:1");
            });
            DunningRequests.Emission emission = store.owedEmissions(TIMEOUT).get(0);
            store.recordEmitted(emission);
            store.recordEmitted(emission); // a relay that crashed after its record repeats it: no second entry
            assertThat(store.lastSeq()).isEqualTo(3);
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
        }
        assertVerifiesAndReplays();
    }

    @Test
    void theLastLevelEscalatesTheInvoiceThroughTheLogWithTheDaysOverdue() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            issueOverdue(store);
            // One level a run, a min gap apart: reminder, final notice a week later, escalation a week after that.
            assertThat(decide(store, TODAY)).isEqualTo(1);
            assertThat(decide(store, TODAY.plusDays(7))).isEqualTo(1);
            assertThat(decide(store, TODAY.plusDays(14))).isEqualTo(1);
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.status()).isEqualTo(InvoiceStatus.ESCALATED);
            assertThat(state.escalationReason()).contains("59 days overdue");
            assertThat(state.dunning()).extracting(DunningStep::level).containsExactly("reminder", "final_notice", "escalate");
            assertThat(decide(store, TODAY.plusDays(30))).as("past the last level").isZero();
            store.flushLedger();
        }
        assertThat(com.novotechno.collections.testing.Ledgers.rows(data, com.novotechno.collections.ledger.LedgerSection.ESCALATED))
                .singleElement().satisfies(row -> assertThat(row.reason()).contains("59 days overdue"));
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void aPauseOfAWholeClientStopsItsInvoicesIncludingLaterOnesUntilResumed() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            remindAndEmit(store);
            store.apply(message("{\"type\":\"dunning.paused\",\"message_id\":\"cp-1\",\"client\":\"ACME\","
                    + "\"reason\":\"in administration\"}"));
            // The emitted, unacknowledged request is taken back, and no new one is made.
            assertThat(((DunningRevocation) store.owedEmissions(TIMEOUT).get(0).body()).reason())
                    .isEqualTo("paused: in administration");
            store.recordEmitted(store.owedEmissions(TIMEOUT).get(0));
            store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i2\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-2\",\"amount\":\"5.00\",\"currency\":\"USD\",\"issued_on\":\"2025-12-01\","
                    + "\"due_on\":\"2026-01-01\",\"contact_email\":\"ap@acme.example\"}"));
            assertThat(decide(store, TODAY.plusDays(30))).as("every invoice of the client, the new one too").isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.apply(message(
                    "{\"type\":\"dunning.resumed\",\"message_id\":\"cr-0\",\"client\":\"OTHER\"}")))
                    .hasMessageContaining("client OTHER is not paused as a whole");
            store.apply(message("{\"type\":\"dunning.resumed\",\"message_id\":\"cr-1\",\"client\":\"ACME\"}"));
            assertThat(decide(store, TODAY.plusDays(30))).as("resumed: both invoices move on").isEqualTo(2);
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(9);
        }
        assertVerifiesAndReplays();
    }
}
