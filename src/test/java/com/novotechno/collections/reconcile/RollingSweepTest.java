package com.novotechno.collections.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RollingSweepTest {

    @Test
    void aMillionInvoicesTicksAMinuteApartAreSweptInSlicesOfAboutSevenHundredADay() {
        long ticks = new ReconcileSchedule(Duration.ofSeconds(60), Duration.ofHours(24)).ticksPerCycle();
        assertThat(ticks).isEqualTo(1440);
        assertThat(RollingSweep.sliceSize(1_000_000, ticks)).isEqualTo(695);
        assertThat(RollingSweep.sliceSize(10, ticks)).as("a small book whole at every tick").isEqualTo(RollingSweep.MIN_SLICE);
        assertThat(RollingSweep.sliceSize(100_000_000, ticks)).as("never more files a tick than the bound")
                .isEqualTo(RollingSweep.MAX_SLICE);
    }

    @Test
    void everyInvoiceIsInExactlyOneSliceOfACycleAndTheNextCycleListsTheKeysAnew() {
        List<InvoiceKey> keys = IntStream.range(0, 1000).mapToObj(i -> new InvoiceKey("C" + (i % 7), "I" + i)).toList();
        RollingSweep sweep = new RollingSweep(new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(4)));
        List<InvoiceKey> seen = new ArrayList<>();
        for (int tick = 0; tick < 4; tick++) {
            List<InvoiceKey> slice = sweep.next(() -> keys);
            assertThat(slice).hasSize(250);
            seen.addAll(slice);
        }
        assertThat(sweep.cycleDone()).isTrue();
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(keys);
        InvoiceKey added = new InvoiceKey("C0", "NEW");
        List<InvoiceKey> more = new ArrayList<>(keys);
        more.add(added);
        Set<InvoiceKey> nextCycle = IntStream.range(0, 4).boxed().flatMap(t -> sweep.next(() -> more).stream())
                .collect(Collectors.toSet());
        assertThat(nextCycle).contains(added).hasSize(1001);
        assertThat(sweep.cyclesBegun()).isEqualTo(2);
    }

    @Test
    void aBookBeyondTheSliceBoundSaysItsCycleTakesLonger() {
        List<InvoiceKey> keys = IntStream.range(0, 2 * RollingSweep.MAX_SLICE + 1)
                .mapToObj(i -> new InvoiceKey("C", "I" + i)).toList();
        RollingSweep sweep = new RollingSweep(new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        assertThat(sweep.next(() -> keys)).hasSize(RollingSweep.MAX_SLICE);
        assertThat(sweep.cycleLongerThanFullPeriod()).isTrue();
    }

    @Test
    void theFullPeriodIsValidatedWithAMessageNamingItsKey() {
        assertThatThrownBy(() -> ReconcileSchedule.of(Duration.ofSeconds(60), Duration.ofSeconds(30)))
                .hasMessage("collections.reconcile.full-period must be at least 1m, found 30s");
        assertThatThrownBy(() -> ReconcileSchedule.of(Duration.ofHours(2), Duration.ofHours(1)))
                .hasMessage("collections.reconcile.full-period (3600s) must be at least collections.reconcile.period"
                        + " (7200s): each tick compares a slice of the invoices");
        assertThatThrownBy(() -> ReconcileSchedule.of(Duration.ofMillis(500), Duration.ofHours(1)))
                .hasMessage("collections.reconcile.period must be at least 1s, found 500 ms");
        assertThat(ReconcileSchedule.of(Duration.ofSeconds(60), Duration.ofHours(24)).ticksPerCycle()).isEqualTo(1440);
    }
}
