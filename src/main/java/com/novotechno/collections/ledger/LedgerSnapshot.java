package com.novotechno.collections.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ledger's content at one moment: what is rendered, and what a parse gives back.
 *
 * @param lastSeq every log entry up to this seq is reflected
 * @param asOf the day of the latest event reflected, which the ageing is computed for; empty
 *             while there has been none
 * @param rows each section's rows in {@link LedgerRow#ORDER}
 * @param totals each section's totals per currency, in currency code order
 * @param unapplied the held payments (section Unapplied) in {@link UnappliedRow#ORDER}
 * @param unappliedTotals their totals per currency and status, in {@link UnappliedTotals#ORDER}
 */
public record LedgerSnapshot(long lastSeq, Optional<LocalDate> asOf, Map<LedgerSection, List<LedgerRow>> rows,
                             Map<LedgerSection, Map<Currency, CurrencyTotals>> totals, List<UnappliedRow> unapplied,
                             List<UnappliedTotals> unappliedTotals) {

    /** A ledger without held payments. */
    public LedgerSnapshot(long lastSeq, Optional<LocalDate> asOf, Map<LedgerSection, List<LedgerRow>> rows,
                          Map<LedgerSection, Map<Currency, CurrencyTotals>> totals) {
        this(lastSeq, asOf, rows, totals, List.of(), List.of());
    }

    public LedgerSnapshot {
        Objects.requireNonNull(asOf);
        if (lastSeq < 0) {
            throw new IllegalArgumentException("last seq is never negative");
        }
        EnumMap<LedgerSection, List<LedgerRow>> rowsCopy = new EnumMap<>(LedgerSection.class);
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> totalsCopy = new EnumMap<>(LedgerSection.class);
        for (LedgerSection section : LedgerSection.values()) {
            rowsCopy.put(section, List.copyOf(rows.getOrDefault(section, List.of())));
            totalsCopy.put(section, Collections.unmodifiableMap(totals.getOrDefault(section, Map.of())));
        }
        rows = Collections.unmodifiableMap(rowsCopy);
        totals = Collections.unmodifiableMap(totalsCopy);
        unapplied = List.copyOf(unapplied);
        unappliedTotals = List.copyOf(unappliedTotals);
    }

    /** Every row of every section, Unpaid first. */
    public List<LedgerRow> allRows() {
        List<LedgerRow> all = new ArrayList<>();
        rows.values().forEach(all::addAll);
        return all;
    }

    /** The ageing the rows give as of {@link #asOf}; empty when there is no date to age against. */
    public AgeingTable ageing() {
        return asOf.map(day -> AgeingTable.of(allRows(), day)).orElseGet(AgeingTable::new);
    }
}
