package com.novotechno.collections.state;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A pause of an invoice's dunning (a dispute, a promise to pay): no requests while it holds; its
 * place in the ladder is kept.
 *
 * @param until the last paused day; empty: until resumed
 */
public record DunningHold(String reason, Optional<LocalDate> until) {

    public DunningHold {
        Objects.requireNonNull(reason);
        Objects.requireNonNull(until);
    }

    /** Whether it still holds on {@code today}. */
    public boolean holdsOn(LocalDate today) {
        return until.map(last -> !today.isAfter(last)).orElse(true);
    }
}
