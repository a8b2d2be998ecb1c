package com.novotechno.collections.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimesTest {

    @Test
    void readsEveryDateAndInstantAsTheFormatterDoes() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            assertThat(IsoTimes.instant(instant.toString())).isEqualTo(instant);
            LocalDate date = LocalDate.ofEpochDay(random.nextLong(-700_000, 2_900_000));
            assertThat(IsoTimes.date(date.toString())).isEqualTo(date);
        }
    }

    @Test
    void takesTheFormsOnlyTheFormatterKnowsFromIt() {
        for (String text : List.of("2026-01-31T24:00:00Z", "2016-12-31T23:59:60Z", "2026-01-31T08:00:00.5Z",
                "2026-01-31T08:00:00.123456789Z", "+12026-01-31T08:00:00Z")) {
            assertThat(IsoTimes.instant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        assertThat(IsoTimes.date("+12026-01-31")).isEqualTo(LocalDate.parse("+12026-01-31"));
    }

    @Test
    void givesTheFormattersOutcomeForOddAndInvalidText() {
        for (String text : List.of("2026-02-30T08:00:00Z", "2026-01-31T08:00:00.Z", "2026-01-31T08:00:00.1234567890Z",
                "2026-01-31T25:00:00Z", "2026-01-31T08:00:00z", "2026-01-31 08:00:00Z", "2026-1-31T08:00:00Z",
                "2026-01-31T08:00Z", "2026-01-31T08:00:00+00:00", "")) {
            assertThat(outcome(() -> IsoTimes.instant(text))).as(text).isEqualTo(outcome(() -> Instant.parse(text)));
        }
        for (String text : List.of("2026-02-30", "2026-13-01", "2026-1-31", "20260131", "2026-01-31x", "0000-01-01", "")) {
            assertThat(outcome(() -> IsoTimes.date(text))).as(text).isEqualTo(outcome(() -> LocalDate.parse(text)));
        }
        assertThatThrownBy(() -> IsoTimes.date("2026-02-30")).isInstanceOf(DateTimeParseException.class);
    }

    /** The value, or the exception's class and message. */
    private static String outcome(java.util.function.Supplier<Object> read) {
        try {
            return "value " + read.get();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
