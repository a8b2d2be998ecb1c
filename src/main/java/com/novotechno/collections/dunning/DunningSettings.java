package com.novotechno.collections.dunning;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.Limits;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every dunning key of CONTRACT section 6, each checked in {@link #of} so that a bad value is a
 * usage error naming the key before anything starts.
 *
 * @param minGapDays      days between two levels of one invoice, at least
 * @param at              the daily run's time of day in {@code zone}
 * @param zone            the one zone of every "today" in the service
 * @param skipDays        days of the week on which no request is made
 * @param holidays        dates on which no request is made
 * @param minBalance      an invoice with a smaller balance, in its own currency, is not reminded
 * @param ackTimeout      after this, an unacknowledged request raises an alert and is emitted again
 * @param outboxGroup     the group that may read outbox files; empty: the service user alone
 * @param outboxRetention an acknowledged request's files are removed once older than this
 */
public record DunningSettings(DunningSchedule schedule, int minGapDays, LocalTime at, ZoneId zone,
                              Set<DayOfWeek> skipDays, Set<LocalDate> holidays, BigDecimal minBalance,
                              Duration ackTimeout, Optional<String> outboxGroup, Duration outboxRetention) {

    public static final int MAX_MIN_GAP_DAYS = 365;
    /** Re-emitting or removing requests more often than this would be a mistake in the value. */
    public static final Duration MIN_TIMEOUT = Duration.ofMinutes(1);

    private static final Pattern TIME_OF_DAY = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    /** Plain decimal, no sign or exponent, at most 10^12 as any amount (checked below). */
    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9]\\d{0,12})(\\.\\d{1,18})?");
    /** A portable POSIX group name, so it can never be mistaken for an option or a path. */
    private static final Pattern GROUP = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,31}");

    public DunningSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(zone, "zone");
        skipDays = skipDays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(skipDays));
        holidays = Set.copyOf(holidays);
        Objects.requireNonNull(minBalance, "minBalance");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(outboxGroup, "outboxGroup");
        Objects.requireNonNull(outboxRetention, "outboxRetention");
        if (minGapDays < 0 || minGapDays > MAX_MIN_GAP_DAYS || minBalance.signum() < 0) {
            throw new IllegalArgumentException("min gap " + minGapDays + " days, min balance " + minBalance);
        }
    }

    public static DunningSettings of(Settings settings) {
        String holidays = settings.get(Settings.DUNNING_HOLIDAYS);
        String group = settings.get(Settings.OUTBOX_GROUP);
        return new DunningSettings(
                DunningSchedule.parse(settings.get(Settings.DUNNING_SCHEDULE)),
                settings.intValue(Settings.DUNNING_MIN_GAP_DAYS, 0, MAX_MIN_GAP_DAYS),
                timeOfDay(settings.get(Settings.DUNNING_AT)),
                zone(settings.get(Settings.TIME_ZONE)),
                skipDays(settings.get(Settings.DUNNING_SKIP_DAYS)),
                holidays.isEmpty() ? Set.of() : HolidayFile.read(Path.of(holidays)),
                minBalance(settings.get(Settings.DUNNING_MIN_BALANCE)),
                atLeastMinTimeout(settings, Settings.DUNNING_ACK_TIMEOUT),
                group.isEmpty() ? Optional.empty() : Optional.of(outboxGroup(group)),
                atLeastMinTimeout(settings, Settings.OUTBOX_RETENTION));
    }

    /** The same settings with other holidays, for a caller that reads the holiday list itself. */
    public DunningSettings withHolidays(Set<LocalDate> otherHolidays) {
        return new DunningSettings(schedule, minGapDays, at, zone, skipDays, otherHolidays, minBalance, ackTimeout,
                outboxGroup, outboxRetention);
    }

    private static LocalTime timeOfDay(String value) {
        if (!TIME_OF_DAY.matcher(value).matches()) {
            throw new IllegalArgumentException(Settings.DUNNING_AT + " must be a time of day HH:mm like 09:00, found '"
                    + value + "'");
        }
        return LocalTime.parse(value);
    }

    /** Any zone the JDK knows ("Europe/Berlin", "UTC", "+02:00"); a region follows its daylight saving. */
    public static ZoneId zone(String value) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(Settings.TIME_ZONE + ": '" + value
                    + "' is not a time zone (like UTC or Europe/Berlin): " + e.getMessage());
        }
    }

    private static Set<DayOfWeek> skipDays(String value) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (value.isEmpty()) {
            return days;
        }
        for (String part : value.split(",", -1)) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            DayOfWeek day;
            try {
                day = DayOfWeek.valueOf(name);
            } catch (IllegalArgumentException e) {
                String shown = part.strip().length() <= 20 ? part.strip() : part.strip().substring(0, 20) + "...";
                throw new IllegalArgumentException(Settings.DUNNING_SKIP_DAYS + ": '" + shown
                        + "' is not a day of the week (MONDAY ... SUNDAY)");
            }
            if (!days.add(day)) {
                throw new IllegalArgumentException(Settings.DUNNING_SKIP_DAYS + ": " + day + " is named twice");
            }
        }
        if (days.size() == DayOfWeek.values().length) {
            // dunning would silently never run
            throw new IllegalArgumentException(Settings.DUNNING_SKIP_DAYS + " must leave at least one day of the week");
        }
        return days;
    }

    private static BigDecimal minBalance(String value) {
        if (DECIMAL.matcher(value).matches()) {
            BigDecimal amount = new BigDecimal(value);
            if (amount.compareTo(Limits.MAX_AMOUNT) <= 0) {
                return amount;
            }
        }
        String shown = value.length() <= 40 ? value : value.substring(0, 40) + "...";
        throw new IllegalArgumentException(Settings.DUNNING_MIN_BALANCE + " must be a decimal from 0 to 10^12 like 25.00, found '"
                + shown + "'");
    }

    private static Duration atLeastMinTimeout(Settings settings, String key) {
        return settings.durationValue(key, MIN_TIMEOUT);
    }

    private static String outboxGroup(String value) {
        if (!GROUP.matcher(value).matches()) {
            throw new IllegalArgumentException(Settings.OUTBOX_GROUP
                    + " must be a group name (letters, digits, '.', '_', '-'; at most 32), found '" + value + "'");
        }
        return value;
    }
}
