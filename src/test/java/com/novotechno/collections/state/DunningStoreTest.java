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
import java.nio.file.Path;
import java.time.LocalDate;
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

    @TempDir
    Path data;

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
            assertThat(store.unemittedRequests()).singleElement().satisfies(emission -> {
                assertThat(emission.request().lateByDays()).isEqualTo(38);
                assertThat(emission.duplicateId()).isEqualTo(emission.requestId() + ":reminder.requested:1");
            });
            String id = store.unemittedRequests().get(0).requestId();
            store.recordEmitted(INV_1, id, 1);
            store.recordEmitted(INV_1, id, 1); // a relay that crashed after its record repeats it: no second entry
            assertThat(store.lastSeq()).isEqualTo(3);
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.unemittedRequests()).isEmpty();
        }
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
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
        }
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }
}
