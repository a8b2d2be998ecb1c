package com.novotechno.collections.reconcile;

import java.util.List;

/**
 * The outcome of a reconciliation.
 *
 * @param ledgerSeq the log seq the ledger reflects, which the comparison was made at
 * @param invoices the state files compared
 * @param inFlight state files that moved on past the ledger's seq while a service ran; the ledger
 *                 catches up with them at its next batch, so they are not compared
 */
public record ReconcileReport(long ledgerSeq, long invoices, long inFlight, List<Difference> differences) {

    public ReconcileReport {
        differences = List.copyOf(differences);
    }

    public boolean agrees() {
        return differences.isEmpty();
    }

    /**
     * This report with only the differences {@code earlier} found too: beside a running service a
     * file can move or go between the reads of one comparison, so a difference counts once two find it.
     */
    public ReconcileReport confirmedBy(ReconcileReport earlier) {
        List<String> seen = earlier.differences.stream().map(Difference::toString).toList();
        return new ReconcileReport(ledgerSeq, invoices, inFlight,
                differences.stream().filter(difference -> seen.contains(difference.toString())).toList());
    }
}
