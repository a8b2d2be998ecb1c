package com.novotechno.collections.health;

import com.novotechno.collections.camel.ReconcileCheck;
import com.novotechno.collections.state.CollectionsStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator must look at but a restart would not mend: reported by {@code /health} (and as
 * gauges), never a reason for liveness or readiness to fail.
 */
final class Findings {

    /** One thing to look at: a stable id for alert rules, and what it is in words. */
    record Finding(String id, String detail) {
    }

    private final CollectionsStore store;
    private final ReconcileCheck reconcile;
    private final Duration ackTimeout;

    Findings(CollectionsStore store, ReconcileCheck reconcile, Duration ackTimeout) {
        this.store = store;
        this.reconcile = reconcile;
        this.ackTimeout = ackTimeout;
    }

    int reconcileDifferences() {
        return reconcile.lastDifferences();
    }

    boolean ledgerHeld() {
        return store.ledgerHeld();
    }

    /** The payments held now, those marked to refund or those still waiting for their invoice. */
    long heldPayments(boolean toRefund) {
        return store.unapplied().stream().flatMap(record -> record.unapplied().stream())
                .filter(payment -> payment.toRefund() == toRefund).count();
    }

    CollectionsStore.AwaitingAcknowledgement awaitingAcknowledgement() {
        return store.awaitingAcknowledgement(ackTimeout);
    }

    List<Finding> now() {
        List<Finding> findings = new ArrayList<>();
        int differences = reconcileDifferences();
        if (differences > 0) {
            findings.add(new Finding("reconcile-differences", "the last reconciliation found " + differences
                    + " differences between ledger.qmd and the state files (see alerts/reconcile.*.json; run 'reconcile')"));
        }
        if (ledgerHeld()) {
            findings.add(new Finding("ledger-held", "ledger.qmd was edited by hand and is not updated until 'rebuild'"));
        }
        long overdue = awaitingAcknowledgement().pastTimeout();
        if (overdue > 0) {
            findings.add(new Finding("dunning-unacknowledged", overdue + " dunning requests emitted longer than"
                    + " collections.dunning.ack-timeout (" + ackTimeout + ") ago await the emailer's acknowledgement"));
        }
        if (Files.exists(store.layout().rebuildMarker())) {
            findings.add(new Finding("rebuild-unfinished", "a rebuild has not finished ("
                    + store.layout().rebuildMarker().getFileName() + "): stop the service and run 'rebuild'"));
        }
        return findings;
    }
}
