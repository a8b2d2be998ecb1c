package com.novotechno.collections.camel;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.RollingSweep;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer route's logic: brings ledger.qmd up to date and compares, at each tick, the ledger's
 * checksums and totals (against the sum of its rows) and the rows of some invoices against their
 * state files (see {@link SliceReconciler}): those the store wrote since the last tick, the next
 * slice of the {@link RollingSweep} (every invoice once per collections.reconcile.full-period), the
 * ones that differed at the last tick, and rows of the ledger the log does not know. It returns an
 * alert when they disagree, or null when they agree.
 *
 * <p>A difference is raised once two ticks in a row found it (one alone may be a change in flight): an
 * invoice that differed is compared again at the next tick, and at every tick while it differs, so a
 * disagreement that stays the same is alerted once (once the route reports it raised); a changed one is
 * alerted again. The sweep's place lives in memory: a restart begins a new cycle.
 */
public final class ReconcileCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileCheck.class);
    /** Changed invoices compared in one tick at most; the rest wait for the next (a burst, not the steady state). */
    static final int MAX_CHANGED_PER_TICK = 50_000;
    /** Invoices compared again because they differed, or are rows the log does not know: bounded like a slice. */
    static final int MAX_WATCHED = 10_000;

    private final CollectionsStore store;
    private final StateAuditCheck audit;
    private final SliceReconciler reconciler;
    private final RollingSweep sweep;
    private final Clock clock;
    /** Written by the store's writers, drained by the tick. */
    private final Set<InvoiceKey> changed = ConcurrentHashMap.newKeySet();
    private Set<InvoiceKey> watched = Set.of();
    private List<String> lastAlerted = List.of();
    private List<String> pending = List.of();
    private static final ReconcileReport NONE = new ReconcileReport(0, 0, 0, List.of());
    /** What the last run found, alerted or not. */
    private ReconcileReport lastRun = NONE;
    private long ticks;
    /** Differences the last tick confirmed (seen two ticks in a row): read by health and metrics without the lock. */
    private volatile int confirmedDifferences;
    private ReconcileReport lastReport = NONE;

    /** @param reconciler its schedule is the sweep's: the slices and the period files' rows go round at one pace */
    public ReconcileCheck(CollectionsStore store, StateAuditCheck audit, SliceReconciler reconciler, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.reconciler = reconciler;
        this.sweep = new RollingSweep(reconciler.schedule());
        this.clock = clock;
        store.onWritten(changed::add);
    }

    /** The alert's JSON, or null when there is nothing new to raise. The timer route never runs this concurrently. */
    public synchronized String check() throws IOException {
        if (!audit.done()) {
            // Begun after the audit's, this sweep reaches a file no earlier than the audit has rewritten it.
            LOG.info("reconcile: waits for the state audit's first tick");
            return null;
        }
        long start = System.nanoTime();
        store.flushLedger(); // every change so far is in the files now, and told to `changed`
        Set<InvoiceKey> keys = new LinkedHashSet<>(watched);
        int again = keys.size();
        int changedNow = drainChanged(keys);
        boolean newCycle = sweep.cycleDone();
        List<InvoiceKey> slice = sweep.next(store::keys);
        keys.addAll(slice);
        if (newCycle && sweep.cycleLongerThanFullPeriod()) {
            LOG.warn("reconcile: {} invoices take more than collections.reconcile.full-period to compare in slices"
                    + " of at most {}; a longer collections.reconcile.period makes each tick's share larger",
                    sweep.cycleSize(), RollingSweep.MAX_SLICE);
        }
        Set<InvoiceKey> unknown = ConcurrentHashMap.newKeySet();
        ReconcileReport report = reconciler.reconcile(keys, key -> {
            if (unknown.size() < MAX_WATCHED && store.find(key).isEmpty()) {
                unknown.add(key); // a row the log does not know: compared with its (missing) files next tick
            }
        });
        watched = watch(report, keys, unknown);
        lastReport = report;
        ticks++;
        Judgement judgement = judge(report);
        // One line a run, so that an operator can tell a quiet reconciliation ran, what it covered and what it found.
        String summary = "reconcile: run {} in {} ms: {}; compared ledger.qmd at log seq {} (its checksums, its totals and"
                + " the closed periods' against their rows) and {} state files of {} invoices: {} changed since the last run,"
                + " {} of the sweep ({}), {} compared again";
        Object[] values = {ticks, (System.nanoTime() - start) / 1_000_000, judgement.result(), report.ledgerSeq(),
                report.invoices(), keys.size(), changedNow, slice.size(), sweep, again};
        if (judgement.unchangedSinceAlert()) {
            LOG.warn(summary, values);
        } else {
            LOG.info(summary, values);
        }
        return judgement.alert();
    }

    /**
     * What a run found: the alert to raise (or null), in words for the run's line, and whether it is a
     * disagreement alerted before and still there (a warning at every run until it is resolved).
     */
    private record Judgement(String alert, String result, boolean unchangedSinceAlert) {
    }

    /** @return how many it took */
    private int drainChanged(Set<InvoiceKey> into) {
        int taken = 0;
        for (Iterator<InvoiceKey> it = changed.iterator(); it.hasNext() && taken < MAX_CHANGED_PER_TICK; taken++) {
            into.add(it.next());
            it.remove();
        }
        return taken;
    }

    /** The invoices to compare again next tick: those a difference names, and rows the log does not know. */
    private static Set<InvoiceKey> watch(ReconcileReport report, Set<InvoiceKey> compared, Set<InvoiceKey> unknown) {
        Set<InvoiceKey> next = new LinkedHashSet<>(unknown);
        if (report.agrees()) {
            return next;
        }
        for (InvoiceKey key : compared) {
            if (next.size() >= MAX_WATCHED) {
                break;
            }
            String name = key.toString();
            String file = "/" + name + ".json";
            for (Difference difference : report.differences()) {
                String subject = difference.subject();
                if (subject.equals(name) || subject.startsWith(name + "/") || subject.endsWith(file)) {
                    next.add(key);
                    break;
                }
            }
        }
        return next;
    }

    private Judgement judge(ReconcileReport report) {
        List<String> differences = report.differences().stream().map(Object::toString).toList();
        if (report.agrees()) {
            confirmedDifferences = 0;
            lastRun = NONE;
            boolean resolved = !lastAlerted.isEmpty();
            lastAlerted = List.of();
            return new Judgement(null, resolved ? "agree again, after the differences alerted before" : "agree", false);
        }
        // Only a difference seen by two runs in a row is raised, so a change in flight is never alerted.
        ReconcileReport confirmed = report.confirmedBy(lastRun);
        lastRun = report;
        confirmedDifferences = confirmed.differences().size();
        if (confirmed.agrees()) {
            return new Judgement(null, differences.size() + " differences seen for the first time; the next run checks them"
                    + " again", false);
        }
        List<String> confirmedText = confirmed.differences().stream().map(Object::toString).toList();
        if (confirmedText.equals(lastAlerted)) {
            return new Judgement(null, "the ledger still disagrees with the state files (" + confirmedText.size()
                    + " differences, alerted before)", true);
        }
        pending = confirmedText;
        return new Judgement(ReconcileAlert.of(confirmed, clock.instant()).toJson(), confirmedText.size()
                + " differences, alerted", false);
    }

    /**
     * How many differences the last tick confirmed (0 before the first, and while the ledger agrees): a
     * difference seen once is a change in flight until the next tick sees it too.
     */
    public int lastDifferences() {
        return confirmedDifferences;
    }

    /** What the last tick found, confirmed or not: for tests, which see a first sighting before its alert. */
    synchronized ReconcileReport lastReport() {
        return lastReport;
    }

    /** The route calls this once the alert is written and sent: the same disagreement is not raised again. */
    public synchronized void alerted() {
        lastAlerted = pending;
    }
}
