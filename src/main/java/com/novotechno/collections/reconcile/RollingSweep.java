package com.novotechno.collections.reconcile;

import com.novotechno.collections.domain.InvoiceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the reconcile route is in its cycle over all invoices: each tick takes the next slice of a list
 * of every key taken when the cycle began, sized so that the slices of {@link ReconcileSchedule#ticksPerCycle}
 * ticks cover the list. The list is sorted, so an invoice holds about the same place in every cycle and
 * is compared about once per full period, never two periods apart. An invoice issued mid-cycle is compared
 * at the tick after its change (it changed) and joins the next cycle.
 *
 * <p>It lives in memory only: a restart begins a new cycle, which costs at most one full period's delay for
 * the invoices the interrupted cycle had not reached. Not thread-safe: the timer route calls it in turn.
 */
public final class RollingSweep {

    /** A slice is never smaller: a small book is compared whole at every tick, which costs next to nothing. */
    public static final int MIN_SLICE = 100;
    /** Nor larger: the files one tick reads are bounded, whatever the book; past it a cycle takes longer. */
    public static final int MAX_SLICE = 20_000;
    private static final Comparator<InvoiceKey> ORDER =
            Comparator.comparing(InvoiceKey::client).thenComparing(InvoiceKey::invoiceNumber);

    private final long ticksPerCycle;
    private List<InvoiceKey> cycle = List.of();
    private int cursor;
    private int sliceSize = MIN_SLICE;
    private long cyclesBegun;

    public RollingSweep(ReconcileSchedule schedule) {
        this.ticksPerCycle = schedule.ticksPerCycle();
    }

    /**
     * The next slice, beginning a cycle over {@code everyKey} when the last one is done.
     *
     * @param everyKey every invoice key now; asked once per cycle
     */
    public List<InvoiceKey> next(Supplier<? extends Collection<InvoiceKey>> everyKey) {
        if (cursor >= cycle.size()) {
            begin(everyKey.get());
        }
        int end = Math.min(cycle.size(), cursor + sliceSize);
        List<InvoiceKey> slice = cycle.subList(cursor, end);
        cursor = end;
        assert slice.size() <= MAX_SLICE;
        return slice;
    }

    private void begin(Collection<InvoiceKey> keys) {
        List<InvoiceKey> sorted = new ArrayList<>(keys.size());
        keys.stream().filter(key -> !key.isWholeClient()).forEach(sorted::add);
        sorted.sort(ORDER);
        cycle = sorted;
        cursor = 0;
        sliceSize = sliceSize(sorted.size(), ticksPerCycle);
        cyclesBegun++;
    }

    /** The share of one tick, rounded up so the cycle fits its ticks, within the bounds. */
    static int sliceSize(long invoices, long ticksPerCycle) {
        long share = (invoices + ticksPerCycle - 1) / ticksPerCycle;
        return (int) Math.max(MIN_SLICE, Math.min(MAX_SLICE, share));
    }

    /** True when the cycle under way cannot finish within its ticks: more invoices than MAX_SLICE a tick covers. */
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
        return "cycle " + cyclesBegun + ": " + cursor + " of " + Objects.toString(cycle.size()) + " invoices, slices of "
                + sliceSize;
    }
}
