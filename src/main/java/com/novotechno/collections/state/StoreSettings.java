package com.novotechno.collections.state;

import com.novotechno.collections.domain.Limits;
import java.time.Clock;
import java.util.Currency;
import java.util.Objects;

/**
 * What the core needs from configuration. The clock's zone decides "today" for defaulted dates.
 */
public record StoreSettings(Currency defaultCurrency, int termsDays, Clock clock) {

    public StoreSettings {
        Objects.requireNonNull(defaultCurrency);
        Objects.requireNonNull(clock);
        if (termsDays < 0 || termsDays > Limits.MAX_TERMS_DAYS) {
            throw new IllegalArgumentException("collections.terms-days must be 0 to " + Limits.MAX_TERMS_DAYS
                    + " days, found " + termsDays);
        }
    }
}
