package com.novotechno.collections.dunning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.config.Settings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DunningSettingsTest {

    @TempDir
    Path temp;

    private static DunningSettings with(String key, String value) {
        return DunningSettings.of(Settings.load(Map.of(), Map.of(key, value)));
    }

    @Test
    void theDefaultsAreTheContractsDefaults() {
        DunningSettings settings = DunningSettings.of(Settings.load(Map.of(), Map.of()));

        assertThat(settings.schedule()).isEqualTo(DunningSchedule.parse("7:reminder,14:final_notice,30:escalate"));
        assertThat(settings.minGapDays()).isEqualTo(7);
        assertThat(settings.at()).isEqualTo(LocalTime.of(9, 0));
        assertThat(settings.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(settings.skipDays()).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(settings.holidays()).isEmpty();
        assertThat(settings.minBalance()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(settings.ackTimeout()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.outboxGroup()).isEmpty();
        assertThat(settings.outboxRetention()).isEqualTo(Duration.ofHours(720));
    }

    @Test
    void everyKeyCanBeSet() throws IOException {
        Path holidays = Files.writeString(temp.resolve("holidays.txt"), "2026-12-25\n");
        DunningSettings settings = DunningSettings.of(Settings.load(Map.of(), Map.ofEntries(
                Map.entry("collections.dunning.schedule", "3:nudge,40:escalate"),
                Map.entry("collections.dunning.min-gap-days", "0"),
                Map.entry("collections.dunning.at", "23:59"),
                Map.entry("collections.time-zone", "Pacific/Auckland"),
                Map.entry("collections.dunning.skip-days", ""),
                Map.entry("collections.dunning.holidays", holidays.toString()),
                Map.entry("collections.dunning.min-balance", "25.50"),
                Map.entry("collections.dunning.ack-timeout", "1h30m"),
                Map.entry("collections.outbox.group", "emailer"),
                Map.entry("collections.outbox.retention", "48h"))));

        assertThat(settings.schedule().last().name()).isEqualTo("escalate");
        assertThat(settings.minGapDays()).isZero();
        assertThat(settings.at()).isEqualTo(LocalTime.of(23, 59));
        assertThat(settings.zone()).isEqualTo(ZoneId.of("Pacific/Auckland"));
        assertThat(settings.skipDays()).isEmpty();
        assertThat(settings.holidays()).containsExactly(LocalDate.of(2026, 12, 25));
        assertThat(settings.minBalance()).isEqualByComparingTo("25.50");
        assertThat(settings.ackTimeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(settings.outboxGroup()).contains("emailer");
        assertThat(settings.outboxRetention()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void skipDaysAreDayNamesInAnyCase() {
        assertThat(with("collections.dunning.skip-days", "friday, Saturday").skipDays())
                .containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "collections.dunning.schedule      | 7:reminder,7:final  | collections.dunning.schedule days must increase",
            "collections.dunning.min-gap-days  | 366                 | collections.dunning.min-gap-days must be a whole number from 0 to 365, found '366'",
            "collections.dunning.min-gap-days  | -1                  | collections.dunning.min-gap-days must be a whole number from 0 to 365, found '-1'",
            "collections.dunning.at            | 9:00                | collections.dunning.at must be a time of day HH:mm like 09:00, found '9:00'",
            "collections.dunning.at            | 24:00               | collections.dunning.at must be a time of day HH:mm like 09:00, found '24:00'",
            "collections.time-zone             | Mars/Olympus        | collections.time-zone: 'Mars/Olympus' is not a time zone",
            "collections.time-zone             | ''                  | collections.time-zone: '' is not a time zone",
            "collections.dunning.skip-days     | SATURDAY,FUNDAY     | collections.dunning.skip-days: 'FUNDAY' is not a day of the week",
            "collections.dunning.skip-days     | SATURDAY,,SUNDAY    | collections.dunning.skip-days: '' is not a day of the week",
            "collections.dunning.skip-days     | sunday,SUNDAY       | collections.dunning.skip-days: SUNDAY is named twice",
            "collections.dunning.skip-days     | MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY,SUNDAY | collections.dunning.skip-days must leave at least one day of the week",
            "collections.dunning.min-balance   | -1                  | collections.dunning.min-balance must be a decimal from 0 to 10^12 like 25.00, found '-1'",
            "collections.dunning.min-balance   | 1e3                 | collections.dunning.min-balance must be a decimal from 0 to 10^12 like 25.00, found '1e3'",
            "collections.dunning.min-balance   | 10000000000000      | collections.dunning.min-balance must be a decimal from 0 to 10^12 like 25.00, found '10000000000000'",
            "collections.dunning.ack-timeout   | soon                | collections.dunning.ack-timeout must be a duration: whole numbers of d, h, m, s and ms in that order, such as 500ms, 60s, 5m, 1h30m or 30d, or a number of milliseconds, at least 1m; found 'soon'",
            "collections.dunning.ack-timeout   | 30s                 | collections.dunning.ack-timeout must be at least 1m, found '30s'",
            "collections.outbox.retention      | 0s                  | collections.outbox.retention must be at least 1m, found '0s'",
            "collections.outbox.group          | staff;rm            | collections.outbox.group must be a group name",
            "collections.dunning.holidays      | /no/such/holidays   | collections.dunning.holidays: cannot read /no/such/holidays",
    })
    void aBadValueIsRefusedNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> with(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void theHolidaysFileHoldsIsoDatesWithCommentsAndBlankLines() throws IOException {
        Path file = Files.writeString(temp.resolve("holidays"), """
                # public holidays, one ISO date a line
                2026-12-25   # Christmas Day

                2027-01-01
                2027-01-01
                """);

        assertThat(with("collections.dunning.holidays", file.toString()).holidays())
                .containsExactlyInAnyOrder(LocalDate.of(2026, 12, 25), LocalDate.of(2027, 1, 1));
    }

    @Test
    void aBadHolidayLineNamesTheFileAndTheLine() throws IOException {
        Path file = Files.writeString(temp.resolve("holidays"), "2026-12-25\n# new year\n2027-13-01\n");

        assertThatThrownBy(() -> with("collections.dunning.holidays", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("collections.dunning.holidays: " + file + ":3: '2027-13-01' is not an ISO date (yyyy-mm-dd)");
    }

    @Test
    void aHolidaysFileBeyondItsLimitsIsRefusedUnread() throws IOException {
        Path tooLong = Files.writeString(temp.resolve("long"), "#".repeat(HolidayFile.MAX_BYTES + 1));
        assertThatThrownBy(() -> with("collections.dunning.holidays", tooLong.toString()))
                .hasMessage("collections.dunning.holidays: " + tooLong + " is larger than " + HolidayFile.MAX_BYTES + " bytes");

        StringBuilder dates = new StringBuilder();
        LocalDate day = LocalDate.of(2000, 1, 1);
        for (int i = 0; i <= HolidayFile.MAX_DATES; i++) {
            dates.append(day.plusDays(i)).append('\n');
        }
        Path tooMany = Files.writeString(temp.resolve("many"), dates);
        assertThatThrownBy(() -> with("collections.dunning.holidays", tooMany.toString()))
                .hasMessage("collections.dunning.holidays: " + tooMany + ":" + (HolidayFile.MAX_DATES + 1)
                        + ": more than " + HolidayFile.MAX_DATES + " dates");
    }
}
