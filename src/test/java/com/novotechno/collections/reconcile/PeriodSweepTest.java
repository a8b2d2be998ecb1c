package com.novotechno.collections.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The route's sweep over the closed periods' rows, and the index of their keys it checks the carried totals with. */
class PeriodSweepTest {

    private static final YearMonth JANUARY = YearMonth.parse("2026-01");
    private static final YearMonth FEBRUARY = YearMonth.parse("2026-02");
    private static final YearMonth MARCH = YearMonth.parse("2026-03");

    /** Every row of every file, as "period:row", over the ranges the sweep gives in {@code ticks} ticks. */
    private static List<String> rowsOf(PeriodSweep sweep, SortedMap<YearMonth, Long> files, int ticks) {
        List<String> rows = new ArrayList<>();
        for (int tick = 0; tick < ticks; tick++) {
            for (PeriodSweep.Range range : sweep.next(files)) {
                for (long row = range.from(); row < range.to(); row++) {
                    rows.add(range.period() + ":" + row);
                }
            }
        }
        return rows;
    }

    private static List<String> all(SortedMap<YearMonth, Long> files) {
        List<String> rows = new ArrayList<>();
        files.forEach((period, count) -> {
            for (long row = 0; row < count; row++) {
                rows.add(period + ":" + row);
            }
        });
        return rows;
    }

    @Test
    void everyRowOfEveryFileIsInExactlyOneSliceOfACycleInFileOrder() {
        SortedMap<YearMonth, Long> files = new TreeMap<>(java.util.Map.of(JANUARY, 450L, FEBRUARY, 30L, MARCH, 520L));
        PeriodSweep sweep = new PeriodSweep(new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(4)));

        assertThat(rowsOf(sweep, files, 4)).as("1,000 rows in four slices of 250, across the files' ends")
                .isEqualTo(all(files));
        assertThat(sweep.sliceSize()).isEqualTo(250);
        assertThat(sweep.cyclesBegun()).isEqualTo(1);
        assertThat(rowsOf(sweep, files, 4)).as("the next cycle, the same").isEqualTo(all(files));
        assertThat(sweep.cyclesBegun()).isEqualTo(2);
    }

    @Test
    void aMonthClosedMidCycleIsReachedInTheSameCycleAndAFileGoneIsPassedOver() {
        SortedMap<YearMonth, Long> files = new TreeMap<>(java.util.Map.of(JANUARY, 300L, FEBRUARY, 300L));
        PeriodSweep sweep = new PeriodSweep(new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        List<String> seen = new ArrayList<>(rowsOf(sweep, files, 1)); // slices of 200: January 0-199
        files.remove(FEBRUARY);
        files.put(MARCH, 150L);
        seen.addAll(rowsOf(sweep, files, 2));

        List<String> expected = new ArrayList<>(all(new TreeMap<>(java.util.Map.of(JANUARY, 300L))));
        expected.addAll(all(new TreeMap<>(java.util.Map.of(MARCH, 150L))));
        assertThat(seen).isEqualTo(expected);
        assertThat(sweep.next(files)).as("a new cycle").first().isEqualTo(new PeriodSweep.Range(JANUARY, 0, 150));
    }

    @Test
    void noClosedPeriodNoRows() {
        PeriodSweep sweep = new PeriodSweep(new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        assertThat(sweep.next(new TreeMap<>())).isEmpty();
        assertThat(sweep.cyclesBegun()).isZero();
    }

    @Test
    void theKeyIndexTellsWhichPeriodsMayListAnInvoiceAndWhichInvoicesTwoPeriodsList() {
        InvoiceKey once = new InvoiceKey("ACME", "INV-1");
        InvoiceKey twice = new InvoiceKey("ACME", "INV-2");
        InvoiceKey never = new InvoiceKey("ACME", "INV-3");
        PeriodKeyIndex index = new PeriodKeyIndex();
        index.put(JANUARY, sorted(once, twice));
        index.put(MARCH, sorted(twice));

        assertThat(index.periodsOf(ClosedPeriodFile.hash(twice))).containsExactly(JANUARY, MARCH);
        assertThat(index.periodsOf(ClosedPeriodFile.hash(once))).containsExactly(JANUARY);
        assertThat(index.mayHold(ClosedPeriodFile.hash(never))).isFalse();
        assertThat(index.shared()).containsOnlyKeys(JANUARY, MARCH)
                .containsEntry(MARCH, java.util.Set.of(ClosedPeriodFile.hash(twice)));

        index.put(MARCH, sorted(never)); // March's file read again, with other keys
        assertThat(index.periodsOf(ClosedPeriodFile.hash(twice))).containsExactly(JANUARY);
        assertThat(index.mayList(MARCH, ClosedPeriodFile.hash(never))).isTrue();
        assertThat(index.shared()).isEmpty();
        index.remove(JANUARY);
        assertThat(index.size()).isEqualTo(1);
        assertThat(ClosedPeriodFile.hash(new InvoiceKey("AB", "C"))).as("the parts stay apart")
                .isNotEqualTo(ClosedPeriodFile.hash(new InvoiceKey("A", "BC")));
    }

    private static long[] sorted(InvoiceKey... keys) {
        return java.util.Arrays.stream(keys).mapToLong(ClosedPeriodFile::hash).sorted().toArray();
    }
}
