package com.novotechno.collections.reconcile;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.AgeingBucket;
import com.novotechno.collections.ledger.AgeingTable;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.state.Checkpoint;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.reconcile.Difference.Kind;
import com.novotechno.collections.ledger.UnappliedRow;
import com.novotechno.collections.ledger.UnappliedTotals;
import com.novotechno.collections.state.HeldPaymentScan;
import com.novotechno.collections.state.ReadPool;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.state.StateFileScan.Unreadable;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;

/**
 * Proves the ledger agrees with the state files, exactly: the same invoices in the same sections
 * (open or closed, every one of them) with the same amounts, balances and closed amounts (credited,
 * written off), and every total per section and currency, and the ageing, equal to the cent
 * (decimal equality, no tolerance); and the same held payments in section Unapplied as in the
 * held payments files, with their totals per currency and status. It only reads; a difference is reported, never repaired.
 *
 * <p>It may run beside a live service ({@link Mode#LIVE}). The ledger is read first and states
 * the log seq it reflects; a state file that has moved past that seq since is in flight (the next
 * batch writes it), so its ledger row stands in for it, in the totals too, and it is counted, not
 * compared. With no service running ({@link Mode#AT_REST}) nothing is in flight: a ledger behind
 * the state files is a difference.
 */
public final class Reconciler {

    private static final Comparator<InvoiceKey> KEY_ORDER =
            Comparator.comparing(InvoiceKey::client).thenComparing(InvoiceKey::invoiceNumber);

    private final Storage storage;
    private final DataLayout layout;
    /** collections.time-zone: the ledger's entered dates are days there, and so must the state's rows be. */
    private final ZoneId zone;
    private final List<Difference> differences = new ArrayList<>();

    public Reconciler(Storage storage, DataLayout layout, ZoneId zone) {
        this.storage = storage;
        this.layout = layout;
        this.zone = Objects.requireNonNull(zone);
    }

    /** For a folder kept in UTC, the contract's default zone. */
    public Reconciler(Storage storage, DataLayout layout) {
        this(storage, layout, ZoneOffset.UTC);
    }

    /** Whether a service may be writing while the comparison runs. */
    public enum Mode { AT_REST, LIVE }

    /** One invoice as its state file implies it: the row the ledger should have, and the log seq its state reflects. */
    record StateRow(LedgerRow row, long lastSeq) {
        StateRow {
            Objects.requireNonNull(row);
        }
    }

    public ReconcileReport reconcile(Mode mode) throws IOException {
        String name = layout.ledger().getFileName().toString();
        if (!storage.exists(layout.ledger())) {
            differences.clear();
            differences.add(new Difference(Kind.LEDGER_MISSING, name, "there is no ledger; the service writes it when it starts"));
            return new ReconcileReport(0, 0, 0, differences);
        }
        // The ledger first: the seq it states decides which state files a running service has moved on since.
        byte[] ledgerBytes = storage.read(layout.ledger(), Limits.MAX_LEDGER_BYTES);
        ParsedLedger parsed;
        StateFileScan scan;
        try (ReadPool pool = ReadPool.ofCores()) {
            // Parsed on one of the pool's threads while the others read state files: neither waits for the other.
            Future<ParsedLedger> parsing = pool.submit(() -> LedgerParser.parse(name, ledgerBytes));
            // At rest the command holds the folder's lock: no file moves while it reads.
            scan = StateFileScan.read(storage, layout, zone, pool, mode == Mode.LIVE);
            parsed = ReadPool.join(parsing);
        }
        HeldPaymentScan held = HeldPaymentScan.read(storage, layout);
        Map<InvoiceKey, StateRow> states = new HashMap<>(capacity(scan.rows().size()));
        scan.rows().forEach((key, scanned) -> states.put(key, new StateRow(scanned.row(), scanned.lastSeq())));
        ReconcileReport report = compare(name, parsed, states, scan.unreadable(), held, mode);
        differences.addAll(PeriodFiles.compare(storage, layout, parsed.content(), states));
        report = new ReconcileReport(report.ledgerSeq(), report.invoices(), report.inFlight(), differences);
        // Some entries leave no file reflecting them (a whole client paused or erased, a held payment reversed):
        // at rest the clean checkpoint says how far the files reflect the log, so a ledger at it is not ahead.
        if (mode == Mode.AT_REST && report.differences().stream().anyMatch(d -> d.kind() == Kind.LEDGER_AHEAD)) {
            long derived = readCheckpoint().filter(Checkpoint::cleanShutdown).map(Checkpoint::appliedSeq).orElse(0L);
            if (report.ledgerSeq() <= derived) {
                differences.removeIf(d -> d.kind() == Kind.LEDGER_AHEAD);
                report = new ReconcileReport(report.ledgerSeq(), report.invoices(), report.inFlight(), differences);
            }
        }
        return report;
    }

    private java.util.Optional<Checkpoint> readCheckpoint() {
        try {
            return java.util.Optional.of(Checkpoint.read(storage, layout.checkpoint()));
        } catch (IOException unreadable) {
            return java.util.Optional.empty(); // then the files alone say how far they go
        }
    }

    /**
     * The comparison itself, of what was read: no I/O, so a test can give it the rows of any section.
     *
     * @param states per invoice, what its state file implies
     * @param unreadable the state files that could not be read
     */
    ReconcileReport compare(String name, ParsedLedger parsed, Map<InvoiceKey, StateRow> states,
                            List<Unreadable> unreadable, HeldPaymentScan held, Mode mode) {
        differences.clear();
        parsed.checksumFaults().forEach(f -> differences.add(new Difference(Kind.LEDGER_EDITED, name, detail(name, f))));
        parsed.formatFaults().forEach(f -> differences.add(new Difference(Kind.LEDGER_UNREADABLE, name, detail(name, f))));
        LedgerSnapshot ledger = parsed.content();
        unreadable.forEach(u -> differences.add(new Difference(Kind.STATE_UNREADABLE, u.file(), u.problem())));
        held.unreadable().forEach(u -> differences.add(new Difference(Kind.STATE_UNREADABLE, u.file(), u.problem())));
        Set<InvoiceKey> keysInFlight = new HashSet<>();

        Map<InvoiceKey, LedgerRow> ledgerRows = new HashMap<>(capacity(states.size()));
        ledger.allRows().forEach(row -> ledgerRows.putIfAbsent(row.key(), row));
        // What the ledger should say, per invoice: the state's row, or for one in flight the ledger's own.
        List<LedgerRow> expected = new ArrayList<>();
        List<LedgerRow> carriedRows = new ArrayList<>();
        long inFlight = 0;
        long newestState = 0;
        // In any order: only the few invoices that differ are sorted, below, not a million that agree.
        Map<InvoiceKey, List<Difference>> rowDifferences = new HashMap<>();
        for (Map.Entry<InvoiceKey, StateRow> entry : states.entrySet()) {
            InvoiceKey key = entry.getKey();
            StateRow state = entry.getValue();
            LedgerRow row = ledgerRows.remove(key);
            newestState = Math.max(newestState, state.lastSeq());
            if (mode == Mode.LIVE && state.lastSeq() > ledger.lastSeq()) {
                inFlight++;
                keysInFlight.add(key);
                if (row != null) {
                    expected.add(row);
                }
                continue;
            }
            // Closed in a closed period: counted in the carried totals, and listed in its period's file (PeriodFiles).
            if (row == null && PeriodFiles.carried(state.row(), ledger)) {
                carriedRows.add(state.row());
                continue;
            }
            expected.add(state.row());
            int before = differences.size();
            compareRow(key, state.row(), row);
            if (differences.size() > before) {
                List<Difference> found = differences.subList(before, differences.size());
                rowDifferences.put(key, new ArrayList<>(found));
                found.clear();
            }
        }
        sorted(rowDifferences).forEach(entry -> differences.addAll(entry.getValue()));
        compareCarried(ledger, carriedRows);
        // A held payments file reflects its own entries (held, marked to refund); with them the files cover the log.
        for (Map.Entry<InvoiceKey, Long> newest : held.newestSeq().entrySet()) {
            newestState = Math.max(newestState, newest.getValue());
            if (mode == Mode.LIVE && newest.getValue() > ledger.lastSeq()) {
                keysInFlight.add(newest.getKey());
            }
        }
        // At rest the newest state file reflects the log's last entry, and so must the ledger.
        if (mode == Mode.AT_REST && newestState > ledger.lastSeq() && ledger.lastSeq() != Long.MAX_VALUE) {
            differences.add(0, new Difference(Kind.LEDGER_BEHIND, name, "reflects log seq " + ledger.lastSeq()
                    + ", the state files seq " + newestState + " (a stop came before its next batch); the next start"
                    + " of the service brings it up to date"));
        } else if (mode == Mode.AT_REST && ledger.lastSeq() > newestState && ledger.lastSeq() != Long.MAX_VALUE) {
            // Live, a last entry that leaves no file (a whole client's pause or erasure) is no restored backup: the
            // start refuses a log behind its checkpoint, which is where a restore of an older backup shows.
            differences.add(0, new Difference(Kind.LEDGER_AHEAD, name, "reflects log seq " + ledger.lastSeq()
                    + ", beyond every state file (newest: seq " + newestState + "); were state and log restored"
                    + " from an older backup?"));
        }
        for (Map.Entry<InvoiceKey, LedgerRow> entry : sorted(ledgerRows)) {
            LedgerRow orphan = entry.getValue();
            differences.add(new Difference(Kind.MISSING_FROM_STATE, orphan.key().toString(), "in " + orphan.section().heading()
                    + " in the ledger (balance " + orphan.balance() + "), but there is no state file"));
        }
        compareTotals(ledger, expected);
        compareAgeing(ledger, parsed.ageing(), expected);
        compareUnapplied(ledger, held.rows(), keysInFlight);
        return new ReconcileReport(ledger.lastSeq(), states.size(), inFlight, differences);
    }

    private void compareRow(InvoiceKey key, LedgerRow state, LedgerRow ledger) {
        String subject = key.toString();
        if (ledger == null) {
            differences.add(new Difference(Kind.MISSING_FROM_LEDGER, subject, state.section().heading()
                    + " in the state (balance " + state.balance() + "), but no row in the ledger"));
            return;
        }
        boolean sameSection = ledger.section() == state.section();
        if (!sameSection) {
            differences.add(new Difference(Kind.SECTION_DIFFERS, subject, "in " + placeOf(ledger)
                    + " in the ledger, " + placeOf(state) + " in the state"));
        }
        // Across sections the closed amounts differ by their column already, which the section difference shows.
        if (!ledger.amount().equals(state.amount()) || !ledger.balance().equals(state.balance())
                || (sameSection && !ledger.closedAmount().equals(state.closedAmount()))) {
            differences.add(new Difference(Kind.AMOUNT_DIFFERS, subject, "the ledger has " + amountsOf(ledger)
                    + "; the state has " + amountsOf(state)));
        }
        List<String> fields = new ArrayList<>();
        if (!ledger.issuedOn().equals(state.issuedOn())) {
            fields.add("issued " + ledger.issuedOn() + " vs " + state.issuedOn());
        }
        if (!ledger.dueOn().equals(state.dueOn())) {
            fields.add("due " + ledger.dueOn() + " vs " + state.dueOn());
        }
        if (sameSection && !ledger.enteredOn().equals(state.enteredOn())) {
            fields.add(state.section().enteredColumn().toLowerCase(Locale.ROOT) + " " + ledger.enteredOn() + " vs "
                    + state.enteredOn());
        }
        if (sameSection && !ledger.reason().equals(state.reason())) {
            fields.add("reason '" + ledger.reason().orElse("") + "' vs '" + state.reason().orElse("") + "'");
        }
        if (!fields.isEmpty()) {
            differences.add(new Difference(Kind.ROW_DIFFERS, subject, "ledger vs state: " + String.join(", ", fields)));
        }
    }

    /** The section, and what closed the invoice where the section has that column: "Credited (credited 300.00 USD)". */
    private static String placeOf(LedgerRow row) {
        return row.section().heading() + row.closedAmount()
                .map(closed -> " (" + closedLabel(row.section()) + " " + closed + ")").orElse("");
    }

    private static String amountsOf(LedgerRow row) {
        return "amount " + row.amount() + ", balance " + row.balance()
                + row.closedAmount().map(closed -> ", " + closedLabel(row.section()) + " " + closed).orElse("");
    }

    private static String closedLabel(LedgerSection section) {
        return section.closedAmountColumn().orElseThrow().toLowerCase(Locale.ROOT);
    }

    private void compareTotals(LedgerSnapshot ledger, List<LedgerRow> expectedRows) {
        Map<LedgerSection, Map<Currency, CurrencyTotals>> expected = CurrencyTotals.bySection(expectedRows);
        for (LedgerSection section : LedgerSection.values()) {
            Map<Currency, CurrencyTotals> written = ledger.totals().get(section);
            Map<Currency, CurrencyTotals> computed = expected.getOrDefault(section, Map.of());
            TreeSet<Currency> currencies = new TreeSet<>(Comparator.comparing(Currency::getCurrencyCode));
            currencies.addAll(written.keySet());
            currencies.addAll(computed.keySet());
            for (Currency currency : currencies) {
                CurrencyTotals zero = CurrencyTotals.zero(currency);
                CurrencyTotals inLedger = written.getOrDefault(currency, zero);
                CurrencyTotals inState = computed.getOrDefault(currency, zero);
                if (!inLedger.equals(inState)) {
                    differences.add(new Difference(Kind.TOTAL_DIFFERS, section.heading() + " " + currency,
                            "the ledger's total is " + describe(section, inLedger) + "; the state files give "
                                    + describe(section, inState)));
                }
            }
        }
    }

    private void compareCarried(LedgerSnapshot ledger, List<LedgerRow> carriedRows) {
        differences.addAll(compareCarried(ledger.carried(), CurrencyTotals.bySection(carriedRows), "the state files"));
    }

    /**
     * The totals ledger.qmd carries from closed periods against what {@code source} gives, per closed section and
     * currency.
     */
    static List<Difference> compareCarried(Map<LedgerSection, Map<Currency, CurrencyTotals>> carried,
                                           Map<LedgerSection, Map<Currency, CurrencyTotals>> expected, String source) {
        List<Difference> found = new ArrayList<>();
        for (LedgerSection section : LedgerSection.closed()) {
            Map<Currency, CurrencyTotals> written = carried.getOrDefault(section, Map.of());
            Map<Currency, CurrencyTotals> computed = expected.getOrDefault(section, Map.of());
            TreeSet<Currency> currencies = new TreeSet<>(Comparator.comparing(Currency::getCurrencyCode));
            currencies.addAll(written.keySet());
            currencies.addAll(computed.keySet());
            for (Currency currency : currencies) {
                CurrencyTotals inLedger = written.getOrDefault(currency, CurrencyTotals.zero(currency));
                CurrencyTotals inSource = computed.getOrDefault(currency, CurrencyTotals.zero(currency));
                if (!inLedger.equals(inSource)) {
                    found.add(new Difference(Kind.TOTAL_DIFFERS, section.heading() + " " + currency + " carried",
                            "the ledger carries " + describe(section, inLedger) + " from closed periods; " + source
                                    + " give " + describe(section, inSource)));
                }
            }
        }
        return found;
    }

    private void compareAgeing(LedgerSnapshot ledger, AgeingTable written, List<LedgerRow> expectedRows) {
        AgeingTable computed = ledger.asOf().map(day -> AgeingTable.of(expectedRows, day)).orElseGet(AgeingTable::new);
        Map<Currency, Map<AgeingBucket, Money>> inLedger = written.balances();
        Map<Currency, Map<AgeingBucket, Money>> inState = computed.balances();
        TreeSet<Currency> currencies = new TreeSet<>(Comparator.comparing(Currency::getCurrencyCode));
        currencies.addAll(inLedger.keySet());
        currencies.addAll(inState.keySet());
        for (Currency currency : currencies) {
            Map<AgeingBucket, Money> a = inLedger.getOrDefault(currency, Map.of());
            Map<AgeingBucket, Money> b = inState.getOrDefault(currency, Map.of());
            if (!a.equals(b)) {
                differences.add(new Difference(Kind.AGEING_DIFFERS, currency.getCurrencyCode(), "the ledger ages "
                        + describe(a) + "; the state files give " + describe(b) + " as of "
                        + ledger.asOf().map(Object::toString).orElse("no date")));
            }
        }
    }

    /**
     * The held payments files against the ledger's Unapplied section, payment by payment (a message_id
     * names one), then the totals per currency and status. Keys in flight beside a running service
     * (their invoice, or a payment held or marked since the ledger's seq) count with their ledger rows.
     */
    private void compareUnapplied(LedgerSnapshot ledger, List<UnappliedRow> fileRows, Set<InvoiceKey> keysInFlight) {
        Map<String, UnappliedRow> inLedger = new TreeMap<>();
        ledger.unapplied().forEach(row -> inLedger.putIfAbsent(row.subject(), row));
        List<UnappliedRow> expected = new ArrayList<>();
        ledger.unapplied().stream().filter(row -> keysInFlight.contains(row.key())).forEach(expected::add);
        for (UnappliedRow file : fileRows) {
            if (keysInFlight.contains(file.key())) {
                inLedger.remove(file.subject());
                continue;
            }
            expected.add(file);
            UnappliedRow row = inLedger.remove(file.subject());
            if (row == null) {
                differences.add(new Difference(Kind.HELD_MISSING_FROM_LEDGER, file.subject(), describe(file)
                        + " in its held payments file, but no row in the ledger's Unapplied section"));
            } else if (!row.equals(file)) {
                differences.add(new Difference(Kind.HELD_DIFFERS, file.subject(), "the ledger has " + describe(row)
                        + "; the held payments file has " + describe(file)));
            }
        }
        inLedger.values().stream().filter(row -> !keysInFlight.contains(row.key())).forEach(orphan ->
                differences.add(new Difference(Kind.HELD_MISSING_FROM_STATE, orphan.subject(), describe(orphan)
                        + " in the ledger's Unapplied section, but in no held payments file")));
        Map<String, UnappliedTotals> written = new TreeMap<>();
        ledger.unappliedTotals().forEach(t -> written.put(t.currency().getCurrencyCode() + " " + t.status().label(), t));
        Map<String, UnappliedTotals> computed = new TreeMap<>();
        UnappliedTotals.of(expected).forEach(t -> computed.put(t.currency().getCurrencyCode() + " " + t.status().label(), t));
        TreeSet<String> pairs = new TreeSet<>(written.keySet());
        pairs.addAll(computed.keySet());
        for (String pair : pairs) {
            UnappliedTotals a = written.get(pair);
            UnappliedTotals b = computed.get(pair);
            if (a == null || !a.equals(b)) {
                differences.add(new Difference(Kind.UNAPPLIED_TOTAL_DIFFERS, "Unapplied " + pair, "the ledger's total is "
                        + describe(a) + "; the held payments files give " + describe(b)));
            }
        }
    }

    private static String describe(UnappliedRow row) {
        return row.status().label() + " " + row.amount().toPlainString() + " " + row.currency().getCurrencyCode()
                + " received " + row.receivedOn() + row.reason().map(r -> " (" + r + ")").orElse("");
    }

    static String describe(UnappliedTotals totals) {
        return totals == null ? "nothing" : totals.payments() + " payments, amount " + totals.amount().toPlainString();
    }

    /** "3 invoices, amount 300.00, balance 0.00, credited 50.00": a section's totals as differences quote them. */
    static String describe(LedgerSection section, CurrencyTotals totals) {
        return totals.invoices() + " invoices, amount " + totals.amount().toPlainString() + ", balance "
                + totals.balance().toPlainString() + (section.closedAmountColumn().isPresent()
                        ? ", " + closedLabel(section) + " " + totals.closedAmount().toPlainString() : "");
    }

    private static String describe(Map<AgeingBucket, Money> row) {
        if (row.isEmpty()) {
            return "nothing";
        }
        Map<String, String> cells = new LinkedHashMap<>();
        row.forEach((bucket, money) -> cells.put(bucket.label(), money.toPlainString()));
        return cells.toString();
    }

    /** A parser fault names the file first; the difference's subject already does. */
    private static String detail(String name, String fault) {
        return fault.startsWith(name + ": ") ? fault.substring(name.length() + 2) : fault;
    }

    /** A HashMap's initial capacity for this many entries: a million are not rehashed twenty times over. */
    private static int capacity(int entries) {
        return (int) Math.min(1 << 30, entries * 4L / 3 + 1);
    }

    /** The entries in key order, for a report in the same order every time. */
    private static <V> List<Map.Entry<InvoiceKey, V>> sorted(Map<InvoiceKey, V> map) {
        List<Map.Entry<InvoiceKey, V>> sorted = new ArrayList<>(map.entrySet());
        sorted.sort(Map.Entry.comparingByKey(KEY_ORDER));
        return sorted;
    }
}
