package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Printable;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileReport;
import java.time.Instant;

/** What the service raises when the ledger and the state files disagree: a JSON document for alerts/ and the queue. */
record ReconcileAlert(ReconcileReport report, Instant time) {

    /** Bounds the alert's size; the total is always given, and 'reconcile' lists them all. */
    static final int MAX_LISTED_DIFFERENCES = 1000;

    static ReconcileAlert of(ReconcileReport report, Instant time) {
        if (report.agrees()) {
            throw new IllegalArgumentException("no alert for a report that agrees");
        }
        return new ReconcileAlert(report, time);
    }

    String toJson() {
        ObjectNode node = PrettyJson.JSON.createObjectNode();
        node.put("type", "reconcile.alert");
        node.put("time", time.toString());
        node.put("ledger_seq", report.ledgerSeq());
        node.put("invoices_compared", report.invoices());
        node.put("invoices_in_flight", report.inFlight());
        node.put("difference_count", report.differences().size());
        ArrayNode list = node.putArray("differences");
        for (Difference difference : report.differences().subList(0,
                Math.min(MAX_LISTED_DIFFERENCES, report.differences().size()))) {
            list.addObject()
                    .put("kind", difference.kind().label())
                    // Quoted from files anyone could edit, and logged as they are: nothing invisible gets through.
                    .put("subject", Printable.escape(difference.subject()))
                    .put("detail", Printable.escape(difference.detail()));
        }
        return PrettyJson.of(node);
    }
}
