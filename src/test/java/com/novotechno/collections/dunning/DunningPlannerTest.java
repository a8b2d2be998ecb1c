package com.novotechno.collections.dunning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DunningPlannerTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final LocalDate DUE = LocalDate.of(2026, 3, 2);
    private static final InvoiceKey KEY = new InvoiceKey("ACME", "INV-1");

    /** Every day a working day unless a test says otherwise, so day arithmetic is the only rule at play. */
    private static DunningSettings settings(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        values.put(Settings.DUNNING_SKIP_DAYS, "");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return DunningSettings.of(Settings.load(Map.of(), values));
    }

    private static DunningCandidate invoice() {
        return DunningCandidate.unpaid(KEY, DUE, new Money(new BigDecimal("100.00"), USD), Optional.of("ap@acme.example"));
    }

    private static List<DunningDecision> plan(DunningCandidate candidate, LocalDate today, DunningSettings settings) {
        return DunningPlanner.plan(List.of(candidate), today, settings);
    }

    /** The candidate as the store will hold it after the decision: the level recorded, the last one escalated. */
    private static DunningCandidate after(DunningCandidate candidate, DunningDecision decision) {
        DunningCandidate next = candidate.withRequested(decision.level().name(), decision.request().asOfDate());
        return decision.escalates() ? next.withStatus(DunningCandidate.Status.ESCALATED) : next;
    }

    /** One run a day from {@code from} to {@code to}, each fed the state the earlier runs left. */
    private static List<DunningDecision> runDaily(DunningCandidate candidate, LocalDate from, LocalDate to,
                                                  DunningSettings settings) {
        List<DunningDecision> decisions = new ArrayList<>();
        DunningCandidate current = candidate;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            List<DunningDecision> today = plan(current, day, settings);
            assertThat(today).as("one level per run at most, on %s", day).hasSizeLessThanOrEqualTo(1);
            for (DunningDecision decision : today) {
                decisions.add(decision);
                current = after(current, decision);
            }
        }
        return decisions;
    }

    private static String summary(DunningDecision decision) {
        return decision.level().name() + "@" + decision.request().asOf() + "+" + decision.request().lateByDays();
    }

    // ---- levels ----

    @Test
    void eachLevelFiresOnceInOrderOnTheDayItFallsDue() {
        List<DunningDecision> decisions = runDaily(invoice(), DUE, DUE.plusDays(90), settings());

        assertThat(decisions).extracting(DunningPlannerTest::summary).containsExactly(
                "reminder@2026-03-09+0", "final_notice@2026-03-16+0", "escalate@2026-04-01+0");
    }

    @Test
    void nothingIsDueBeforeTheFirstLevelsDays() {
        assertThat(plan(invoice(), DUE.plusDays(6), settings())).isEmpty();
        assertThat(plan(invoice(), DUE.minusDays(10), settings())).isEmpty();
    }

    @Test
    void aLevelIsNeverSkippedEvenWhenALaterOneIsDue() {
        List<DunningDecision> decisions = plan(invoice(), DUE.plusDays(31), settings());

        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(decision.level().name()).isEqualTo("reminder");
            assertThat(decision.request().daysOverdue()).isEqualTo(31);
        });
    }

    @Test
    void aRunMovesAnInvoiceOneLevelAtMostEvenWithNoGap() {
        DunningSettings noGap = settings(Settings.DUNNING_MIN_GAP_DAYS, "0");
        DunningCandidate reminded = invoice().withRequested("reminder", DUE.plusDays(31));

        assertThat(plan(invoice(), DUE.plusDays(31), noGap)).extracting(d -> d.level().name()).containsExactly("reminder");
        assertThat(plan(reminded, DUE.plusDays(31), noGap)).extracting(d -> d.level().name()).containsExactly("final_notice");
    }

    @Test
    void theNextLevelWaitsForTheMinGapAfterThePreviousRequest() {
        DunningCandidate reminded = invoice().withRequested("reminder", DUE.plusDays(10));

        assertThat(plan(reminded, DUE.plusDays(16), settings())).isEmpty();
        assertThat(plan(reminded, DUE.plusDays(17), settings())).singleElement().satisfies(decision -> {
            assertThat(decision.level().name()).isEqualTo("final_notice");
            assertThat(decision.fellDueOn()).isEqualTo(DUE.plusDays(17));
            assertThat(decision.request().lateByDays()).isZero();
        });
    }

    @Test
    void theMinGapIsConfigurable() {
        DunningCandidate reminded = invoice().withRequested("reminder", DUE.plusDays(7));
        DunningSettings gap3 = settings(Settings.DUNNING_MIN_GAP_DAYS, "3");

        assertThat(plan(reminded, DUE.plusDays(14), gap3)).extracting(d -> d.request().lateByDays()).containsExactly(0);
        assertThat(plan(reminded, DUE.plusDays(13), gap3)).isEmpty();
    }

    @Test
    void theContractsExampleDue45DaysAgoGetsTheReminder38DaysLate() {
        assertThat(plan(invoice(), DUE.plusDays(45), settings())).singleElement().satisfies(decision -> {
            assertThat(decision.level().name()).isEqualTo("reminder");
            assertThat(decision.fellDueOn()).isEqualTo(DUE.plusDays(7));
            assertThat(decision.request().lateByDays()).isEqualTo(38);
            assertThat(decision.request().daysOverdue()).isEqualTo(45);
        });
    }

    @Test
    void afterSixtyDaysOfDowntimeTheInvoiceClimbsOneLevelPerGap() {
        LocalDate backOn = DUE.plusDays(60);
        List<DunningDecision> decisions = runDaily(invoice(), backOn, backOn.plusDays(60), settings());

        assertThat(decisions).extracting(DunningPlannerTest::summary).containsExactly(
                "reminder@" + backOn + "+53",
                "final_notice@" + backOn.plusDays(7) + "+0",
                "escalate@" + backOn.plusDays(14) + "+0");
    }

    @Test
    void aLevelDueDuringDowntimeAfterAnEarlierRequestSaysHowLateItIs() {
        DunningCandidate reminded = invoice().withRequested("reminder", DUE.plusDays(7));
        LocalDate backOn = DUE.plusDays(60);
        List<DunningDecision> decisions = runDaily(reminded, backOn, backOn.plusDays(30), settings());

        // final_notice fell due on day 14 (both its days and reminder + 7); escalate a gap after final_notice
        assertThat(decisions).extracting(DunningPlannerTest::summary).containsExactly(
                "final_notice@" + backOn + "+46",
                "escalate@" + backOn.plusDays(7) + "+0");
    }

    // ---- who ----

    @Test
    void paidAndEscalatedInvoicesGetNothing() {
        DunningCandidate paid = invoice().withStatus(DunningCandidate.Status.PAID);
        DunningCandidate escalated = invoice().withStatus(DunningCandidate.Status.ESCALATED);

        assertThat(plan(paid, DUE.plusDays(40), settings())).isEmpty();
        assertThat(plan(escalated, DUE.plusDays(40), settings())).isEmpty();
    }

    @Test
    void anUnpaidInvoiceAlreadyAtTheLastLevelGetsNothingMore() {
        DunningCandidate atLast = invoice().withRequested("reminder", DUE.plusDays(7))
                .withRequested("final_notice", DUE.plusDays(14)).withRequested("escalate", DUE.plusDays(30));

        assertThat(plan(atLast, DUE.plusDays(90), settings())).isEmpty();
    }

    @Test
    void aBalanceBelowTheMinimumIsNotReminded() {
        DunningSettings min = settings(Settings.DUNNING_MIN_BALANCE, "100.01");
        DunningSettings exactly = settings(Settings.DUNNING_MIN_BALANCE, "100");

        DunningPlan plan = DunningPlanner.planRun(List.of(invoice()), DUE.plusDays(7), min);
        assertThat(plan.decisions()).isEmpty();
        assertThat(plan.belowMinBalance()).isEqualTo(1);
        assertThat(plan(invoice(), DUE.plusDays(7), exactly)).hasSize(1);
    }

    @Test
    void aPauseUntilADateHoldsThroughThatDayAndLiftsTheDayAfter() {
        DunningCandidate paused = invoice().withPause(DunningPause.until(DUE.plusDays(20)));

        DunningPlan onTheDay = DunningPlanner.planRun(List.of(paused), DUE.plusDays(20), settings());
        assertThat(onTheDay.decisions()).isEmpty();
        assertThat(onTheDay.paused()).isEqualTo(1);
        // its place in the ladder is kept: the reminder comes first, late since day 7
        assertThat(plan(paused, DUE.plusDays(21), settings())).extracting(DunningPlannerTest::summary)
                .containsExactly("reminder@" + DUE.plusDays(21) + "+14");
    }

    @Test
    void anIndefinitePauseHoldsUntilResumed() {
        DunningCandidate paused = invoice().withRequested("reminder", DUE.plusDays(7)).withPause(DunningPause.indefinitely());

        assertThat(plan(paused, DUE.plusDays(400), settings())).isEmpty();
        assertThat(plan(paused.withPause(null), DUE.plusDays(400), settings()))
                .extracting(d -> d.level().name()).containsExactly("final_notice");
    }

    @Test
    void anInvoiceWithoutContactIsCountedAndStillEscalatesAtTheLastLevel() {
        DunningCandidate noContact = invoice().withContactEmail(null);

        DunningPlan atReminder = DunningPlanner.planRun(List.of(noContact), DUE.plusDays(7), settings());
        assertThat(atReminder.decisions()).isEmpty();
        assertThat(atReminder.noContact()).containsExactly(KEY);

        List<DunningDecision> decisions = runDaily(noContact, DUE, DUE.plusDays(60), settings());
        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(summary(decision)).isEqualTo("escalate@" + DUE.plusDays(30) + "+0");
            assertThat(decision.request().type()).isEqualTo("escalation.requested");
            assertThat(decision.request().contactEmail()).isNull();
        });
    }

    @Test
    void anInvoiceThatLostItsContactMidwayEscalatesAGapAfterItsLastRequest() {
        DunningCandidate reminded = invoice().withRequested("reminder", DUE.plusDays(26)).withContactEmail(null);

        assertThat(plan(reminded, DUE.plusDays(32), settings())).isEmpty();
        assertThat(plan(reminded, DUE.plusDays(33), settings())).extracting(DunningPlannerTest::summary)
                .containsExactly("escalate@" + DUE.plusDays(33) + "+0");
    }

    // ---- when ----

    @Test
    void noRequestIsMadeOnASkipDay() {
        DunningSettings weekends = settings(Settings.DUNNING_SKIP_DAYS, "SATURDAY,SUNDAY");
        LocalDate saturday = LocalDate.of(2026, 3, 14);

        DunningPlan plan = DunningPlanner.planRun(List.of(invoice()), saturday, weekends);
        assertThat(plan.decisions()).isEmpty();
        assertThat(plan.quietReason()).contains("2026-03-14 is a SATURDAY, a skip day: no requests");
        // Monday catches up, one level, saying how late
        assertThat(plan(invoice(), saturday.plusDays(2), weekends)).extracting(DunningPlannerTest::summary)
                .containsExactly("reminder@2026-03-16+7");
    }

    @Test
    void noRequestIsMadeOnAHoliday() {
        LocalDate christmas = LocalDate.of(2026, 12, 25);
        DunningSettings holidays = settings().withHolidays(java.util.Set.of(christmas));
        DunningCandidate due = DunningCandidate.unpaid(KEY, christmas.minusDays(7),
                new Money(new BigDecimal("5.00"), USD), Optional.of("ap@acme.example"));

        DunningPlan plan = DunningPlanner.planRun(List.of(due), christmas, holidays);
        assertThat(plan.decisions()).isEmpty();
        assertThat(plan.quietReason()).contains("2026-12-25 is a holiday: no requests");
        assertThat(plan(due, christmas.plusDays(1), holidays)).extracting(d -> d.request().lateByDays()).containsExactly(1);
    }

    // ---- the request ----

    @Test
    void theRequestCarriesEveryFieldOfTheContract() {
        DunningCandidate candidate = DunningCandidate.unpaid(new InvoiceKey("ACME", "INV-2026-001"), DUE,
                new Money(new BigDecimal("1250.50"), USD), Optional.of("ap@acme.example"));

        DunningRequest request = plan(candidate, DUE.plusDays(9), settings()).get(0).request();

        assertThat(request).isEqualTo(new DunningRequest(1, "reminder.requested",
                DunningRequest.idFor(new InvoiceKey("ACME", "INV-2026-001"), "reminder"), "ACME", "INV-2026-001",
                "ap@acme.example", "1250.50", "USD", "2026-03-02", 9, "reminder", 2, "2026-03-11", "ACME/2026-03-11"));
    }

    @Test
    void theLastLevelIsAnEscalationRequestWithItsReason() {
        DunningCandidate atFinal = invoice().withRequested("reminder", DUE.plusDays(7))
                .withRequested("final_notice", DUE.plusDays(14));

        DunningDecision decision = plan(atFinal, DUE.plusDays(33), settings()).get(0);

        assertThat(decision.escalates()).isTrue();
        assertThat(decision.request().type()).isEqualTo("escalation.requested");
        assertThat(decision.escalationReason()).contains("33 days overdue");
        assertThat(plan(invoice(), DUE.plusDays(7), settings()).get(0).escalationReason()).isEmpty();
    }

    @Test
    void decisionsComeInKeyOrderWhateverTheInputOrder() {
        DunningCandidate b = DunningCandidate.unpaid(new InvoiceKey("B", "1"), DUE, new Money(BigDecimal.ONE.setScale(2), USD), Optional.of("b@x.example"));
        DunningCandidate a2 = DunningCandidate.unpaid(new InvoiceKey("A", "2"), DUE, new Money(BigDecimal.ONE.setScale(2), USD), Optional.of("a@x.example"));
        DunningCandidate a1 = DunningCandidate.unpaid(new InvoiceKey("A", "1"), DUE, new Money(BigDecimal.ONE.setScale(2), USD), Optional.of("a@x.example"));

        assertThat(DunningPlanner.plan(List.of(b, a2, a1), DUE.plusDays(7), settings()))
                .extracting(d -> d.key().toString()).containsExactly("A/1", "A/2", "B/1");
    }

    @Test
    void twoCandidatesForOneInvoiceAreRefused() {
        assertThatThrownBy(() -> DunningPlanner.plan(List.of(invoice(), invoice()), DUE, settings()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ACME/INV-1 is a candidate twice");
    }

    @Test
    void thePlanCountsRequestsPerLevel() {
        DunningCandidate other = DunningCandidate.unpaid(new InvoiceKey("ACME", "INV-2"), DUE,
                new Money(BigDecimal.TEN.setScale(2), USD), Optional.of("ap@acme.example")).withRequested("reminder", DUE.plusDays(7));

        DunningPlan plan = DunningPlanner.planRun(List.of(invoice(), other), DUE.plusDays(20), settings());

        assertThat(plan.requestsPerLevel()).containsExactly(
                Map.entry("reminder", 1), Map.entry("final_notice", 1), Map.entry("escalate", 0));
        assertThat(plan.quietReason()).isEmpty();
    }
}
