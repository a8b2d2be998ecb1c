package com.novotechno.collections.state;

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
    }
}
