package com.novotechno.collections.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An invoice part-way up the ladder when the operator changes collections.dunning.schedule between runs. */
class DunningScheduleChangeTest {

    private static final LocalDate DUE = LocalDate.of(2026, 3, 2);
    private static final DunningCandidate REMINDED = DunningCandidate.unpaid(new InvoiceKey("ACME", "INV-1"), DUE,
                    new Money(new BigDecimal("100.00"), Currency.getInstance("USD")), Optional.of("ap@acme.example"))
            .withRequested("reminder", DUE.plusDays(7));
    private static final DunningCandidate FINAL_NOTICED = REMINDED.withRequested("final_notice", DUE.plusDays(14));

    private static List<String> levelsRequested(DunningCandidate candidate, LocalDate today, String schedule) {
        DunningSettings settings = DunningSettings.of(Settings.load(Map.of(),
                Map.of(Settings.DUNNING_SKIP_DAYS, "", Settings.DUNNING_SCHEDULE, schedule)));
        return DunningPlanner.plan(List.of(candidate), today, settings).stream()
                .map(decision -> decision.level().name() + "+" + decision.request().lateByDays()).toList();
    }

    @Test
    void aLevelInsertedBelowWhereTheInvoiceStandsIsPassedOverNotRequestedLate() {
        assertThat(levelsRequested(FINAL_NOTICED, DUE.plusDays(30), "7:reminder,10:second_reminder,14:final_notice,30:escalate"))
                .containsExactly("escalate+0");
    }

    @Test
    void aLevelInsertedAboveWhereTheInvoiceStandsIsTheNextOne() {
        assertThat(levelsRequested(REMINDED, DUE.plusDays(14), "7:reminder,10:second_reminder,14:final_notice,30:escalate"))
                .containsExactly("second_reminder+0");
    }

    @Test
    void anInvoiceCarriesOnFromTheHighestLevelThatStillExists() {
        // final_notice was removed: the invoice stands at reminder, and the gap counts from its final notice
        assertThat(levelsRequested(FINAL_NOTICED, DUE.plusDays(20), "7:reminder,30:escalate")).isEmpty();
        assertThat(levelsRequested(FINAL_NOTICED, DUE.plusDays(30), "7:reminder,30:escalate")).containsExactly("escalate+0");
    }

    @Test
    void aRemovedFirstLevelLeavesTheInvoiceAtTheStartOfTheNewLadder() {
        assertThat(levelsRequested(REMINDED, DUE.plusDays(14), "14:final_notice,30:escalate")).containsExactly("final_notice+0");
    }

    @Test
    void aRenamedLadderStartsAgainFromItsFirstLevelOneGapAfterTheLastRequest() {
        String renamed = "5:nudge,20:demand,45:legal";

        assertThat(levelsRequested(FINAL_NOTICED, DUE.plusDays(20), renamed)).isEmpty();
        assertThat(levelsRequested(FINAL_NOTICED, DUE.plusDays(21), renamed)).containsExactly("nudge+0");
    }

    @Test
    void aLevelOnceRequestedIsNeverRequestedAgainWhateverTheNewOrder() {
        // the same names, final_notice now first: the invoice stands at its highest, escalate's place is next
        assertThat(levelsRequested(FINAL_NOTICED, DUE.plusDays(60), "7:final_notice,14:reminder,30:escalate"))
                .containsExactly("escalate+30");
    }
}
