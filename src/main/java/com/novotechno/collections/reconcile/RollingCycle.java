package com.novotechno.collections.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Where a timer route is in its cycle over all of something (invoices, state folders): each tick takes the
 * next slice of a list taken when the cycle began, sized so that the slices of
 * {@link ReconcileSchedule#ticksPerCycle} ticks cover the list. The list is sorted, so an item holds about
 * the same place in every cycle and is visited about once per full period, never two periods apart. An item
 * added mid-cycle joins the next cycle.
 *
 * <p>It lives in memory only: a restart begins a new cycle, which costs at most one full period's delay for
 * the items the interrupted cycle had not reached. Not thread-safe: a timer route calls it in turn.
 *
 * @param <T> what is visited
 */
public class RollingCycle<T> {

    /** A slice is never smaller: a small list is visited whole at every tick, which costs next to nothing. */
    public static final int MIN_SLICE = 100;
    /** Nor larger: the work of one tick is bounded, whatever the list; past it a cycle takes longer. */
    public static final int MAX_SLICE = 20_000;

    private final long ticksPerCycle;
    private final Comparator<? super T> order;
    private final Predicate<? super T> included;
    private List<T> cycle = List.of();
    private int cursor;
    private int sliceSize = MIN_SLICE;
    private long cyclesBegun;

    /** @param included which of the items listed the cycle visits */
    public RollingCycle(ReconcileSchedule schedule, Comparator<? super T> order, Predicate<? super T> included) {
        this.ticksPerCycle = schedule.ticksPerCycle();
        this.order = Objects.requireNonNull(order);
        this.included = Objects.requireNonNull(included);
    }

    /**
     * The next slice, beginning a cycle over {@code everything} when the last one is done.
     *
     * @param everything every item now; asked once per cycle
     */
    public List<T> next(Supplier<? extends Collection<T>> everything) {
        if (cursor >= cycle.size()) {
            begin(everything.get());
        }
        int end = Math.min(cycle.size(), cursor + sliceSize);
        List<T> slice = cycle.subList(cursor, end);
        cursor = end;
        assert slice.size() <= MAX_SLICE;
        return slice;
    }

    private void begin(Collection<T> items) {
        List<T> sorted = new ArrayList<>(items.size());
        items.stream().filter(included).forEach(sorted::add);
        sorted.sort(order);
        cycle = sorted;
        cursor = 0;
        sliceSize = sliceSize(sorted.size(), ticksPerCycle);
        cyclesBegun++;
    }

    /** The share of one tick, rounded up so the cycle fits its ticks, within the bounds. */
    static int sliceSize(long items, long ticksPerCycle) {
        long share = (items + ticksPerCycle - 1) / ticksPerCycle;
        return (int) Math.max(MIN_SLICE, Math.min(MAX_SLICE, share));
    }

    /** True when the cycle under way cannot finish within its ticks: more items than MAX_SLICE a tick covers. */
    public boolean cycleLongerThanFullPeriod() {
        return (long) sliceSize * ticksPerCycle < cycle.size();
    }

    public int sliceSize() {
        return sliceSize;
    }

    public int cycleSize() {
        return cycle.size();
    }

    /** Cycles begun since start: a restart begins at one. */
    public long cyclesBegun() {
        return cyclesBegun;
    }

    /** True once the cycle under way has handed out its last slice. */
    public boolean cycleDone() {
        return cursor >= cycle.size();
    }

    @Override
    public String toString() {
        return "cycle " + cyclesBegun + ": " + cursor + " of " + cycle.size() + ", slices of " + sliceSize;
    }
}
