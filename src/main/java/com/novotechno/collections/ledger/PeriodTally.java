package com.novotechno.collections.ledger;

import java.util.Currency;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link LedgerTally#ofPeriod} read from a closed period's file, every checksum checked.
 *
 * @param selected the file as {@link LedgerParser#parsePeriod} reads it, but with only the rows asked for:
 *                 its period and its Summary's totals as written
 * @param rowTotals per closed section and currency, the sums of every row of the file
 * @param rows the invoice rows in the file
 */
public record PeriodTally(ParsedPeriodLedger selected, Map<LedgerSection, Map<Currency, CurrencyTotals>> rowTotals,
                          long rows) {

    public PeriodTally {
        Objects.requireNonNull(selected);
        Objects.requireNonNull(rowTotals);
        if (selected.content().isEmpty() || rows < 0) {
            throw new IllegalArgumentException("a tally of a period file without its period, or of " + rows + " rows");
        }
    }

    public PeriodLedger content() {
        return selected.content().orElseThrow();
    }
}
