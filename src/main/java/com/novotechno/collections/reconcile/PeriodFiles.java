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
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The closed periods' files (ledger/paid-YYYY-MM.qmd) against the state files. A period's file is its
 * record as the period ended, so a row agrees when the state still says the same, or when the state
 * changed after the period ended (reopened, or closed again later): that is history, not a difference.
 * Every invoice the state files say was closed in a closed period, and is not in ledger.qmd, must be in
 * its period's file; each file's totals must be its rows' sums; one file per closed period, no other.
 */
final class PeriodFiles {

    private PeriodFiles() {
    }

    /** Whether the state's row belongs to a closed period, by the ledger's open period: carried, and in its period's file. */
    static boolean carried(LedgerRow state, LedgerSnapshot ledger) {
        return !state.section().isOpen() && ledger.period().isPresent()
                && YearMonth.from(state.enteredOn()).isBefore(ledger.period().get());
    }

    static List<Difference> compare(Storage storage, DataLayout layout, LedgerSnapshot ledger,
                                    Map<InvoiceKey, Reconciler.StateRow> states) throws IOException {
        List<Difference> differences = new ArrayList<>();
        Set<String> expectedFiles = new HashSet<>();
        if (ledger.period().isPresent()) {
            Map<YearMonth, List<LedgerRow>> carriedByPeriod = new HashMap<>();
            Map<InvoiceKey, Boolean> inLedger = new HashMap<>();
            ledger.allRows().forEach(row -> inLedger.put(row.key(), true));
            states.forEach((key, state) -> {
                if (!inLedger.containsKey(key) && carried(state.row(), ledger)) {
                    carriedByPeriod.computeIfAbsent(YearMonth.from(state.row().enteredOn()), p -> new ArrayList<>()).add(state.row());
                }
            });
            for (YearMonth period = ledger.firstPeriod().orElseThrow(); period.isBefore(ledger.period().get());
                 period = period.plusMonths(1)) {
                expectedFiles.add(PeriodLedger.fileName(period));
                comparePeriod(storage, layout, period, states, carriedByPeriod.getOrDefault(period, List.of()), differences);
            }
        }
        if (storage.exists(layout.ledgerPeriods())) {
            for (Path file : storage.list(layout.ledgerPeriods())) {
                // The file of the period ledger.qmd still calls open was written before ledger.qmd's next render:
                // ahead, not wrong. Only that one: a file of a later month (paid-2099-01.qmd) is no file of ours.
                String fileName = file.getFileName().toString();
                boolean ahead = ledger.period().isPresent() && fileName.equals(PeriodLedger.fileName(ledger.period().get()));
                if (!expectedFiles.contains(fileName) && !ahead) {
                    differences.add(new Difference(Kind.LEDGER_UNREADABLE, "ledger/" + file.getFileName(),
                            "not the file of a period ledger.qmd says is closed"));
                }
            }
        }
        return differences;
    }

    private static void comparePeriod(Storage storage, DataLayout layout, YearMonth period,
                                      Map<InvoiceKey, Reconciler.StateRow> states, List<LedgerRow> carried,
                                      List<Difference> differences) throws IOException {
        String name = "ledger/" + PeriodLedger.fileName(period);
        Path file = layout.ledgerPeriods().resolve(PeriodLedger.fileName(period));
        if (!storage.exists(file)) {
            differences.add(new Difference(Kind.LEDGER_MISSING, name, "period " + period + " is closed but its file is"
                    + " missing; rebuild writes it anew from the log"));
            return;
        }
        byte[] bytes;
        try {
            bytes = storage.read(file, Limits.MAX_LEDGER_BYTES);
        } catch (IOException e) {
            // A directory, a FIFO, a file beyond the limit: a difference to name, not a reconcile that fails.
            differences.add(new Difference(Kind.LEDGER_UNREADABLE, name, "cannot be read: " + e.getMessage()
                    + "; rebuild writes it anew from the log"));
            return;
        }
        ParsedPeriodLedger parsed = LedgerParser.parsePeriod(name, bytes);
        parsed.checksumFaults().forEach(f -> differences.add(new Difference(Kind.LEDGER_EDITED, name, f)));
        parsed.formatFaults().forEach(f -> differences.add(new Difference(Kind.LEDGER_UNREADABLE, name, f)));
        if (parsed.content().isEmpty()) {
            return;
        }
        PeriodLedger content = parsed.content().get();
        if (!content.period().equals(period)) {
            differences.add(new Difference(Kind.LEDGER_UNREADABLE, name, "says period " + content.period()));
        }
        Set<InvoiceKey> listed = new HashSet<>();
        List<LedgerRow> rows = new ArrayList<>();
        content.rows().values().forEach(rows::addAll);
        for (LedgerRow row : rows) {
            listed.add(row.key());
            Reconciler.StateRow state = states.get(row.key());
            if (state == null) {
                differences.add(new Difference(Kind.MISSING_FROM_STATE, row.key().toString(), "in " + row.section().heading()
                        + " in " + name + ", but there is no state file"));
            } else if (!state.row().equals(row) && !YearMonth.from(state.row().enteredOn()).isAfter(period)) {
                differences.add(new Difference(Kind.ROW_DIFFERS, row.key().toString(), name + " has " + row
                        + "; the state, unchanged since the period ended, has " + state.row()));
            }
        }
        for (LedgerRow state : carried) {
            if (!listed.contains(state.key())) {
                differences.add(new Difference(Kind.MISSING_FROM_LEDGER, state.key().toString(), state.section().heading()
                        + " on " + state.enteredOn() + " in the state, but no row in " + name));
            }
        }
        Map<LedgerSection, Map<java.util.Currency, CurrencyTotals>> sums = CurrencyTotals.bySection(rows);
        for (LedgerSection section : LedgerSection.closed()) {
            if (!sums.get(section).equals(content.totals().get(section))) {
                differences.add(new Difference(Kind.TOTAL_DIFFERS, name + " " + section.heading(), "its totals "
                        + content.totals().get(section).values() + " are not the sums of its rows " + sums.get(section).values()));
            }
        }
    }
}
