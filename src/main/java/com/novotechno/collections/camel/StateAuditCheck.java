package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.RollingSweep;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state-audit route's logic: at each tick (collections.reconcile.period) it compares some invoices'
 * state files with the state the event log implies and rewrites those that differ (edited, resealed,
 * deleted, in the wrong folder), and removes the stray files in some folders (a file for an invoice the log
 * does not know). A start repairs only what a crash may have touched; a file that differs elsewhere was
 * edited, deleted or damaged (or a disk is failing), which an operator must hear of: the repairs come back
 * as an alert, null when none.
 *
 * <p>Which, so that the cost of a tick follows the changes and the book's share, not the book: the invoices
 * the store wrote since the last tick, and the next slice of a {@link RollingSweep} over every invoice (each
 * once per collections.reconcile.full-period). Stray files are found by a {@link StrayFileWalk} over the
 * folders directly in state/open, state/archive and state/unapplied, listing as many files a tick as the sweep
 * reads, so each folder once per full period; every file listed that the log has nothing for is removed. A
 * folder created mid-cycle joins the next cycle, so such a file goes within two full periods.
 *
 * <p>The reconcile route waits for this route's first tick ({@link #done}): its own sweep then begins no
 * earlier and in the same order, so it reaches an edited file no earlier than the audit has repaired it.
 */
public final class StateAuditCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StateAuditCheck.class);
    /** Bounds the alert's size; the total is always given, and 'verify' on a stopped service lists them all. */
    static final int MAX_LISTED_REPAIRS = 1000;
    /** Changed invoices audited in one tick at most; the rest wait for the next (a burst, not the steady state). */
    static final int MAX_CHANGED_PER_TICK = 50_000;

    private final CollectionsStore store;
    private final StateAudit files;
    private final RollingSweep sweep;
    private final StrayFileWalk folders;
    private final long ticksPerCycle;
    private final Clock clock;
    /** Written by the store's writers, drained by the tick. */
    private final Set<InvoiceKey> changed = ConcurrentHashMap.newKeySet();
    private volatile boolean done;

    /** @param files lists the state folders (the store rewrites and removes, under each invoice's lock) */
    public StateAuditCheck(CollectionsStore store, StateAudit files, ReconcileSchedule schedule, Clock clock) {
        this.store = store;
        this.files = files;
        this.sweep = new RollingSweep(schedule);
        this.folders = new StrayFileWalk(files);
        this.ticksPerCycle = schedule.ticksPerCycle();
        this.clock = clock;
        store.onWritten(changed::add);
    }

    /** Whether the first tick has run: until it has, the reconcile route waits (see {@link ReconcileCheck}). */
    public boolean done() {
        return done;
    }

    /** The alert's JSON, or null when every file audited agreed. The timer route never runs this concurrently. */
    public synchronized String run() throws IOException {
        long start = System.nanoTime();
        Set<InvoiceKey> keys = new LinkedHashSet<>();
        int taken = 0;
        for (Iterator<InvoiceKey> it = changed.iterator(); it.hasNext() && taken < MAX_CHANGED_PER_TICK; taken++) {
            keys.add(it.next());
            it.remove();
        }
        boolean newCycle = sweep.cycleDone();
        keys.addAll(sweep.next(store::keys));
        List<String> repairs = new ArrayList<>(store.auditStateFiles(keys).repairs());
        long cyclesBefore = folders.cyclesBegun();
        // As many files listed as the sweep's invoices read, on average: each file once per full period.
        List<StateAudit.StateFile> walked = folders.next(sweep.sliceSize());
        repairs.addAll(store.removeStrayFiles(walked).repairs());
        if ((newCycle && sweep.cycleLongerThanFullPeriod())
                || (folders.cyclesBegun() > cyclesBefore && folders.lastCycleTicks() > ticksPerCycle)) {
            LOG.warn("state audit: {} invoices in slices of at most {}, or the state folders' files ({} ticks last"
                    + " cycle), take more than collections.reconcile.full-period; a longer collections.reconcile.period"
                    + " makes each tick's share larger", sweep.cycleSize(), RollingSweep.MAX_SLICE,
                    folders.lastCycleTicks());
        }
        done = true;
        LOG.debug("state audit: {} invoices (sweep {}) and {} files (folders {}) in {} ms", keys.size(), sweep,
                walked.size(), folders, (System.nanoTime() - start) / 1_000_000);
        if (repairs.isEmpty()) {
            return null;
        }
        ObjectNode node = PrettyJson.JSON.createObjectNode();
        node.put("type", "state-audit.alert");
        node.put("time", clock.instant().toString());
        node.put("repair_count", repairs.size());
        ArrayNode list = node.putArray("repairs");
        repairs.subList(0, Math.min(MAX_LISTED_REPAIRS, repairs.size())).forEach(list::add);
        return PrettyJson.of(node);
    }
}
