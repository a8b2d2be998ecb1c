package com.novotechno.collections.reconcile;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Where the reconcile route is in its cycle over the closed periods' files: each tick takes the next rows,
 * in period and file order, as many as {@link RollingSweep#sliceSize} gives for all their rows over
 * {@link ReconcileSchedule#ticksPerCycle} ticks, so every row of every period file is compared with its
 * state file once per collections.reconcile.full-period. A period closed mid-cycle is reached in the same
 * cycle (it is the latest). In memory only, like {@link RollingSweep}; not thread-safe.
 */
final class PeriodSweep {

    /** The rows {@code from} (inclusive) to {@code to} (exclusive) of a period's file, by their place in it. */
    record Range(YearMonth period, long from, long to) {
        Range {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("rows " + from + " to " + to + " of " + period);
            }
        }
    }

    private final long ticksPerCycle;
    /** The next row to compare; null before the first cycle and once a cycle is done. */
    private YearMonth period;
    private long nextRow;
    private int sliceSize = RollingSweep.MIN_SLICE;
    private long cyclesBegun;

    PeriodSweep(ReconcileSchedule schedule) {
        this.ticksPerCycle = schedule.ticksPerCycle();
    }

    /**
     * The next slice, beginning a cycle when the last one is done.
     *
     * @param rows each closed period's rows, oldest period first
     */
    List<Range> next(SortedMap<YearMonth, Long> rows) {
        if (rows.isEmpty()) {
            period = null; // no period closed yet, or every file gone: the next one begins a cycle
            return List.of();
        }
        if (period == null) {
            period = rows.firstKey();
            nextRow = 0;
            sliceSize = RollingSweep.sliceSize(rows.values().stream().mapToLong(Long::longValue).sum(), ticksPerCycle);
            cyclesBegun++;
        }
        List<Range> slice = new ArrayList<>();
        long left = sliceSize;
        for (Map.Entry<YearMonth, Long> file : rows.tailMap(period).entrySet()) {
            long from = file.getKey().equals(period) ? nextRow : 0;
            long to = Math.min(file.getValue(), from + left);
            if (to > from) {
                slice.add(new Range(file.getKey(), from, to));
                left -= to - from;
            }
            period = file.getKey();
            nextRow = to;
            if (left == 0) {
                break;
            }
        }
        // Past the last row of the last period: the cycle is done, and the next call begins another.
        if (!period.isBefore(rows.lastKey()) && nextRow >= rows.getOrDefault(period, 0L)) {
            period = null;
        }
        assert slice.stream().mapToLong(r -> r.to() - r.from()).sum() <= sliceSize;
        return slice;
    }

    long cyclesBegun() {
        return cyclesBegun;
    }

    int sliceSize() {
        return sliceSize;
    }
}
