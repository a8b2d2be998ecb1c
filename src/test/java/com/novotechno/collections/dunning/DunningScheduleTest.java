package com.novotechno.collections.dunning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DunningScheduleTest {

    @Test
    void theDefaultScheduleHasThreeLevelsAndTheLastEscalates() {
        DunningSchedule schedule = DunningSchedule.parse("7:reminder,14:final_notice,30:escalate");

        assertThat(schedule.levels()).extracting(DunningLevel::name)
                .containsExactly("reminder", "final_notice", "escalate");
        assertThat(schedule.levels()).extracting(DunningLevel::days).containsExactly(7, 14, 30);
        assertThat(schedule.levels()).extracting(DunningLevel::position).containsExactly(1, 2, 3);
        assertThat(schedule.levels()).extracting(DunningLevel::escalates).containsExactly(false, false, true);
        assertThat(schedule.toString()).isEqualTo("7:reminder,14:final_notice,30:escalate");
    }

    @Test
    void theLastLevelEscalatesWhateverItsName() {
        DunningSchedule schedule = DunningSchedule.parse("0:nudge, 10:call_legal");

        assertThat(schedule.last().name()).isEqualTo("call_legal");
        assertThat(schedule.last().escalates()).isTrue();
        assertThat(schedule.find("nudge")).hasValueSatisfying(level -> assertThat(level.escalates()).isFalse());
        assertThat(schedule.find("reminder")).isEmpty();
    }

    @Test
    void aSingleLevelIsAnEscalation() {
        assertThat(DunningSchedule.parse("60:escalate").last().escalates()).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                   | must name at least one level",
            "'   '                                | must name at least one level",
            "7:reminder,,30:escalate              | part 2 is empty",
            "7:reminder,                          | part 2 is empty",
            "reminder                             | part 1 'reminder' is not DAYS:LEVEL",
            "7:reminder:x                         | part 1 '7:reminder:x' is not DAYS:LEVEL",
            "x:reminder                           | part 1 'x:reminder' is not DAYS:LEVEL",
            "-1:reminder                          | part 1 '-1:reminder' is not DAYS:LEVEL",
            "7:Reminder                           | level 'Reminder' must be 1 to 32 of a-z and _",
            "7:final-notice                       | level 'final-notice' must be 1 to 32 of a-z and _",
            "7:abcdefghijklmnopqrstuvwxyzabcdefg  | must be 1 to 32 of a-z and _",
            "7:reminder,14:reminder               | level 'reminder' is named twice",
            "7:reminder,7:final_notice            | days must increase: 'final_notice' at 7 is not after 'reminder' at 7",
            "14:reminder,7:final_notice           | days must increase: 'final_notice' at 7 is not after 'reminder' at 14",
            "99999:reminder                       | part 1 '99999:reminder' has more than 3650 days",
            "1:a,2:b,3:c,4:d,5:e,6:f,7:g,8:h,9:i,10:j,11:k | has 11 levels, at most 10",
    })
    void aBadScheduleIsRefusedNamingTheKeyAndTheFault(String text, String fault) {
        assertThatThrownBy(() -> DunningSchedule.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("collections.dunning.schedule")
                .hasMessageContaining(fault);
    }

    @Test
    void tenLevelsAreAllowed() {
        assertThat(DunningSchedule.parse("1:a,2:b,3:c,4:d,5:e,6:f,7:g,8:h,9:i,10:j").levels()).hasSize(10);
    }
}
