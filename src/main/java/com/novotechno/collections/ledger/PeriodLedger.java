package com.novotechno.collections.ledger;

import java.time.YearMonth;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One closed period's file, ledger/paid-YYYY-MM.qmd: the invoices the service closed in that month
 * (every closed section), as they stood when the period ended. Written once, never rewritten.
 *
 * @param rows each closed section's rows in {@link LedgerRow#ORDER}
 * @param totals each closed section's totals per currency
 */
public record PeriodLedger(YearMonth period, Map<LedgerSection, List<LedgerRow>> rows,
                           Map<LedgerSection, Map<Currency, CurrencyTotals>> totals) {

    public PeriodLedger {
        Objects.requireNonNull(period);
        EnumMap<LedgerSection, List<LedgerRow>> rowsCopy = new EnumMap<>(LedgerSection.class);
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> totalsCopy = new EnumMap<>(LedgerSection.class);
        for (LedgerSection section : LedgerSection.closed()) {
            List<LedgerRow> sectionRows = List.copyOf(rows.getOrDefault(section, List.of()));
            for (LedgerRow row : sectionRows) {
                if (row.section() != section) {
                    throw new IllegalArgumentException(row.key() + " of " + row.section() + " among " + section);
                }
            }
            rowsCopy.put(section, sectionRows);
            totalsCopy.put(section, Collections.unmodifiableMap(totals.getOrDefault(section, Map.of())));
        }
        if (rows.keySet().stream().anyMatch(LedgerSection::isOpen)) {
            throw new IllegalArgumentException("an open section in the file of closed period " + period);
        }
        rows = Collections.unmodifiableMap(rowsCopy);
        totals = Collections.unmodifiableMap(totalsCopy);
    }

    /**
     * The same period with {@code row} in place of the invoice's row there (an erasure changed its reason):
     * the row must be in the same section, with the same amounts, so the totals stand.
     */
    public PeriodLedger withRow(LedgerRow row) {
        List<LedgerRow> sectionRows = new java.util.ArrayList<>(rows.get(row.section()));
        int at = -1;
        for (int i = 0; i < sectionRows.size(); i++) {
            if (sectionRows.get(i).key().equals(row.key())) {
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException(row.key() + " is not in " + row.section().heading() + " of " + period);
        }
        LedgerRow was = sectionRows.get(at);
        if (!was.amount().equals(row.amount()) || !was.closedAmount().equals(row.closedAmount())
                || !was.dueOn().equals(row.dueOn())) {
            throw new IllegalArgumentException(row.key() + " in " + period + " changed more than its reason");
        }
        sectionRows.set(at, row);
        EnumMap<LedgerSection, List<LedgerRow>> next = new EnumMap<>(rows);
        next.put(row.section(), sectionRows);
        return new PeriodLedger(period, next, totals);
    }

    /** Its file's name in the folder ledger/. */
    public String fileName() {
        return fileName(period);
    }

    public static String fileName(YearMonth period) {
        return "paid-" + period + ".qmd";
    }
}
