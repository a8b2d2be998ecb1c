package com.novotechno.collections.state;

import com.novotechno.collections.domain.Limits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * What the core needs from configuration.
 *
 * @param clock only its instant counts: the log's entry times, and "now" for defaulted dates
 * @param zone  {@code collections.time-zone}, the one zone of every "today": defaulted dates of
 *              messages, and the ledger's as-of and entered dates (from the log's times)
 * @param checkpointPeriod how long a state file written for an acknowledged message may stay not
 *              durable (a power cut in that time is repaired from the log at the next start);
 *              {@link #CHECKPOINT_PERIOD} unless a test needs checkpoints closer together
 * @param macKeyFile where the folder's MAC key is kept ({@code collections.mac.key-file}, or its default
 *              outside the folder); made at the first start that finds none. Empty: nothing is keyed
 *              (the store's own tests and benchmarks)
 */
public record StoreSettings(Currency defaultCurrency, int termsDays, Clock clock, ZoneId zone, Duration checkpointPeriod,
                            Optional<Path> macKeyFile) {

    /** One syncfs a second costs next to nothing and bounds what a start after a power cut rewrites. */
    public static final Duration CHECKPOINT_PERIOD = Duration.ofSeconds(1);

    public StoreSettings {
        Objects.requireNonNull(defaultCurrency);
        Objects.requireNonNull(clock);
        Objects.requireNonNull(zone);
        Objects.requireNonNull(macKeyFile);
        if (checkpointPeriod.isNegative() || checkpointPeriod.isZero() || checkpointPeriod.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("the checkpoint period must be above 0 and at most a minute: " + checkpointPeriod);
        }
        if (termsDays < 0 || termsDays > Limits.MAX_TERMS_DAYS) {
            throw new IllegalArgumentException("collections.terms-days must be 0 to " + Limits.MAX_TERMS_DAYS
                    + " days, found " + termsDays);
        }
    }

    public StoreSettings(Currency defaultCurrency, int termsDays, Clock clock, ZoneId zone, Duration checkpointPeriod) {
        this(defaultCurrency, termsDays, clock, zone, checkpointPeriod, Optional.empty());
    }

    public StoreSettings(Currency defaultCurrency, int termsDays, Clock clock, ZoneId zone) {
        this(defaultCurrency, termsDays, clock, zone, CHECKPOINT_PERIOD);
    }

    /** The same with checkpoints {@code period} apart. */
    public StoreSettings withCheckpointPeriod(Duration period) {
        return new StoreSettings(defaultCurrency, termsDays, clock, zone, period, macKeyFile);
    }

    /** The same with the folder's MAC key kept in {@code file}. */
    public StoreSettings withMacKeyFile(Path file) {
        return new StoreSettings(defaultCurrency, termsDays, clock, zone, checkpointPeriod, Optional.of(file));
    }

    /** In UTC, the contract's default zone, whatever the clock's own zone. */
    public StoreSettings(Currency defaultCurrency, int termsDays, Clock clock) {
        this(defaultCurrency, termsDays, clock, ZoneOffset.UTC);
    }
}
