package com.novotechno.collections.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The fast parses are the JDK's: the same value for every text, the same exception and message for every fault. */
class IsoDatesTest {

    private static final long SEED = 20261202L;

    /** What a parse gives: its value's text, or its exception's class and message. */
    private static String outcome(Function<String, ?> parse, String text) {
        try {
            return "value " + parse.apply(text);
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Test
    void everyDateTextParsesAsTheJdkParsesIt() {
        List<String> texts = new ArrayList<>(List.of("2026-03-15", "2024-02-29", "2026-02-29", "2026-02-30", "2026-13-01",
                "2026-00-10", "0000-01-01", "9999-12-31", "2026-3-15", "2026-03-15 ", "2026/03/15", "+10000-01-01",
                "2026-03-1x", "", "２０２６-03-15", "2026-03-15T00:00:00Z"));
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            texts.add(String.format("%04d-%02d-%02d", random.nextInt(10_000), random.nextInt(14), random.nextInt(33)));
            texts.add(mutate(LocalDate.ofEpochDay(random.nextInt(40_000)).toString(), random));
        }
        for (String text : texts) {
            assertThat(outcome(IsoDates::date, text)).as(text).isEqualTo(outcome(LocalDate::parse, text));
        }
    }

    @Test
    void everyInstantTextParsesAsTheJdkParsesIt() {
        List<String> texts = new ArrayList<>(List.of("2026-03-15T10:00:00Z", "2026-03-15T10:00:00.5Z",
                "2026-03-15T10:00:00.123456789Z", "2026-03-15T10:00:00.1234567890Z", "2026-03-15T10:00:00.Z",
                "2026-03-15T24:00:00Z", "2026-03-15T23:59:60Z", "2026-03-15T10:00Z", "2026-03-15T10:00:00+01:00",
                "2026-03-15t10:00:00z", "2026-02-30T10:00:00Z", "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z"));
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 100_000_000_000L, random.nextInt(3) == 0 ? 0
                    : random.nextInt(1_000_000_000));
            texts.add(instant.toString());
            texts.add(mutate(instant.toString(), random));
        }
        for (String text : texts) {
            assertThat(outcome(IsoDates::instant, text)).as(text).isEqualTo(outcome(Instant::parse, text));
        }
    }

    /** One character replaced by another of the forms' alphabet: mostly invalid, sometimes another valid text. */
    private static String mutate(String text, Random random) {
        String alphabet = "0123456789-:.TZ+x";
        int at = random.nextInt(text.length());
        return text.substring(0, at) + alphabet.charAt(random.nextInt(alphabet.length())) + text.substring(at + 1);
    }
}
