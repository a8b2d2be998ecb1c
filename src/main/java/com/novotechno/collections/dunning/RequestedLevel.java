package com.novotechno.collections.dunning;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A level already requested for an invoice, as its log records it.
 *
 * @param level       the level's name when it was requested (it may have left the schedule since)
 * @param requestedOn the run's "today" (the request's as_of)
 */
public record RequestedLevel(String level, LocalDate requestedOn) {

    public RequestedLevel {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(requestedOn, "requestedOn");
    }
}
