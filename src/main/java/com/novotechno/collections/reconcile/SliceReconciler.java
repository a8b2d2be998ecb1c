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
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.LedgerTally;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.ledger.UnappliedRow;
import com.novotechno.collections.ledger.UnappliedTotals;
import com.novotechno.collections.reconcile.Difference.Kind;
import com.novotechno.collections.reconcile.Reconciler.StateRow;
import com.novotechno.collections.state.HeldPayment;
import com.novotechno.collections.state.HeldPaymentScan;
import com.novotechno.collections.state.InvoiceFiles;
import com.novotechno.collections.state.LedgerRows;
import com.novotechno.collections.state.StateFileScan.Unreadable;
import com.novotechno.collections.state.UnappliedFiles;
import com.novotechno.collections.state.UnappliedRows;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One tick of the reconcile route beside a running service: the ledger's every checksum and every total
 * (each section and currency, the ageing, section Unapplied) against the sums of its own rows, and the rows
 * of the given invoices against their state files and held payments files, exactly as {@link Reconciler}
 * compares them ({@link Reconciler.Mode#LIVE}: a file past the ledger's seq is in flight).
 *
 * <p>Why that proves the totals: every total equals the sum of its rows at every tick, and every row equals
 * its state file once per cycle of the sweep (see {@link RollingSweep}); so the totals equal the state
 * files' sums, without reading a million files every tick. The closed periods' files and the totals carried
 * from them take the same path ({@link ClosedPeriodCheck}): the carried totals equal the files' rows at every
 * tick, every row of the files equals its state file once per cycle, and an invoice of the slice closed in a
 * closed period must be in that period's file. What it leaves to the full {@link Reconciler} ({@code reconcile}
 * on the command line): a state file of an invoice neither the log nor the ledger knows (the state-audit
 * route removes those).
 */
public final class SliceReconciler {

    /** Invoices compared in one call at most: the caller's slices are far smaller; more is a bug, not load. */
    public static final int MAX_KEYS = 200_000;

    private final Storage storage;
    private final DataLayout layout;
    private final ZoneId zone;
    private final InvoiceFiles invoices;
    private final Reconciler rows;
    private final ReconcileSchedule schedule;
    private final ClosedPeriodCheck periods;

    /** @param schedule how often it is called, and within what every invoice and every period file's row is compared */
    public SliceReconciler(Storage storage, DataLayout layout, ZoneId zone, ReconcileSchedule schedule) {
        this.storage = storage;
        this.layout = layout;
        this.zone = zone;
        this.schedule = schedule;
        this.invoices = new InvoiceFiles(storage, layout);
        this.rows = new Reconciler(storage, layout, zone);
        this.periods = new ClosedPeriodCheck(storage, layout, schedule);
    }

    public ReconcileSchedule schedule() {
        return schedule;
    }

    /**
     * @param keys the invoices whose rows and files are compared
     * @param everyKey told the key of every row of the ledger as it passes (the sweep's next cycle lists them)
     * @return the differences; {@code invoices} counts the state files compared
     */
    public ReconcileReport reconcile(Collection<InvoiceKey> keys, Consumer<InvoiceKey> everyKey) throws IOException {
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException(keys.size() + " invoices in one slice, more than " + MAX_KEYS);
        }
        String name = layout.ledger().getFileName().toString();
        if (!storage.exists(layout.ledger())) {
            return new ReconcileReport(0, 0, 0, List.of(new Difference(Kind.LEDGER_MISSING, name,
                    "there is no ledger; the service writes it when it starts")));
        }
        Set<InvoiceKey> wanted = Set.copyOf(keys);
        // The ledger first: the seq it states decides which files the service has moved on since.
        byte[] bytes = storage.read(layout.ledger(), Limits.MAX_LEDGER_BYTES);
        periods.refresh();
        Optional<LedgerTally> tally = LedgerTally.of(name, bytes, wanted::contains, everyKey, periods::ledgerRow);
        ParsedLedger selected;
        Map<LedgerSection, Map<Currency, CurrencyTotals>> rowTotals;
        AgeingTable rowAgeing;
        List<UnappliedTotals> unappliedRowTotals;
        if (tally.isPresent()) {
            selected = tally.get().selected();
            rowTotals = tally.get().rowTotals();
            rowAgeing = tally.get().rowAgeing();
            unappliedRowTotals = tally.get().unappliedRowTotals();
        } else {
            // Not as the service writes it: the whole parse names each fault, and its rows are summed instead.
            ParsedLedger whole = LedgerParser.parse(name, bytes);
            LedgerSnapshot content = whole.content();
            Consumer<InvoiceKey> everyRow = everyKey.andThen(periods::ledgerRow);
            content.allRows().forEach(row -> everyRow.accept(row.key()));
            content.unapplied().forEach(row -> everyKey.accept(row.key()));
            rowTotals = CurrencyTotals.bySection(content.allRows());
            rowAgeing = content.ageing();
            unappliedRowTotals = UnappliedTotals.of(content.unapplied());
            selected = restrict(whole, wanted);
        }
        Map<InvoiceKey, StateRow> states = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        List<UnappliedRow> heldRows = new ArrayList<>();
        Map<InvoiceKey, Long> heldSeq = new HashMap<>();
        for (InvoiceKey key : wanted) {
            if (key.isWholeClient()) {
                continue; // a whole client's pause has no file and no row
            }
            readState(key, states, unreadable);
            readHeld(key, heldRows, heldSeq, unreadable);
        }
        heldRows.sort(UnappliedRow.ORDER);
        ReconcileReport perInvoice = rows.compare(name, selected, states, unreadable,
                new HeldPaymentScan(heldRows, heldSeq, List.of()), Reconciler.Mode.LIVE);
        List<Difference> differences = new ArrayList<>();
        // The slice's own totals say nothing about the file's: those are proven below, against all its rows.
        perInvoice.differences().stream().filter(d -> d.kind() != Kind.TOTAL_DIFFERS && d.kind() != Kind.AGEING_DIFFERS
                && d.kind() != Kind.UNAPPLIED_TOTAL_DIFFERS).forEach(differences::add);
        LedgerSnapshot written = selected.content();
        compareTotals(written.totals(), rowTotals, differences);
        compareAgeing(selected.ageing(), rowAgeing, written, differences);
        compareUnappliedTotals(written.unappliedTotals(), unappliedRowTotals, differences);
        differences.addAll(notListed(written, states));
        Map<InvoiceKey, StateRow> periodStates = new HashMap<>();
        List<Unreadable> periodUnreadable = new ArrayList<>();
        differences.addAll(periods.check(written, key -> {
            readState(key, periodStates, periodUnreadable);
            return Optional.ofNullable(periodStates.get(key));
        }));
        periodUnreadable.forEach(u -> differences.add(new Difference(Kind.STATE_UNREADABLE, u.file(), u.problem())));
        return new ReconcileReport(perInvoice.ledgerSeq(), states.size() + periodStates.size(), perInvoice.inFlight(),
                differences);
    }

    /**
     * The slice's invoices closed in a closed period, with no row in ledger.qmd, that their period's file does not
     * list: carried in the state, in no file. One the service moved on since the ledger's seq is in flight.
     */
    private List<Difference> notListed(LedgerSnapshot written, Map<InvoiceKey, StateRow> states) {
        Set<InvoiceKey> inLedger = new HashSet<>();
        written.allRows().forEach(row -> inLedger.add(row.key()));
        List<Difference> differences = new ArrayList<>();
        states.entrySet().stream().sorted(Map.Entry.comparingByKey(
                Comparator.comparing(InvoiceKey::client).thenComparing(InvoiceKey::invoiceNumber))).forEach(entry -> {
            StateRow state = entry.getValue();
            if (state.lastSeq() <= written.lastSeq() && !inLedger.contains(entry.getKey())
                    && PeriodFiles.carried(state.row(), written)
                    && !periods.mayList(YearMonth.from(state.row().enteredOn()), entry.getKey())) {
                differences.add(PeriodFiles.notListed(state.row()));
            }
        });
        return differences;
    }

    private void readState(InvoiceKey key, Map<InvoiceKey, StateRow> states, List<Unreadable> unreadable)
            throws IOException {
        // A file the service moves between the folders meanwhile is looked for again; it cannot be in both.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Optional<InvoiceFiles.Stored> stored = invoices.read(key);
                stored.ifPresent(s -> states.put(key, new StateRow(LedgerRows.of(s.state(), zone), s.state().lastSeq())));
                return;
            } catch (NoSuchFileException movedMeanwhile) {
                continue;
            } catch (CorruptFileException e) {
                Path file = invoices.path(key, invoices.locate(key).orElse(InvoiceFiles.Location.OPEN));
                unreadable.add(new Unreadable(layout.root().relativize(file).toString(), e.problem()));
                return;
            }
        }
    }

    private void readHeld(InvoiceKey key, List<UnappliedRow> rows, Map<InvoiceKey, Long> newestSeq,
                          List<Unreadable> unreadable) throws IOException {
        Path file = UnappliedFiles.path(layout, key);
        try {
            List<HeldPayment> held = UnappliedFiles.decode(storage.read(file, Limits.MAX_STATE_FILE_BYTES), file);
            rows.addAll(UnappliedRows.of(key, held));
            newestSeq.put(key, held.stream().mapToLong(HeldPayment::newestSeq).max().orElse(0));
        } catch (NoSuchFileException noneHeld) {
            // most invoices have no held payments
        } catch (CorruptFileException e) {
            unreadable.add(new Unreadable(layout.root().relativize(file).toString(), e.problem()));
        }
    }

    /** The parsed file with only the wanted invoices' rows; totals, ageing and faults as read. */
    private static ParsedLedger restrict(ParsedLedger whole, Set<InvoiceKey> wanted) {
        LedgerSnapshot content = whole.content();
        Map<LedgerSection, List<LedgerRow>> kept = new TreeMap<>();
        content.rows().forEach((section, sectionRows) ->
                kept.put(section, sectionRows.stream().filter(row -> wanted.contains(row.key())).toList()));
        List<UnappliedRow> unapplied = content.unapplied().stream().filter(row -> wanted.contains(row.key())).toList();
        // Its period, first period and carried totals too: without them a closed period's invoice looks missing.
        return new ParsedLedger(new LedgerSnapshot(content.lastSeq(), content.asOf(), kept, content.totals(), unapplied,
                content.unappliedTotals(), content.period(), content.firstPeriod(), content.carried()), whole.ageing(), whole.checksumFaults(), whole.formatFaults(),
                whole.formatVersion());
    }

    private static void compareTotals(Map<LedgerSection, Map<Currency, CurrencyTotals>> written,
                                      Map<LedgerSection, Map<Currency, CurrencyTotals>> fromRows,
                                      List<Difference> differences) {
        for (LedgerSection section : LedgerSection.values()) {
            Map<Currency, CurrencyTotals> a = written.getOrDefault(section, Map.of());
            Map<Currency, CurrencyTotals> b = fromRows.getOrDefault(section, Map.of());
            for (Currency currency : currencies(a.keySet(), b.keySet())) {
                CurrencyTotals zero = CurrencyTotals.zero(currency);
                CurrencyTotals inFile = a.getOrDefault(currency, zero);
                CurrencyTotals summed = b.getOrDefault(currency, zero);
                if (!inFile.equals(summed)) {
                    differences.add(new Difference(Kind.TOTAL_DIFFERS, section.heading() + " " + currency,
                            "the ledger's total is " + Reconciler.describe(section, inFile) + "; its rows give "
                                    + Reconciler.describe(section, summed)));
                }
            }
        }
    }

    private static void compareAgeing(AgeingTable written, AgeingTable fromRows, LedgerSnapshot ledger,
                                      List<Difference> differences) {
        Map<Currency, Map<AgeingBucket, Money>> a = written.balances();
        Map<Currency, Map<AgeingBucket, Money>> b = fromRows.balances();
        for (Currency currency : currencies(a.keySet(), b.keySet())) {
            Map<AgeingBucket, Money> inFile = a.getOrDefault(currency, Map.of());
            Map<AgeingBucket, Money> aged = b.getOrDefault(currency, Map.of());
            if (!inFile.equals(aged)) {
                differences.add(new Difference(Kind.AGEING_DIFFERS, currency.getCurrencyCode(), "the ledger ages "
                        + inFile + "; its rows give " + aged + " as of "
                        + ledger.asOf().map(Object::toString).orElse("no date")));
            }
        }
    }

    private static void compareUnappliedTotals(List<UnappliedTotals> written, List<UnappliedTotals> fromRows,
                                               List<Difference> differences) {
        Map<String, UnappliedTotals> a = new TreeMap<>();
        written.forEach(t -> a.put(t.currency().getCurrencyCode() + " " + t.status().label(), t));
        Map<String, UnappliedTotals> b = new TreeMap<>();
        fromRows.forEach(t -> b.put(t.currency().getCurrencyCode() + " " + t.status().label(), t));
        TreeSet<String> pairs = new TreeSet<>(a.keySet());
        pairs.addAll(b.keySet());
        for (String pair : pairs) {
            if (!java.util.Objects.equals(a.get(pair), b.get(pair))) {
                differences.add(new Difference(Kind.UNAPPLIED_TOTAL_DIFFERS, "Unapplied " + pair, "the ledger's total is "
                        + Reconciler.describe(a.get(pair)) + "; its rows give " + Reconciler.describe(b.get(pair))));
            }
        }
    }

    private static TreeSet<Currency> currencies(Set<Currency> a, Set<Currency> b) {
        TreeSet<Currency> all = new TreeSet<>(Comparator.comparing(Currency::getCurrencyCode));
        all.addAll(a);
        all.addAll(b);
        return all;
    }

}
