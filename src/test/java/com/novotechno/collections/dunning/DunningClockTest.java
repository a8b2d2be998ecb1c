package com.novotechno.collections.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DunningClockTest {

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void todayIsTheDateInTheConfiguredZoneNotInUtc() {
        Instant lateEveningInNewYork = Instant.parse("2026-03-10T03:30:00Z"); // 23:30 on the 9th there

        assertThat(DunningClock.today(lateEveningInNewYork, ZoneId.of("UTC"))).isEqualTo(LocalDate.of(2026, 3, 10));
        assertThat(DunningClock.today(lateEveningInNewYork, NEW_YORK)).isEqualTo(LocalDate.of(2026, 3, 9));
    }

    @Test
    void inAucklandTomorrowBeginsWhileUtcIsStillToday() {
        Instant utcNoon = Instant.parse("2026-06-01T12:30:00Z"); // 00:30 on the 2nd in Auckland (UTC+12)

        assertThat(DunningClock.today(utcNoon, AUCKLAND)).isEqualTo(LocalDate.of(2026, 6, 2));
    }

    @Test
    void aReminderComesOnTheLocalDayWhileUtcIsStillTheDayBefore() {
        Instant now = Instant.parse("2026-06-07T12:30:00Z"); // 00:30 on the 8th in Auckland
        DunningCandidate dueOnTheFirst = DunningCandidate.unpaid(new InvoiceKey("NZ", "1"), LocalDate.of(2026, 6, 1),
                new Money(new BigDecimal("10.00"), Currency.getInstance("NZD")), Optional.of("ap@nz.example"));
        DunningSettings settings = DunningSettings.of(Settings.load(Map.of(),
                Map.of("collections.dunning.skip-days", "", "collections.time-zone", "Pacific/Auckland")));

        assertThat(DunningPlanner.plan(List.of(dueOnTheFirst), DunningClock.today(now, settings.zone()), settings))
                .extracting(decision -> decision.request().asOf()).containsExactly("2026-06-08");
        assertThat(DunningPlanner.plan(List.of(dueOnTheFirst), DunningClock.today(now, ZoneId.of("UTC")), settings))
                .isEmpty();
    }

    @Test
    void theDailyRunIsAtTheSameLocalTimeAcrossTheSpringForwardChange() {
        LocalTime nine = LocalTime.of(9, 0);
        // Europe/Berlin moves from UTC+1 to UTC+2 on 2026-03-29 at 02:00
        Instant saturdayAfterRun = Instant.parse("2026-03-28T08:00:01Z");

        Instant sunday = DunningClock.nextRun(saturdayAfterRun, nine, BERLIN);
        Instant monday = DunningClock.nextRun(sunday, nine, BERLIN);

        assertThat(sunday).isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(monday).isEqualTo(Instant.parse("2026-03-30T07:00:00Z"));
        assertThat(DunningClock.today(sunday, BERLIN)).isEqualTo(LocalDate.of(2026, 3, 29));
    }

    @Test
    void aRunTimeThatTheClockSkipsRunsAtTheSameInstantAfterTheGap() {
        // 02:30 does not exist in Berlin on 2026-03-29: the run is at 03:30 local, an hour after 01:30 local
        Instant next = DunningClock.nextRun(Instant.parse("2026-03-28T12:00:00Z"), LocalTime.of(2, 30), BERLIN);

        assertThat(next).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(DunningClock.today(next, BERLIN)).isEqualTo(LocalDate.of(2026, 3, 29));
    }

    @Test
    void aRunTimeThatTheClockRepeatsRunsOnceAtItsFirstOccurrence() {
        // 02:30 happens twice in Berlin on 2026-10-25 (UTC+2, then UTC+1)
        Instant first = DunningClock.nextRun(Instant.parse("2026-10-24T12:00:00Z"), LocalTime.of(2, 30), BERLIN);
        Instant after = DunningClock.nextRun(first, LocalTime.of(2, 30), BERLIN);

        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(after).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void theNextRunIsLaterTodayIfTheTimeHasNotPassedYet() {
        Instant now = Instant.parse("2026-06-01T06:00:00Z");

        assertThat(DunningClock.nextRun(now, LocalTime.of(9, 0), ZoneId.of("UTC"))).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
        assertThat(DunningClock.nextRun(Instant.parse("2026-06-01T09:00:00Z"), LocalTime.of(9, 0), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-06-02T09:00:00Z"));
    }
}
