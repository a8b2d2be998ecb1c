package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.MovableClock;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconcile route over a closed month: 250 invoices issued in March, 240 of them paid and 5 voided there,
 * so ledger/paid-2026-03.qmd holds 245 rows (three slices of the period sweep, as the invoices are three of
 * the invoice sweep) and ledger.qmd carries their totals. Each tick checks the files and the carried totals;
 * every row of the file meets its state file within a cycle of three ticks.
 */
class ClosedPeriodRouteTest {

    private static final int INVOICES = 250;
    private static final int PAID = 240;
    private static final ReconcileSchedule THREE_TICKS = new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(3));
    /** A cycle of the sweeps, and one tick more to confirm what the last of them found. */
    private static final int CYCLE_AND_A_TICK = 4;

    @TempDir
    Path data;
    private final MovableClock clock = new MovableClock("2026-03-10T09:00:00Z");
    private DataLayout layout;
    private CollectionsStore store;
    private ReconcileCheck check;

    @BeforeEach
    void aClosedMarch() throws Exception {
        layout = new DataLayout(data);
        store = CollectionsStore.open(data, new StoreSettings(Currencies.parse("USD"), 30, clock), Stores.NOTICES::add);
        store.applyBatch(Messages.issuedMany(INVOICES, i -> "ACME"));
        clock.set("2026-03-20T12:00:00Z");
        List<byte[]> closing = new ArrayList<>();
        for (int i = 0; i < PAID; i++) {
            closing.add(Messages.payment("p" + i, "ACME", invoice(i), "100.00", "USD"));
        }
        for (int i = PAID; i < PAID + 5; i++) {
            closing.add(Messages.voided("v" + i, "ACME", invoice(i)));
        }
        store.applyBatch(closing);
        store.checkpointNow();
        clock.set("2026-04-02T09:00:00Z");
        store.flushLedger();
        assertThat(march()).exists();
        StateAuditCheck audit = new StateAuditCheck(store, new StateAudit(new FileSystemStorage(), layout), THREE_TICKS, clock);
        assertThat(audit.run()).isNull();
        check = new ReconcileCheck(store, audit, new SliceReconciler(new FileSystemStorage(), layout, ZoneOffset.UTC,
                THREE_TICKS), clock);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private static String invoice(int i) {
        return String.format("INV-%03d", i);
    }

    private Path march() {
        return layout.ledgerPeriods().resolve("paid-2026-03.qmd");
    }

    /** Ticks until one raises an alert, at most {@code ticks}; the alert, or null. */
    private String alertWithin(int ticks) throws IOException {
        for (int tick = 0; tick < ticks; tick++) {
            String alert = check.check();
            if (alert != null) {
                return alert;
            }
        }
        return null;
    }

    private void assertNoDifferenceInTwoCycles() throws IOException {
        for (int tick = 1; tick <= 6; tick++) {
            assertThat(check.check()).as("tick " + tick).isNull();
            assertThat(check.lastReport().differences()).as("tick " + tick).isEmpty();
        }
    }

    /** March's file resealed: its rows edited, its totals and every checksum recomputed to match them. */
    private void resealMarch(UnaryOperator<List<LedgerRow>> edit) throws IOException {
        Ledgers.resealPeriodFile(march(), edit);
    }

    private static LedgerRow withAmount(LedgerRow row, String amount) {
        Money money = Money.ofStored(amount, row.currency());
        return new LedgerRow(row.key(), row.section(), row.issuedOn(), row.dueOn(), money, row.balance(), row.enteredOn(),
                row.reason(), row.closedAmount(), row.receivedOn());
    }

    @Test
    void aClosedMonthAgreesAtEveryTickAndEveryRowOfItsFileIsComparedWithinACycle() throws IOException {
        assertThat(new Reconciler(new FileSystemStorage(), layout).reconcile(Reconciler.Mode.LIVE).differences()).isEmpty();
        long compared = 0;
        for (int tick = 1; tick <= 3; tick++) {
            assertThat(check.check()).isNull();
            assertThat(check.lastReport().differences()).as("tick " + tick).isEmpty();
            compared += check.lastReport().invoices();
        }
        assertThat(compared).as("every invoice's state file once, and again for each row of March's file")
                .isEqualTo(INVOICES + PAID + 5);
    }

    @Test
    void invoicesReopenedAfterTheirMonthClosedAndOneClosedAgainInALaterMonthRaiseNothing() throws Exception {
        clock.set("2026-04-03T09:00:00Z");
        store.apply(Messages.reversed("r0", "ACME", invoice(0), "p0"));      // reopened: now in Unpaid
        store.apply(Messages.reversed("r1", "ACME", invoice(1), "p1"));      // reopened...
        store.apply(Messages.payment("q1", "ACME", invoice(1), "100.00", "USD")); // ...and paid again in April
        store.checkpointNow();
        assertNoDifferenceInTwoCycles();

        clock.set("2026-05-02T09:00:00Z"); // April closes: INV-001 is in March's file and in April's
        store.flushLedger();
        assertThat(layout.ledgerPeriods().resolve("paid-2026-04.qmd")).exists();
        assertThat(new Reconciler(new FileSystemStorage(), layout).reconcile(Reconciler.Mode.LIVE).differences()).isEmpty();
        assertNoDifferenceInTwoCycles();
    }

    @Test
    void aPeriodFileResealedWithARowsAmountChangedIsRaisedAsTheCarriedTotalsAndThenAsTheRow() throws IOException {
        resealMarch(rows -> rows.stream().map(row -> row.key().invoiceNumber().equals("INV-150")
                ? withAmount(row, "90.00") : row).toList());

        List<String> seen = new ArrayList<>();
        for (int tick = 0; tick < CYCLE_AND_A_TICK; tick++) {
            check.check();
            check.lastReport().differences().forEach(d -> seen.add(d.toString()));
        }
        assertThat(seen).as("at the first tick").first().asString()
                .startsWith("total differs: Paid USD carried: the ledger carries 240 invoices, amount 24000.00");
        assertThat(seen).anySatisfy(d -> assertThat(d).startsWith(
                "row differs: ACME/INV-150: ledger/paid-2026-03.qmd has ").contains("amount=90.00 USD"));
    }

    @Test
    void aRowTakenOutOfAResealedPeriodFileIsRaisedForItsInvoiceOnceTheSweepReachesIt() throws IOException {
        resealMarch(rows -> rows.stream().filter(row -> !row.key().invoiceNumber().equals("INV-200")).toList());

        String alert = alertWithin(2);
        assertThat(alert).as("the carried totals, at once").contains("Paid USD carried");
        List<Difference> found = new ArrayList<>();
        for (int tick = 0; tick < CYCLE_AND_A_TICK; tick++) {
            check.check();
            found.addAll(check.lastReport().differences());
        }
        assertThat(found).extracting(Difference::toString).contains("missing from the ledger: ACME/INV-200: Paid on"
                + " 2026-03-20 in the state, but no row in ledger/paid-2026-03.qmd");
    }

    @Test
    void aDeletedPeriodFileIsRaisedAtOnceAndConfirmedAtTheNextTick() throws IOException {
        assertThat(check.check()).isNull();
        Files.delete(march());

        assertThat(check.check()).isNull();
        assertThat(check.lastReport().differences()).extracting(Difference::toString).containsExactly(
                "ledger missing: ledger/paid-2026-03.qmd: period 2026-03 is closed but its file is missing; rebuild"
                        + " writes it anew from the log");
        assertThat(check.check()).contains("ledger/paid-2026-03.qmd");
    }

    @Test
    void aPeriodFileOfNoClosedPeriodIsRaised() throws IOException {
        Files.copy(march(), layout.ledgerPeriods().resolve("paid-2026-01.qmd"));

        assertThat(alertWithin(2)).isNotNull();
        assertThat(check.lastReport().differences()).extracting(Difference::toString).containsExactly(
                "ledger unreadable: ledger/paid-2026-01.qmd: not the file of a period ledger.qmd says is closed");
    }

    @Test
    void aPeriodFileEditedWithoutItsChecksumsIsRaisedNamingTheSection() throws IOException {
        String text = Files.readString(march());
        Files.writeString(march(), text.replaceFirst("issued in error", "issued twice"));

        assertThat(alertWithin(2)).isNotNull();
        assertThat(check.lastReport().differences()).extracting(Difference::kind, Difference::subject).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Difference.Kind.LEDGER_EDITED, "ledger/paid-2026-03.qmd"));
        assertThat(check.lastReport().differences().get(0).detail()).contains("section Void was edited");
    }

    /** The file is kept between ticks by its size, time and inode: an edit in place, of the same size, is read again. */
    @Test
    void aPeriodFileChangedInPlaceAfterATickReadItIsReadAgain() throws IOException {
        assertThat(check.check()).isNull();
        long size = Files.size(march());
        resealMarch(rows -> rows.stream().map(row -> row.key().invoiceNumber().equals("INV-010")
                ? withAmount(row, "900.00") : row).toList());
        assertThat(Files.size(march())).as("the same size: only the time tells").isEqualTo(size);

        assertThat(check.check()).isNull();
        assertThat(check.lastReport().differences()).extracting(Difference::subject).contains("Paid USD carried");
    }

    @Test
    void aClientsErasureRewritesThePeriodFileAndTheRouteRaisesNothing() throws Exception {
        assertThat(check.check()).isNull();
        byte[] before = Files.readAllBytes(march());
        clock.set("2026-04-03T09:00:00Z");
        store.apply(Messages.erased("e1", "ACME"));
        store.checkpointNow();
        store.flushLedger();
        assertThat(Files.readAllBytes(march())).as("the voided rows' reasons erased").isNotEqualTo(before);
        assertThat(new String(Files.readAllBytes(march()), StandardCharsets.UTF_8)).doesNotContain("issued in error");

        assertNoDifferenceInTwoCycles();
    }
}
