package com.novotechno.collections.state;

import com.novotechno.collections.domain.Limits;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Objects;

/**
 * What the core needs from configuration.
 *
 * @param clock only its instant counts: the log's entry times, and "now" for defaulted dates
 * @param zone  {@code collections.time-zone}, the one zone of every "today": defaulted dates of
 *              messages, and the ledger's as-of and entered dates (from the log's times)
 */
public record StoreSettings(Currency defaultCurrency, int termsDays, Clock clock, ZoneId zone) {

    public StoreSettings {
        Objects.requireNonNull(defaultCurrency);
        Objects.requireNonNull(clock);
        Objects.requireNonNull(zone);
        if (termsDays < 0 || termsDays > Limits.MAX_TERMS_DAYS) {
            throw new IllegalArgumentException("collections.terms-days must be 0 to " + Limits.MAX_TERMS_DAYS
                    + " days, found " + termsDays);
        }
    }

    /** In UTC, the contract's default zone, whatever the clock's own zone. */
    public StoreSettings(Currency defaultCurrency, int termsDays, Clock clock) {
        this(defaultCurrency, termsDays, clock, ZoneOffset.UTC);
    }
}
