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
 * @param totals each section's totals per currency, in currency code order; a closed amount only
 *               in the sections with that column
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
            Map<Currency, CurrencyTotals> sectionTotals = totals.getOrDefault(section, Map.of());
            // The file has no column for it, so it could not be rendered, nor read back.
            if (section.closedAmountColumn().isEmpty()
                    && sectionTotals.values().stream().anyMatch(t -> !t.closedAmount().isZero())) {
                throw new IllegalArgumentException(section.heading() + " totals with a closed amount");
            }
            totalsCopy.put(section, Collections.unmodifiableMap(sectionTotals));
        }
        rows = Collections.unmodifiableMap(rowsCopy);
        totals = Collections.unmodifiableMap(totalsCopy);
        unapplied = List.copyOf(unapplied);
        unappliedTotals = List.copyOf(unappliedTotals);
    }

    /** Every row of every section, in section order. */
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
