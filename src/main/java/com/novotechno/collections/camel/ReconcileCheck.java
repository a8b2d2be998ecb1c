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
    /** The differences the last run found, alerted or not. */
    private List<String> lastSeen = List.of();

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
            lastSeen = List.of();
            if (!lastAlerted.isEmpty()) {
                LOG.info("reconcile: the ledger agrees with the state files again ({} invoices, log seq {})",
                        report.invoices(), report.ledgerSeq());
            }
            lastAlerted = List.of();
            return null;
        }
        // Beside the writer a file can move or go between the reads of one run (a reopening, a reversal): only a
        // difference seen by two runs in a row is raised, so a change in flight is never alerted as a disagreement.
        List<String> seenBefore = lastSeen;
        lastSeen = differences;
        List<com.novotechno.collections.reconcile.Difference> confirmed = report.differences().stream()
                .filter(difference -> seenBefore.contains(difference.toString())).toList();
        if (confirmed.isEmpty()) {
            LOG.info("reconcile: {} differences seen for the first time; the next run checks them again",
                    differences.size());
            return null;
        }
        List<String> confirmedText = confirmed.stream().map(Object::toString).toList();
        if (confirmedText.equals(lastAlerted)) {
            LOG.warn("reconcile: the ledger still disagrees with the state files ({} differences, alerted before)",
                    confirmedText.size());
            return null;
        }
        pending = confirmedText;
        return ReconcileAlert.of(new ReconcileReport(report.ledgerSeq(), report.invoices(), report.inFlight(), confirmed),
                clock.instant()).toJson();
    }

    /** The route calls this once the alert is written and sent: the same disagreement is not raised again. */
    public synchronized void alerted() {
        lastAlerted = pending;
    }
}
