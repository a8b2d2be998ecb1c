package com.novotechno.collections.dunning;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The only place dunning meets the clock: the caller reads the instant, this turns it into the
 * planner's "today" and the daily run's next instant, both in {@code collections.time-zone}.
 */
public final class DunningClock {

    private DunningClock() {
    }

    /** The calendar date in the zone: where UTC is already tomorrow, the zone's today still counts. */
    public static LocalDate today(Instant now, ZoneId zone) {
        return LocalDate.ofInstant(now, zone);
    }

    /**
     * The first instant after {@code now} at which the zone's clock shows {@code at}. Across
     * daylight saving time the run stays at the same local time; a time the clock skips runs as
     * long after the change as it would have been (02:30 becomes 03:30), and a time the clock
     * repeats runs once, at its first occurrence.
     */
    public static Instant nextRun(Instant now, LocalTime at, ZoneId zone) {
        LocalDate day = today(now, zone);
        Instant candidate = ZonedDateTime.of(day, at, zone).toInstant();
        if (candidate.isAfter(now)) {
            return candidate;
        }
        return ZonedDateTime.of(day.plusDays(1), at, zone).toInstant();
    }
}
