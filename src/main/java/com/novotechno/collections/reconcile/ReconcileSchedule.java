package com.novotechno.collections.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * How the reconcile route spreads its work: a tick every {@code period} compares what changed since the
 * last tick plus the next slice of all invoices, sized so that every invoice is compared once per
 * {@code fullPeriod} (collections.reconcile.period and collections.reconcile.full-period).
 */
public record ReconcileSchedule(Duration period, Duration fullPeriod) {

    /** Reconciling is a timer's work: more often than this would be a mistake, not a wish. */
    public static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    /** A full comparison more often than this is the command's job, not the route's. */
    public static final Duration MIN_FULL_PERIOD = Duration.ofMinutes(1);
    public static final String PERIOD_KEY = "collections.reconcile.period";
    public static final String FULL_PERIOD_KEY = "collections.reconcile.full-period";

    public ReconcileSchedule {
        Objects.requireNonNull(period);
        Objects.requireNonNull(fullPeriod);
        if (period.isNegative() || period.isZero() || fullPeriod.compareTo(period) < 0) {
            throw new IllegalArgumentException("a full period of " + fullPeriod + " shorter than the period " + period);
        }
    }

    /** The settings' values, each checked with a message naming its key. */
    public static ReconcileSchedule of(Duration period, Duration fullPeriod) {
        if (period.compareTo(MIN_PERIOD) < 0) {
            throw new IllegalArgumentException(PERIOD_KEY + " must be at least 1s, found " + period.toMillis() + " ms");
        }
        if (fullPeriod.compareTo(MIN_FULL_PERIOD) < 0) {
            throw new IllegalArgumentException(FULL_PERIOD_KEY + " must be at least 1m, found " + describe(fullPeriod));
        }
        if (fullPeriod.compareTo(period) < 0) {
            throw new IllegalArgumentException(FULL_PERIOD_KEY + " (" + describe(fullPeriod) + ") must be at least "
                    + PERIOD_KEY + " (" + describe(period) + "): each tick compares a slice of the invoices");
        }
        return new ReconcileSchedule(period, fullPeriod);
    }

    /** Ticks in one cycle of the sweep: its slices together cover every invoice. */
    public long ticksPerCycle() {
        return Math.max(1, fullPeriod.toMillis() / period.toMillis());
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + " ms";
    }
}
