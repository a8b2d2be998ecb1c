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

    /** Its file's name in the folder ledger/. */
    public String fileName() {
        return fileName(period);
    }

    public static String fileName(YearMonth period) {
        return "paid-" + period + ".qmd";
    }
}
