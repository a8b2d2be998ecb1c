package com.novotechno.collections.reconcile;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.ParsedPeriodLedger;
import com.novotechno.collections.ledger.PeriodLedger;
import com.novotechno.collections.reconcile.Difference.Kind;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The closed periods' files (ledger/paid-YYYY-MM.qmd) against the state files. A period's file is its
 * record as the period ended, so a row agrees when the state still says the same, or when the state
 * changed after the period ended (reopened, or closed again later): that is history, not a difference.
 * Every invoice the state files say was closed in a closed period, and is not in ledger.qmd, must be in
 * its period's file; each file's totals must be its rows' sums; one file per closed period, no other.
 *
 * <p>{@link #compare} is the whole comparison, as {@code reconcile} runs it; the reconcile route's tick
 * ({@link ClosedPeriodCheck}) makes the same checks from the same pieces, spread over its ticks.
 */
final class PeriodFiles {

    private PeriodFiles() {
    }

    /** Whether the state's row belongs to a closed period, by the ledger's open period: carried, and in its period's file. */
    static boolean carried(LedgerRow state, LedgerSnapshot ledger) {
        return !state.section().isOpen() && ledger.period().isPresent()
                && YearMonth.from(state.enteredOn()).isBefore(ledger.period().get());
    }

    /** The periods ledger.qmd says are closed, oldest first: each has its file. */
    static List<YearMonth> closed(LedgerSnapshot ledger) {
        List<YearMonth> periods = new ArrayList<>();
        if (ledger.period().isPresent()) {
            for (YearMonth period = ledger.firstPeriod().orElseThrow(); period.isBefore(ledger.period().get());
                 period = period.plusMonths(1)) {
                periods.add(period);
            }
        }
        return periods;
    }

    /** How differences name a period's file. */
    static String name(YearMonth period) {
        return "ledger/" + PeriodLedger.fileName(period);
    }

    static Difference missing(YearMonth period) {
        return new Difference(Kind.LEDGER_MISSING, name(period), "period " + period + " is closed but its file is"
                + " missing; rebuild writes it anew from the log");
    }

    /** A directory, a FIFO, a file beyond the limit: a difference to name, not a reconcile that fails. */
    static Difference unreadable(YearMonth period, IOException e) {
        return new Difference(Kind.LEDGER_UNREADABLE, name(period), "cannot be read: " + e.getMessage()
                + "; rebuild writes it anew from the log");
    }

    /**
     * The entries of ledger/ that are no closed period's file. The file of the period ledger.qmd still calls
     * open was written before ledger.qmd's next render: ahead, not wrong. Only that one: a file of a later
     * month (paid-2099-01.qmd) is no file of ours. A tmp file is an atomic write in flight, or one a kill cut
     * short (the next start removes it): skipped, as every scanner of the data folder skips them.
     */
    static List<Difference> strays(List<Path> listed, LedgerSnapshot ledger) {
        Set<String> expected = new HashSet<>();
        closed(ledger).forEach(period -> expected.add(PeriodLedger.fileName(period)));
        ledger.period().ifPresent(open -> expected.add(PeriodLedger.fileName(open)));
        List<Difference> strays = new ArrayList<>();
        for (Path file : listed) {
            if (!expected.contains(file.getFileName().toString()) && !FileSystemStorage.isTemporaryFile(file)) {
                strays.add(new Difference(Kind.LEDGER_UNREADABLE, "ledger/" + file.getFileName(),
                        "not the file of a period ledger.qmd says is closed"));
            }
        }
        return strays;
    }

    /**
     * What a period's file says of itself: its checksum and format faults, the period it states, and its
     * totals against the sums of its rows.
     *
     * @param rowTotals per closed section and currency, the sums of all its rows
     */
    static void checkFile(YearMonth period, ParsedPeriodLedger parsed,
                          Map<LedgerSection, Map<Currency, CurrencyTotals>> rowTotals, List<Difference> differences) {
        String name = name(period);
        parsed.checksumFaults().forEach(f -> differences.add(new Difference(Kind.LEDGER_EDITED, name, f)));
        parsed.formatFaults().forEach(f -> differences.add(new Difference(Kind.LEDGER_UNREADABLE, name, f)));
        if (parsed.content().isEmpty()) {
            return;
        }
        PeriodLedger content = parsed.content().get();
        if (!content.period().equals(period)) {
            differences.add(new Difference(Kind.LEDGER_UNREADABLE, name, "says period " + content.period()));
        }
        for (LedgerSection section : LedgerSection.closed()) {
            Map<Currency, CurrencyTotals> sums = rowTotals.getOrDefault(section, Map.of());
            if (!sums.equals(content.totals().get(section))) {
                differences.add(new Difference(Kind.TOTAL_DIFFERS, name + " " + section.heading(), "its totals "
                        + content.totals().get(section).values() + " are not the sums of its rows " + sums.values()));
            }
        }
    }

    /** One row of a period's file against its invoice's state file, if it has one. */
    static void compareRow(YearMonth period, LedgerRow row, Optional<Reconciler.StateRow> state,
                           List<Difference> differences) {
        if (state.isEmpty()) {
            differences.add(new Difference(Kind.MISSING_FROM_STATE, row.key().toString(), "in " + row.section().heading()
                    + " in " + name(period) + ", but there is no state file"));
        } else if (!state.get().row().equals(row) && !YearMonth.from(state.get().row().enteredOn()).isAfter(period)) {
            differences.add(new Difference(Kind.ROW_DIFFERS, row.key().toString(), name(period) + " has " + row
                    + "; the state, unchanged since the period ended, has " + state.get().row()));
        }
    }

    /** A state closed in a closed period, not in ledger.qmd, and not in its period's file. */
    static Difference notListed(LedgerRow state) {
        return new Difference(Kind.MISSING_FROM_LEDGER, state.key().toString(), state.section().heading()
                + " on " + state.enteredOn() + " in the state, but no row in " + name(YearMonth.from(state.enteredOn())));
    }

    static List<Difference> compare(Storage storage, DataLayout layout, LedgerSnapshot ledger,
                                    Map<InvoiceKey, Reconciler.StateRow> states) throws IOException {
        List<Difference> differences = new ArrayList<>();
        Map<YearMonth, List<LedgerRow>> carriedByPeriod = new HashMap<>();
        if (ledger.period().isPresent()) {
            Map<InvoiceKey, Boolean> inLedger = new HashMap<>();
            ledger.allRows().forEach(row -> inLedger.put(row.key(), true));
            states.forEach((key, state) -> {
                if (!inLedger.containsKey(key) && carried(state.row(), ledger)) {
                    carriedByPeriod.computeIfAbsent(YearMonth.from(state.row().enteredOn()), p -> new ArrayList<>()).add(state.row());
                }
            });
        }
        for (YearMonth period : closed(ledger)) {
            comparePeriod(storage, layout, period, states, carriedByPeriod.getOrDefault(period, List.of()), differences);
        }
        if (storage.exists(layout.ledgerPeriods())) {
            differences.addAll(strays(storage.list(layout.ledgerPeriods()), ledger));
        }
        return differences;
    }

    private static void comparePeriod(Storage storage, DataLayout layout, YearMonth period,
                                      Map<InvoiceKey, Reconciler.StateRow> states, List<LedgerRow> carried,
                                      List<Difference> differences) throws IOException {
        Path file = layout.ledgerPeriods().resolve(PeriodLedger.fileName(period));
        if (!storage.exists(file)) {
            differences.add(missing(period));
            return;
        }
        byte[] bytes;
        try {
            bytes = storage.read(file, Limits.MAX_LEDGER_BYTES);
        } catch (IOException e) {
            differences.add(unreadable(period, e));
            return;
        }
        ParsedPeriodLedger parsed = LedgerParser.parsePeriod(name(period), bytes);
        List<LedgerRow> rows = new ArrayList<>();
        parsed.content().ifPresent(content -> content.rows().values().forEach(rows::addAll));
        checkFile(period, parsed, CurrencyTotals.bySection(rows), differences);
        if (parsed.content().isEmpty()) {
            return;
        }
        Set<InvoiceKey> listed = new HashSet<>();
        for (LedgerRow row : rows) {
            listed.add(row.key());
            compareRow(period, row, Optional.ofNullable(states.get(row.key())), differences);
        }
        for (LedgerRow state : carried) {
            if (!listed.contains(state.key())) {
                differences.add(notListed(state));
            }
        }
    }
}
