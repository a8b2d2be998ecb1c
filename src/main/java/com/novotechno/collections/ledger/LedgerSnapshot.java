package com.novotechno.collections.ledger;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

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
 * @param period the open period, whose closed invoices the closed sections hold; empty before the first event
 * @param firstPeriod the first period of the log: every period from it to the one before {@code period} is
 *                    closed and has its file ledger/paid-YYYY-MM.qmd
 * @param carried per closed section and currency, the invoices closed in a closed period and closed still
 *                (one reopened since counts no more here, though its period's file keeps it)
 */
public record LedgerSnapshot(long lastSeq, Optional<LocalDate> asOf, Map<LedgerSection, List<LedgerRow>> rows,
                             Map<LedgerSection, Map<Currency, CurrencyTotals>> totals, List<UnappliedRow> unapplied,
                             List<UnappliedTotals> unappliedTotals, Optional<YearMonth> period,
                             Optional<YearMonth> firstPeriod, Map<LedgerSection, Map<Currency, CurrencyTotals>> carried) {

    /** A ledger without held payments. */
    public LedgerSnapshot(long lastSeq, Optional<LocalDate> asOf, Map<LedgerSection, List<LedgerRow>> rows,
                          Map<LedgerSection, Map<Currency, CurrencyTotals>> totals) {
        this(lastSeq, asOf, rows, totals, List.of(), List.of());
    }

    /** A ledger of one period, the one of its as-of, with nothing carried. */
    public LedgerSnapshot(long lastSeq, Optional<LocalDate> asOf, Map<LedgerSection, List<LedgerRow>> rows,
                          Map<LedgerSection, Map<Currency, CurrencyTotals>> totals, List<UnappliedRow> unapplied,
                          List<UnappliedTotals> unappliedTotals) {
        this(lastSeq, asOf, rows, totals, unapplied, unappliedTotals, asOf.map(YearMonth::from),
                asOf.map(YearMonth::from), Map.of());
    }

    public LedgerSnapshot {
        Objects.requireNonNull(asOf);
        Objects.requireNonNull(period);
        Objects.requireNonNull(firstPeriod);
        if (lastSeq < 0) {
            throw new IllegalArgumentException("last seq is never negative");
        }
        if (period.isPresent() != firstPeriod.isPresent() || (period.isPresent() && firstPeriod.get().isAfter(period.get()))) {
            throw new IllegalArgumentException("first period " + firstPeriod + " and period " + period);
        }
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> carriedCopy = new EnumMap<>(LedgerSection.class);
        for (LedgerSection section : LedgerSection.closed()) {
            TreeMap<Currency, CurrencyTotals> sums = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
            sums.putAll(carried.getOrDefault(section, Map.of()));
            carriedCopy.put(section, Collections.unmodifiableMap(sums));
        }
        if (carried.keySet().stream().anyMatch(LedgerSection::isOpen)) {
            throw new IllegalArgumentException("an open section carried from a closed period");
        }
        carried = Collections.unmodifiableMap(carriedCopy);
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
