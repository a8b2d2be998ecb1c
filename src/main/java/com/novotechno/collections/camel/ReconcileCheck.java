package com.novotechno.collections.camel;

import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer route's logic: brings ledger.qmd up to date, compares it with the state files, and
 * returns an alert when they disagree, or null when they agree. A difference is raised once two
 * runs in a row found it (one alone may be a change in flight); a disagreement that stays the same
 * is alerted once, not at every tick (once the route reports it raised); a changed one is alerted again.
 */
public final class ReconcileCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileCheck.class);

    private final CollectionsStore store;
    private final StateAuditCheck audit;
    private final Reconciler reconciler;
    private final Clock clock;
    private List<String> lastAlerted = List.of();
    private List<String> pending = List.of();
    private static final ReconcileReport NONE = new ReconcileReport(0, 0, 0, List.of());
    /** What the last run found, alerted or not. */
    private ReconcileReport lastRun = NONE;

    public ReconcileCheck(CollectionsStore store, StateAuditCheck audit, Reconciler reconciler, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.reconciler = reconciler;
        this.clock = clock;
    }

    /** The alert's JSON, or null when there is nothing new to raise. The timer route never runs this concurrently. */
    public synchronized String check() throws IOException {
        if (!audit.done()) {
            // State files the audit is about to rewrite would disagree with the ledger for no lasting reason.
            LOG.info("reconcile: waits for the state audit after start to finish");
            return null;
        }
        store.flushLedger();
        ReconcileReport report = reconciler.reconcile(Reconciler.Mode.LIVE);
        List<String> differences = report.differences().stream().map(Object::toString).toList();
        if (report.agrees()) {
            lastRun = NONE;
            if (!lastAlerted.isEmpty()) {
                LOG.info("reconcile: the ledger agrees with the state files again ({} invoices, log seq {})",
                        report.invoices(), report.ledgerSeq());
            }
            lastAlerted = List.of();
            return null;
        }
        // Only a difference seen by two runs in a row is raised, so a change in flight is never alerted.
        ReconcileReport confirmed = report.confirmedBy(lastRun);
        lastRun = report;
        if (confirmed.agrees()) {
            LOG.info("reconcile: {} differences seen for the first time; the next run checks them again",
                    differences.size());
            return null;
        }
        List<String> confirmedText = confirmed.differences().stream().map(Object::toString).toList();
        if (confirmedText.equals(lastAlerted)) {
            LOG.warn("reconcile: the ledger still disagrees with the state files ({} differences, alerted before)",
                    confirmedText.size());
            return null;
        }
        pending = confirmedText;
        return ReconcileAlert.of(confirmed, clock.instant()).toJson();
    }

    /** The route calls this once the alert is written and sent: the same disagreement is not raised again. */
    public synchronized void alerted() {
        lastAlerted = pending;
    }
}
