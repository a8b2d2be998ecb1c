package com.novotechno.collections.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link LocalDate#parse} and {@link Instant#parse} for the forms this service writes ({@code 2026-03-15},
 * {@code 2026-03-15T10:00:00Z} with up to nine fraction digits), without the general formatter: a whole-book
 * scan parses millions of them, and the formatter was a fifth of its CPU. Anything else, valid or not, goes
 * to the JDK's parse, so the result and every error are exactly the JDK's.
 */
public final class IsoDates {

    private static final int DATE_LENGTH = 10;
    private static final int SECONDS_PER_DAY = 86_400;

    private IsoDates() {
    }

    /** As {@link LocalDate#parse(CharSequence)}. */
    public static LocalDate date(String text) {
        LocalDate fast = fastDate(text);
        return fast != null ? fast : LocalDate.parse(text);
    }

    /** As {@link Instant#parse(CharSequence)}. */
    public static Instant instant(String text) {
        Instant fast = fastInstant(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The date of {@code yyyy-MM-dd}, or null for any other text or a day the calendar does not have. */
    private static LocalDate fastDate(String text) {
        if (text == null || text.length() != DATE_LENGTH || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 0 || month < 0 || day < 0) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException notADay) {
            return null; // the JDK's parse says why, in its own words
        }
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null for any other text. */
    private static Instant fastInstant(String text) {
        if (text == null || text.length() < 20 || text.length() > 30 || text.charAt(DATE_LENGTH) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(text.length() - 1) != 'Z') {
            return null;
        }
        LocalDate date = fastDate(text.substring(0, DATE_LENGTH));
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (date == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null; // a leap second, among others, is the JDK's to judge
        }
        int nanos = 0;
        int end = text.length() - 1;
        if (end > 19) {
            int fraction = end - 20;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(text, 20, end);
            if (value < 0) {
                return null;
            }
            nanos = value;
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (end != 19) {
            return null;
        }
        long seconds = date.toEpochDay() * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The decimal value of text[from, to), or -1 unless every one is an ASCII digit. At most nine digits. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
