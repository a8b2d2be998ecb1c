package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.HeldPayment;
import com.novotechno.collections.state.InvoiceRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unapplied route's logic: marks to refund every held payment older than
 * {@code collections.unapplied.max-age}, then raises one alert listing each payment to refund that
 * this run of the service has not alerted yet, whether expiry or its invoice's arrival marked it.
 * A payment to refund is money the team owes back: someone must hear of it once, not at every tick.
 *
 * <p>What was alerted is kept in memory only: after a restart the payments still to refund are
 * alerted once more (the README says so), which errs on the side of being heard.
 */
public final class UnappliedCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UnappliedCheck.class);
    /** Bounds one alert's size; the rest are listed by the next run's alert, and the count is always given. */
    static final int MAX_LISTED_PAYMENTS = 1000;

    private final CollectionsStore store;
    private final Duration maxAge;
    private final Clock clock;
    private final Runnable onStoreFailure;
    // Seqs of held payments whose alert was written and sent; guarded by this.
    private final Set<Long> alerted = new HashSet<>();
    private List<Long> pending = List.of();

    public UnappliedCheck(CollectionsStore store, Duration maxAge, Clock clock, Runnable onStoreFailure) {
        this.store = store;
        this.maxAge = maxAge;
        this.clock = clock;
        this.onStoreFailure = onStoreFailure;
    }

    /** The alert's JSON, or null when no payment to refund is new. The timer route never runs this concurrently. */
    public synchronized String run() throws IOException {
        List<HeldPayment> expired;
        try {
            expired = store.expireUnapplied(maxAge);
        } catch (IOException | RuntimeException e) {
            if (store.failed()) {
                onStoreFailure.run();
            }
            throw e;
        }
        if (!expired.isEmpty()) {
            LOG.warn("unapplied: {} held payments had no invoice within {} and are marked to refund", expired.size(), maxAge);
        }
        List<InvoiceRecord> records = store.unapplied();
        List<Long> fresh = new ArrayList<>();
        ObjectNode node = PrettyJson.JSON.createObjectNode();
        ArrayNode list = PrettyJson.JSON.createArrayNode();
        int count = 0;
        for (InvoiceRecord record : records) {
            for (HeldPayment held : record.unapplied()) {
                if (!held.toRefund() || alerted.contains(held.seq())) {
                    continue;
                }
                count++;
                if (fresh.size() < MAX_LISTED_PAYMENTS) {
                    fresh.add(held.seq());
                    list.addObject()
                            .put("client", record.key().client())
                            .put("invoice_number", record.key().invoiceNumber())
                            .put("message_id", held.messageId())
                            .put("amount", held.amount().toPlainString())
                            .put("currency", held.amount().currency().getCurrencyCode())
                            .put("received_on", held.receivedOn().toString())
                            .put("reason", held.refundReason().orElseThrow());
                }
            }
        }
        if (fresh.isEmpty()) {
            return null;
        }
        pending = fresh;
        node.put("type", "unapplied.alert");
        node.put("time", clock.instant().toString());
        node.put("to_refund_count", count);
        node.set("to_refund", list);
        return PrettyJson.of(node);
    }

    /** The route calls this once the alert is written and sent: those payments are not alerted again by this run. */
    public synchronized void alerted() {
        alerted.addAll(pending);
        pending = List.of();
    }
}
