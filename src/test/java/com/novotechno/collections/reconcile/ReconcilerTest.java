package com.novotechno.collections.reconcile;

import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.reconcile.Difference.Kind;
import com.novotechno.collections.reconcile.Reconciler.Mode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.HeldPaymentScan;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.ChecksummedJson;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    /** INV-1 unpaid 400.00 of 1000.00 USD; INV-2 unpaid 200.00 EUR; INV-3 paid 50.00 USD; INV-4 escalated 300.00 USD. */
    @BeforeEach
    void fourInvoices() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "1000.00", "USD"));
            store.apply(payment("p1", "ACME", "INV-1", "600.00", "USD"));
            store.apply(issued("i2", "ACME", "INV-2", "200.00", "EUR"));
            store.apply(issued("i3", "ACME", "INV-3", "50.00", "USD"));
            store.apply(payment("p3", "ACME", "INV-3", "50.00", "USD"));
            store.apply(issued("i4", "ACME", "INV-4", "300.00", "USD"));
            store.apply(escalated("e4", "ACME", "INV-4", "disputed"));
        }
    }

    private ReconcileReport reconcile(Mode mode) throws Exception {
        return new Reconciler(new FileSystemStorage(), new DataLayout(data)).reconcile(mode);
    }

    private List<String> differences() throws Exception {
        return reconcile(Mode.AT_REST).differences().stream().map(d -> d.kind() + " " + d.subject()).toList();
    }

    private void doctorRows(UnaryOperator<List<LedgerRow>> edit) throws Exception {
        Ledgers.write(data, Ledgers.withRows(Ledgers.parse(data).content(), edit));
    }

    private static List<LedgerRow> replace(List<LedgerRow> rows, String invoice, UnaryOperator<LedgerRow> change) {
        return rows.stream().map(r -> r.key().invoiceNumber().equals(invoice) ? change.apply(r) : r).toList();
    }

    @Test
    void aLedgerTheServiceWroteAgrees() throws Exception {
        ReconcileReport report = reconcile(Mode.AT_REST);
        assertThat(report.differences()).isEmpty();
        assertThat(report.invoices()).isEqualTo(4);
        assertThat(report.ledgerSeq()).isEqualTo(7);
    }

    @Test
    void missingFromTheLedger() throws Exception {
        doctorRows(rows -> rows.stream().filter(r -> !r.key().invoiceNumber().equals("INV-2")).toList());
        assertThat(differences()).containsExactly("MISSING_FROM_LEDGER ACME/INV-2", "TOTAL_DIFFERS Unpaid EUR",
                "AGEING_DIFFERS EUR");
    }

    @Test
    void missingFromTheState() throws Exception {
        Files.delete(data.resolve("state/open/ACME/INV-2.json"));
        assertThat(differences()).containsExactly("MISSING_FROM_STATE ACME/INV-2", "TOTAL_DIFFERS Unpaid EUR",
                "AGEING_DIFFERS EUR");
    }

    @Test
    void amountDiffers() throws Exception {
        doctorRows(rows -> replace(rows, "INV-1", r -> new LedgerRow(r.key(), r.section(), r.issuedOn(), r.dueOn(),
                r.amount(), Money.parsePositive("500.00", r.currency()), r.enteredOn(), r.reason())));
        ReconcileReport report = reconcile(Mode.AT_REST);
        assertThat(report.differences()).extracting(d -> d.kind() + " " + d.subject())
                .containsExactly("AMOUNT_DIFFERS ACME/INV-1", "TOTAL_DIFFERS Unpaid USD", "AGEING_DIFFERS USD");
        assertThat(report.differences().get(0)).hasToString("amount differs: ACME/INV-1: the ledger has amount 1000.00"
                + " USD, balance 500.00 USD; the state has amount 1000.00 USD, balance 400.00 USD");
        assertThat(report.differences().get(1)).hasToString("total differs: Unpaid USD: the ledger's total is 1"
                + " invoices, amount 1000.00, balance 500.00; the state files give 1 invoices, amount 1000.00, balance 400.00");
    }

    @Test
    void theRowsThatDifferAreReportedInKeyOrderWhateverOrderTheFilesAreReadIn() throws Exception {
        // Every row of a ledger of another book: the differences of 4 + 40 invoices, each named once, sorted.
        try (CollectionsStore store = Stores.open(data)) {
            for (int i = 40; i > 0; i--) {
                store.apply(issued("x" + i, "C" + (i % 7), "N-" + i, "10.00", "USD"));
            }
        }
        doctorRows(rows -> List.of());
        List<String> subjects = reconcile(Mode.AT_REST).differences().stream()
                .filter(d -> d.kind() == Difference.Kind.MISSING_FROM_LEDGER).map(Difference::subject).toList();
        assertThat(subjects).hasSize(44).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator
                .comparing((String subject) -> subject.substring(0, subject.indexOf('/')))
                .thenComparing(subject -> subject.substring(subject.indexOf('/') + 1)));
    }

    @Test
    void sectionDiffers() throws Exception {
        doctorRows(rows -> replace(rows, "INV-4", r -> new LedgerRow(r.key(), LedgerSection.UNPAID, r.issuedOn(),
                r.dueOn(), r.amount(), r.balance(), r.enteredOn(), Optional.empty())));
        assertThat(differences()).containsExactly("SECTION_DIFFERS ACME/INV-4", "TOTAL_DIFFERS Unpaid USD",
                "TOTAL_DIFFERS Escalated USD");
    }

    @Test
    void totalDiffers() throws Exception {
        LedgerSnapshot ledger = Ledgers.parse(data).content();
        Map<LedgerSection, Map<Currency, CurrencyTotals>> totals = new EnumMap<>(ledger.totals());
        Map<Currency, CurrencyTotals> paid = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
        ledger.totals().get(LedgerSection.PAID).forEach((currency, t) -> paid.put(currency, new CurrencyTotals(currency,
                t.invoices(), t.amount().plus(Money.parsePositive("0.01", currency)), t.balance())));
        totals.put(LedgerSection.PAID, paid);
        Ledgers.write(data, new LedgerSnapshot(ledger.lastSeq(), ledger.asOf(), ledger.rows(), totals));
        assertThat(differences()).containsExactly("TOTAL_DIFFERS Paid USD");
    }

    @Test
    void aHandEditIsReportedWithWhatItChanged() throws Exception {
        Path ledger = data.resolve("ledger.qmd");
        byte[] edited = Files.readString(ledger).replace("| 200.00 | 200.00 | EUR |", "| 200.00 | 20.00 | EUR |").getBytes();
        Files.write(ledger, edited);
        assertThat(differences()).containsExactly("LEDGER_EDITED ledger.qmd", "AMOUNT_DIFFERS ACME/INV-2");
        assertThat(reconcile(Mode.AT_REST).differences().get(0).detail()).startsWith("section Unpaid was edited");
        assertThat(ledger).as("a failed reconciliation never rewrites the ledger").hasBinaryContent(edited);
    }

    @Test
    void aLedgerBehindTheStateIsADifferenceAtRestAndInFlightBesideARunningService() throws Exception {
        Path ledger = data.resolve("ledger.qmd");
        byte[] before = Files.readAllBytes(ledger);
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p2", "ACME", "INV-2", "200.00", "EUR"));
            store.apply(issued("i5", "ACME", "INV-5", "5.00", "USD"));
            store.flushLedger();
            // As a reconciliation sees it when it reads the ledger just before the next batch is written.
            Files.write(ledger, before);
            ReconcileReport live = reconcile(Mode.LIVE);
            assertThat(live.differences()).isEmpty();
            assertThat(live.inFlight()).isEqualTo(2);
            assertThat(live.ledgerSeq()).isEqualTo(7);
            Files.delete(ledger); // let the running store write its own again
        }
        Files.write(ledger, before);
        assertThat(differences()).containsExactly("LEDGER_BEHIND ledger.qmd", "SECTION_DIFFERS ACME/INV-2",
                "AMOUNT_DIFFERS ACME/INV-2", "MISSING_FROM_LEDGER ACME/INV-5", "TOTAL_DIFFERS Unpaid EUR",
                "TOTAL_DIFFERS Unpaid USD", "TOTAL_DIFFERS Paid EUR", "AGEING_DIFFERS EUR", "AGEING_DIFFERS USD");
    }

    @Test
    void aLedgerAheadOfTheStateFilesIsReported() throws Exception {
        Path ledger = data.resolve("ledger.qmd");
        byte[] checkpointAtSeven = Files.readAllBytes(data.resolve("checkpoint.json"));
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i5", "ACME", "INV-5", "5.00", "USD"));
        }
        // The state files (and their checkpoint) as an older backup had them, and the ledger of a day later.
        Files.delete(data.resolve("state/open/ACME/INV-5.json"));
        Files.write(data.resolve("checkpoint.json"), checkpointAtSeven);
        assertThat(differences()).startsWith("LEDGER_AHEAD ledger.qmd").contains("MISSING_FROM_STATE ACME/INV-5");
        assertThat(reconcile(Mode.AT_REST).differences()).first().hasToString("ledger ahead: ledger.qmd: reflects log seq 8,"
                + " beyond every state file (newest: seq 7); were state and log restored from an older backup?");
        // Beside a running service only the invoice shows: a last entry may leave no file (a whole client's pause).
        assertThat(reconcile(Mode.LIVE).differences()).extracting(d -> d.kind().name())
                .doesNotContain("LEDGER_AHEAD").contains("MISSING_FROM_STATE");
    }

    @Test
    void anUnreadableStateFileOrAMissingLedgerIsReported() throws Exception {
        Files.writeString(data.resolve("state/open/ACME/INV-1.json"), "{}");
        assertThat(differences()).contains("STATE_UNREADABLE state/open/ACME/INV-1.json");
        Files.delete(data.resolve("ledger.qmd"));
        assertThat(differences()).containsExactly("LEDGER_MISSING ledger.qmd");
        assertThat(Kind.values()).hasSize(17);
    }

    // The closed sections, compared through the comparison itself: the state files cannot make their rows
    // until the lifecycle messages are applied, so the state side is given as rows, as StateFileScan maps them.

    private static final Currency USD = Currency.getInstance("USD");
    private static final Instant EVENT = Instant.parse("2026-03-15T10:00:00Z");

    private static Money usd(String amount) {
        return Money.ofStored(amount, USD);
    }

    /** Invoice {@code invoice} of 1000.00 USD in {@code section}: 400.00 owed if open, 600.00 closed where counted. */
    private static LedgerRow rowIn(LedgerSection section, String invoice) {
        return new LedgerRow(new InvoiceKey("ACME", invoice), section, LocalDate.parse("2026-01-10"),
                LocalDate.parse("2026-02-09"), usd("1000.00"), usd(section.isOpen() ? "400.00" : "0.00"),
                LocalDate.parse("2026-03-10"), section.hasReason() ? Optional.of("why | " + section.heading()) : Optional.empty(),
                section.closedAmountColumn().map(column -> usd("600.00")),
                section.hasReceivedColumn() ? Optional.of(LocalDate.parse("2026-03-02")) : Optional.empty());
    }

    private static LedgerRow withClosedAmount(LedgerRow row, String closed) {
        return new LedgerRow(row.key(), row.section(), row.issuedOn(), row.dueOn(), row.amount(), row.balance(),
                row.enteredOn(), row.reason(), Optional.of(usd(closed)), row.receivedOn());
    }

    /** One invoice in each section, A to F. */
    private static List<LedgerRow> oneInEachSection() {
        List<LedgerRow> rows = new java.util.ArrayList<>();
        for (LedgerSection section : LedgerSection.values()) {
            rows.add(rowIn(section, String.valueOf((char) ('A' + section.ordinal()))));
        }
        return rows;
    }

    /** The ledger as the file gives it back: these rows and the totals they make, rendered and parsed. */
    private static ParsedLedger ledgerOf(List<LedgerRow> rows) {
        return ledgerOf(rows, UnaryOperator.identity());
    }

    private static ParsedLedger ledgerOf(List<LedgerRow> rows, UnaryOperator<Map<LedgerSection, Map<Currency, CurrencyTotals>>> totals) {
        LedgerProjection projection = new LedgerProjection(ZoneOffset.UTC);
        rows.forEach(row -> projection.update(row, EVENT));
        LedgerSnapshot snapshot = projection.snapshot(7);
        LedgerSnapshot doctored = new LedgerSnapshot(snapshot.lastSeq(), snapshot.asOf(), snapshot.rows(),
                totals.apply(new EnumMap<>(snapshot.totals())));
        return LedgerParser.parse("ledger.qmd", LedgerRenderer.render(doctored));
    }

    private ReconcileReport compare(ParsedLedger ledger, List<LedgerRow> stateRows) {
        assertThat(ledger.faults()).isEmpty();
        Map<InvoiceKey, Reconciler.StateRow> states = new java.util.HashMap<>();
        stateRows.forEach(row -> states.put(row.key(), new Reconciler.StateRow(row, 7)));
        return new Reconciler(new FileSystemStorage(), new DataLayout(data)).compare("ledger.qmd", ledger, states,
                List.of(), new HeldPaymentScan(List.of(), Map.of(), List.of()), Mode.AT_REST);
    }

    private static List<String> kinds(ReconcileReport report) {
        return report.differences().stream().map(d -> d.kind() + " " + d.subject()).toList();
    }

    @Test
    void aLedgerWithEverySectionAgreesWithTheRowsItsStateImplies() {
        List<LedgerRow> rows = oneInEachSection();
        ReconcileReport report = compare(ledgerOf(rows), rows);
        assertThat(report.differences()).isEmpty();
        assertThat(report.invoices()).isEqualTo(6);
    }

    /** All 30 ordered pairs in one test: the fixture's store is set up once, not per pair. */
    @Test
    void aRowMovedBetweenAnyTwoSectionsIsReportedWithBothSectionsTotals() {
        int pairs = 0;
        for (LedgerSection inLedger : LedgerSection.values()) {
            for (LedgerSection inState : LedgerSection.values()) {
                if (inLedger == inState) {
                    continue;
                }
                pairs++;
                String pair = "in " + inLedger + " in the ledger, " + inState + " in the state";
                ReconcileReport report = compare(ledgerOf(List.of(rowIn(inLedger, "X"))), List.of(rowIn(inState, "X")));
                assertThat(report.differences().get(0)).as(pair).hasToString("section differs: ACME/X: in "
                        + place(inLedger) + " in the ledger, " + place(inState) + " in the state");
                assertThat(kinds(report)).as(pair).contains("TOTAL_DIFFERS " + inLedger.heading() + " USD",
                        "TOTAL_DIFFERS " + inState.heading() + " USD");
                assertThat(kinds(report).contains("AGEING_DIFFERS USD")).as(pair + ": aged only where one side is open")
                        .isEqualTo(inLedger.isOpen() != inState.isOpen());
            }
        }
        assertThat(pairs).isEqualTo(30);
    }

    /** How a section difference names the section of a {@link #rowIn} row. */
    private static String place(LedgerSection section) {
        return section.heading() + section.closedAmountColumn().map(c -> " (" + c.toLowerCase() + " 600.00 USD)").orElse("");
    }

    @Test
    void aRowMovedFromCreditedToWrittenOffNamesWhatClosedItOnEachSide() {
        ReconcileReport report = compare(ledgerOf(List.of(rowIn(LedgerSection.CREDITED, "X"))),
                List.of(rowIn(LedgerSection.WRITTEN_OFF, "X")));
        assertThat(kinds(report)).containsExactly("SECTION_DIFFERS ACME/X", "TOTAL_DIFFERS Credited USD",
                "TOTAL_DIFFERS Written off USD");
        assertThat(report.differences().get(0)).hasToString("section differs: ACME/X: in Credited (credited 600.00 USD)"
                + " in the ledger, Written off (written off 600.00 USD) in the state");
        assertThat(report.differences().get(2)).hasToString("total differs: Written off USD: the ledger's total is"
                + " 0 invoices, amount 0.00, balance 0.00, written off 0.00; the state files give 1 invoices, amount 1000.00,"
                + " balance 0.00, written off 600.00");
    }

    @Test
    void aChangedCreditedAmountIsReportedWithItsTotal() {
        List<LedgerRow> ledger = oneInEachSection();
        List<LedgerRow> state = replace(ledger, "D", row -> withClosedAmount(row, "650.00"));
        ReconcileReport report = compare(ledgerOf(ledger), state);
        assertThat(kinds(report)).containsExactly("AMOUNT_DIFFERS ACME/D", "TOTAL_DIFFERS Credited USD");
        assertThat(report.differences().get(0)).hasToString("amount differs: ACME/D: the ledger has amount 1000.00 USD,"
                + " balance 0.00 USD, credited 600.00 USD; the state has amount 1000.00 USD, balance 0.00 USD, credited 650.00 USD");
        assertThat(report.differences().get(1)).hasToString("total differs: Credited USD: the ledger's total is 1 invoices,"
                + " amount 1000.00, balance 0.00, credited 600.00; the state files give 1 invoices, amount 1000.00, balance"
                + " 0.00, credited 650.00");
    }

    @Test
    void aChangedWrittenOffAmountIsReportedWithItsTotal() {
        List<LedgerRow> ledger = oneInEachSection();
        List<LedgerRow> state = replace(ledger, "F", row -> withClosedAmount(row, "599.99"));
        ReconcileReport report = compare(ledgerOf(ledger), state);
        assertThat(kinds(report)).containsExactly("AMOUNT_DIFFERS ACME/F", "TOTAL_DIFFERS Written off USD");
        assertThat(report.differences().get(0).detail()).endsWith("; the state has amount 1000.00 USD, balance 0.00 USD,"
                + " written off 599.99 USD");
    }

    @Test
    void aChangedTotalOfAClosedSectionIsReportedAlone() {
        List<LedgerRow> rows = oneInEachSection();
        ParsedLedger ledger = ledgerOf(rows, totals -> {
            CurrencyTotals writtenOff = totals.get(LedgerSection.WRITTEN_OFF).get(USD);
            CurrencyTotals voided = totals.get(LedgerSection.VOID).get(USD);
            totals.put(LedgerSection.WRITTEN_OFF, Map.of(USD, new CurrencyTotals(USD, writtenOff.invoices(),
                    writtenOff.amount(), writtenOff.balance(), writtenOff.closedAmount().plus(usd("0.01")))));
            totals.put(LedgerSection.VOID, Map.of(USD, new CurrencyTotals(USD, 2, voided.amount(), voided.balance())));
            return totals;
        });
        ReconcileReport report = compare(ledger, rows);
        assertThat(kinds(report)).containsExactly("TOTAL_DIFFERS Void USD", "TOTAL_DIFFERS Written off USD");
        assertThat(report.differences().get(0).detail()).isEqualTo("the ledger's total is 2 invoices, amount 1000.00,"
                + " balance 0.00; the state files give 1 invoices, amount 1000.00, balance 0.00");
        assertThat(report.differences().get(1).detail()).isEqualTo("the ledger's total is 1 invoices, amount 1000.00,"
                + " balance 0.00, written off 600.01; the state files give 1 invoices, amount 1000.00, balance 0.00,"
                + " written off 600.00");
    }

    @Test
    void aChangedReasonOrDateInAClosedSectionIsARowDifference() {
        List<LedgerRow> ledger = oneInEachSection();
        List<LedgerRow> state = replace(replace(ledger, "E", row -> new LedgerRow(row.key(), row.section(), row.issuedOn(),
                row.dueOn(), row.amount(), row.balance(), row.enteredOn(), Optional.of("issued twice"))), "F",
                row -> new LedgerRow(row.key(), row.section(), row.issuedOn(), row.dueOn(), row.amount(), row.balance(),
                        row.enteredOn().plusDays(1), row.reason(), row.closedAmount()));
        ReconcileReport report = compare(ledgerOf(ledger), state);
        assertThat(report.differences()).extracting(Difference::toString).containsExactly(
                "row differs: ACME/E: ledger vs state: reason 'why | Void' vs 'issued twice'",
                "row differs: ACME/F: ledger vs state: written off on 2026-03-10 vs 2026-03-11");
    }

    @Test
    void aClosedRowMissingOnEitherSideIsReportedWithItsTotalButNotAged() {
        List<LedgerRow> rows = oneInEachSection();
        List<LedgerRow> withoutVoid = rows.stream().filter(r -> r.section() != LedgerSection.VOID).toList();
        assertThat(kinds(compare(ledgerOf(withoutVoid), rows)))
                .containsExactly("MISSING_FROM_LEDGER ACME/E", "TOTAL_DIFFERS Void USD");
        assertThat(kinds(compare(ledgerOf(rows), withoutVoid)))
                .containsExactly("MISSING_FROM_STATE ACME/E", "TOTAL_DIFFERS Void USD");
    }

    /** Two payments held for invoices not yet issued, one of them then marked to refund by expiry. */
    private void twoHeldPayments() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("h1", "ACME", "INV-8", "40.00", "USD"));
            store.apply(payment("h2", "ACME", "INV-9", "15.00", "EUR"));
        }
    }

    @Test
    void heldPaymentsTheServiceWroteAgreeWithTheirFiles() throws Exception {
        twoHeldPayments();
        assertThat(reconcile(Mode.AT_REST).differences()).isEmpty();
        assertThat(reconcile(Mode.LIVE).differences()).isEmpty();
    }

    @Test
    void aHeldPaymentsFileAndALedgerRowThatDisagreeAreReportedWithTheTotals() throws Exception {
        twoHeldPayments();
        Path file = data.resolve("state/unapplied/ACME/INV-8.json");
        ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
        json.remove(ChecksummedJson.CHECKSUM_KEY);
        ((ObjectNode) json.get("payments").get(0)).put("amount", "45.00");
        Files.write(file, ChecksummedJson.encode(json));

        ReconcileReport report = reconcile(Mode.AT_REST);
        assertThat(report.differences()).extracting(d -> d.kind() + " " + d.subject())
                .containsExactly("HELD_DIFFERS ACME/INV-8 payment h1", "UNAPPLIED_TOTAL_DIFFERS Unapplied USD held");
        assertThat(report.differences().get(0)).hasToString("held payment differs: ACME/INV-8 payment h1: the ledger"
                + " has held 40.00 USD received 2026-02-01; the held payments file has held 45.00 USD received 2026-02-01");
        assertThat(report.differences().get(1).detail()).isEqualTo("the ledger's total is 1 payments, amount 40.00;"
                + " the held payments files give 1 payments, amount 45.00");
    }

    @Test
    void aHeldPaymentMissingOnEitherSideIsReported() throws Exception {
        twoHeldPayments();
        Ledgers.write(data, Ledgers.withUnapplied(Ledgers.parse(data).content(),
                rows -> rows.stream().filter(r -> !r.messageId().equals("h2")).toList()));
        Files.delete(data.resolve("state/unapplied/ACME/INV-8.json"));
        assertThat(differences()).containsExactly("HELD_MISSING_FROM_LEDGER ACME/INV-9 payment h2",
                "HELD_MISSING_FROM_STATE ACME/INV-8 payment h1", "UNAPPLIED_TOTAL_DIFFERS Unapplied EUR held",
                "UNAPPLIED_TOTAL_DIFFERS Unapplied USD held");
    }

    @Test
    void aPaymentHeldOrMarkedToRefundAfterTheLedgersSeqIsInFlightBesideARunningServiceButBehindAtRest() throws Exception {
        twoHeldPayments();
        Path ledger = data.resolve("ledger.qmd");
        byte[] before = Files.readAllBytes(ledger);
        Clock later = Clock.fixed(Stores.NOW.plus(Duration.ofHours(800)), ZoneOffset.UTC);
        try (CollectionsStore store = CollectionsStore.open(data, new StoreSettings(Currency.getInstance("USD"), 30,
                later), n -> { })) {
            assertThat(store.expireUnapplied(Duration.ofHours(720))).hasSize(2);
            store.apply(payment("h3", "ACME", "INV-7", "1.00", "USD"));
            store.flushLedger();
            Files.write(ledger, before);
            assertThat(reconcile(Mode.LIVE).differences()).isEmpty();
            Files.delete(ledger);
        }
        Files.write(ledger, before);
        assertThat(differences()).startsWith("LEDGER_BEHIND ledger.qmd").contains(
                "HELD_DIFFERS ACME/INV-8 payment h1", "HELD_MISSING_FROM_LEDGER ACME/INV-7 payment h3");
    }
}
