package com.novotechno.collections.dunning;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code dunning.paused} in force. Paused until D means no request while today is on or
 * before D: the message says "until" the day the customer promised, and reminding them on that
 * very day would break the promise. Indefinite (no {@code until}) lasts until {@code dunning.resumed}.
 */
public record DunningPause(Optional<LocalDate> until) {

    public DunningPause {
        Objects.requireNonNull(until, "until");
    }

    public static DunningPause indefinitely() {
        return new DunningPause(Optional.empty());
    }

    public static DunningPause until(LocalDate lastPausedDay) {
        return new DunningPause(Optional.of(lastPausedDay));
    }

    public boolean holdsOn(LocalDate today) {
        return until.map(last -> !today.isAfter(last)).orElse(true);
    }
}
