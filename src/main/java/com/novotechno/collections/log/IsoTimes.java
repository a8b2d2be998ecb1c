package com.novotechno.collections.log;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Dates and instants as the log writes them ({@code LocalDate.toString}, {@code Instant.toString}),
 * read without the general formatter, which cost a replay more than hashing its lines. Only the
 * writer's plain forms are taken this way (four-digit years, no leap second); anything else, valid
 * or not, goes to {@link LocalDate#parse} or {@link Instant#parse}, so what is accepted and every
 * error stay exactly theirs.
 */
final class IsoTimes {

    private static final int DATE_LENGTH = "2026-01-31".length();
    private static final int SECONDS_LENGTH = "2026-01-31T08:00:00".length();

    private IsoTimes() {
    }

    static LocalDate date(String text) {
        if (text.length() == DATE_LENGTH && isPlainDate(text)) {
            try {
                return LocalDate.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2));
            } catch (DateTimeException invalid) {
                // a day the calendar does not have: the formatter's own error below
            }
        }
        return LocalDate.parse(text);
    }

    static Instant instant(String text) {
        Instant fast = plainInstant(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** {@code yyyy-mm-ddThh:mm:ss[.f{1,9}]Z}, or null for any other form. */
    private static Instant plainInstant(String text) {
        int length = text.length();
        if (length < SECONDS_LENGTH + 1 || text.charAt(length - 1) != 'Z' || !isPlainDate(text)
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || !allDigits(text, 11, 2) || !allDigits(text, 14, 2) || !allDigits(text, 17, 2)) {
            return null;
        }
        int nanos = 0;
        int fraction = length - 1 - SECONDS_LENGTH; // '.' and the digits after it
        if (fraction > 0) {
            if (text.charAt(SECONDS_LENGTH) != '.' || fraction < 2 || fraction > 10
                    || !allDigits(text, SECONDS_LENGTH + 1, fraction - 1)) {
                return null;
            }
            nanos = digits(text, SECONDS_LENGTH + 1, fraction - 1);
            for (int scale = fraction - 1; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        try {
            return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2),
                    digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException unusual) {
            return null; // a leap second or an invalid field: the formatter decides
        }
    }

    private static boolean isPlainDate(String text) {
        return allDigits(text, 0, 4) && text.charAt(4) == '-' && allDigits(text, 5, 2) && text.charAt(7) == '-'
                && allDigits(text, 8, 2);
    }

    private static boolean allDigits(String text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
