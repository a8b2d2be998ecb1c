package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.RollingSweep;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.StandardError;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconcile route's ticks over a book larger than one slice: 250 invoices, slices of 100 (the
 * minimum), so a cycle is three ticks; a full period of three ticks, as collections.reconcile.full-period
 * is for a million invoices and ticks a minute apart.
 */
class RollingReconcileTest {

    private static final int INVOICES = 250;
    private static final ReconcileSchedule THREE_TICKS = new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(3));

    @TempDir
    Path data;
    private CollectionsStore store;
    private DataLayout layout;
    private ReconcileCheck check;

    @BeforeEach
    void aBookOfThreeSlices() throws IOException {
        layout = new DataLayout(data);
        store = Stores.open(data);
        store.applyBatch(Messages.issuedMany(INVOICES, i -> "ACME"));
        store.flushLedger();
        StateAuditCheck audit = new StateAuditCheck(store, new StateAudit(new FileSystemStorage(), layout), THREE_TICKS,
                Stores.SETTINGS.clock());
        assertThat(audit.run()).as("the audit's first tick found nothing").isNull();
        check = new ReconcileCheck(store, audit, new SliceReconciler(new FileSystemStorage(), layout, ZoneOffset.UTC,
                THREE_TICKS), Stores.SETTINGS.clock());
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    /** The one line a run logs (each says what it compared, how long it took and what it found), with its level. */
    private String run() throws IOException {
        try (StandardError log = StandardError.capture()) {
            check.check();
            List<String> lines = log.text().lines().filter(line -> line.contains("reconcile: run ")).toList();
            assertThat(lines).hasSize(1);
            return lines.get(0);
        }
    }

    @Test
    void aRunThatAgreesLogsWhatItComparedAndHowLong() throws Exception {
        // The invoices issued before the check watched the store are the sweep's alone.
        assertThat(run()).matches(".* INFO ReconcileCheck - reconcile: run 1 in \\d+ ms: agree; compared ledger.qmd at log seq "
                + INVOICES + " \\(.*\\) and 100 state files of 100 invoices: 0 changed since the last run, 100 of the"
                + " sweep \\(cycle 1: 100 of 250 invoices, slices of 100\\), 0 compared again");
        store.apply(Messages.payment("p1", "ACME", "INV-240", "1.00", "USD"));
        assertThat(run()).contains("reconcile: run 2 in ").contains(": agree; ").contains(" and 101 state files of 101 invoices: 1"
                + " changed since the last run, 100 of the sweep");
    }

    @Test
    void aRunThatFindsADifferenceLogsItFirstSeenThenAlertedThenAWarningWhileItStays() throws IOException {
        run();
        Files.delete(layout.openState().resolve("ACME").resolve("INV-150.json")); // in the next slice
        assertThat(run()).contains(" INFO ").contains(": 1 differences seen for the first time; the next run checks them again;");
        assertThat(run()).contains(" INFO ").contains(": 1 differences, alerted;").contains(", 1 compared again");
        check.alerted();
        assertThat(run()).contains(" WARN ").contains(": the ledger still disagrees with the state files (1 differences,"
                + " alerted before);");
    }

    @Test
    void aDifferenceInAnInvoiceNotChangedRecentlyIsFoundWithinOneFullCycle() throws IOException {
        assertThat(check.check()).as("tick 1, the first slice: all agree").isNull();
        assertThat(check.lastReport().invoices()).as("one slice of files read, not the book").isEqualTo(RollingSweep.MIN_SLICE);
        // The last invoice in the sweep's order, unchanged since issued: its slice is the cycle's third.
        Files.delete(layout.openState().resolve("ACME").resolve("INV-249.json"));

        assertThat(check.check()).as("tick 2 does not reach it").isNull();
        assertThat(check.lastReport().agrees()).isTrue();
        assertThat(check.check()).as("tick 3 finds it, once: not yet confirmed").isNull();
        assertThat(check.lastReport().differences()).extracting(Difference::toString).containsExactly(
                "missing from the state: ACME/INV-249: in Unpaid in the ledger (balance 100.00 USD), but there is no state file");
        String alert = check.check();
        assertThat(alert).as("tick 4 compares it again and confirms it: within one cycle and a tick").isNotNull();
        assertThat(new ObjectMapper().readTree(alert).get("differences").findValuesAsText("subject")).containsExactly("ACME/INV-249");
        check.alerted();
        assertThat(check.check()).as("the same disagreement is not raised again at the next tick").isNull();
        assertThat(check.lastReport().differences()).hasSize(1);
    }

    @Test
    void aChangedInvoicesDifferenceIsFoundAtTheNextTick() throws Exception {
        assertThat(check.check()).isNull(); // tick 1: the first slice, INV-000 to INV-099
        store.apply(Messages.payment("p1", "ACME", "INV-240", "30.00", "USD"));
        store.checkpointNow();
        // Changed, then damaged: it is compared at the next tick, long before its slice comes.
        Files.writeString(layout.openState().resolve("ACME").resolve("INV-240.json"), "{}");

        assertThat(check.check()).isNull();
        // As the full comparison says it: the file cannot be read, so its row stands without one.
        assertThat(check.lastReport().differences()).extracting(Difference::kind, Difference::subject).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Difference.Kind.STATE_UNREADABLE, "state/open/ACME/INV-240.json"),
                org.assertj.core.groups.Tuple.tuple(Difference.Kind.MISSING_FROM_STATE, "ACME/INV-240"));
        assertThat(check.lastReport().invoices()).as("the second slice's files; the changed one could not be read")
                .isEqualTo(RollingSweep.MIN_SLICE);
    }

    @Test
    void theTotalsAreProvenAtEveryTickAgainstAllRowsNotOnlyTheSlices() throws Exception {
        // An edit no checksum shows: the Unpaid total one invoice short, every checksum recomputed.
        LedgerSnapshot ledger = Ledgers.parse(data).content();
        Currency usd = Currencies.parse("USD");
        Map<LedgerSection, Map<Currency, CurrencyTotals>> totals = new EnumMap<>(ledger.totals());
        Map<Currency, CurrencyTotals> unpaid = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
        unpaid.put(usd, new CurrencyTotals(usd, INVOICES - 1, Money.ofStored("24900.00", usd), Money.ofStored("24900.00", usd)));
        totals.put(LedgerSection.UNPAID, unpaid);
        Files.write(layout.ledger(), LedgerRenderer.render(new LedgerSnapshot(ledger.lastSeq(), ledger.asOf(),
                ledger.rows(), totals, ledger.unapplied(), ledger.unappliedTotals())));

        assertThat(check.check()).isNull();
        assertThat(check.lastReport().differences()).extracting(Difference::toString).containsExactly(
                "total differs: Unpaid USD: the ledger's total is 249 invoices, amount 24900.00, balance 24900.00; its"
                        + " rows give 250 invoices, amount 25000.00, balance 25000.00");
        assertThat(check.check()).as("confirmed at the next tick, whatever its slice").isNotNull();
    }

    @Test
    void aRowTheLogDoesNotKnowIsComparedAtTheTickAfterItIsSeen() throws Exception {
        assertThat(check.check()).isNull();
        // A resealed ledger with one invoice more than the log has: rows and totals agree with each other.
        LedgerSnapshot ledger = Ledgers.parse(data).content();
        var extra = ledger.rows().get(LedgerSection.UNPAID).get(0);
        LedgerSnapshot doctored = Ledgers.withRows(ledger, rows -> {
            List<com.novotechno.collections.ledger.LedgerRow> more = new ArrayList<>(rows);
            more.add(new com.novotechno.collections.ledger.LedgerRow(new InvoiceKey("GHOST", "INV-1"), extra.section(),
                    extra.issuedOn(), extra.dueOn(), extra.amount(), extra.balance(), extra.enteredOn(), extra.reason(),
                    extra.closedAmount()));
            return more;
        });
        Files.write(layout.ledger(), LedgerRenderer.render(doctored));

        assertThat(check.check()).as("seen in passing").isNull();
        assertThat(check.check()).isNull();
        assertThat(check.lastReport().differences()).extracting(Difference::subject).containsExactly("GHOST/INV-1");
        assertThat(check.check()).isNotNull();
    }
}
