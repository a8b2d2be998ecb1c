package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the log says under one invoice key: the invoice once issued, and the payments held
 * for it (waiting for it, or to be refunded). Before the invoice arrives only held payments exist;
 * once it has, none is still waiting: each applied or marked to refund.
 *
 * @param lastSeq the last log entry under this key (0 for a key the log never named)
 */
public record InvoiceRecord(InvoiceKey key, Optional<InvoiceState> invoice, List<HeldPayment> unapplied, long lastSeq) {

    public InvoiceRecord {
        Objects.requireNonNull(key);
        Objects.requireNonNull(invoice);
        unapplied = List.copyOf(unapplied);
        invoice.ifPresent(state -> {
            if (!state.key().equals(key)) {
                throw new IllegalArgumentException("record of " + key + " holds invoice " + state.key());
            }
        });
        if (invoice.isPresent() && unapplied.stream().anyMatch(held -> !held.toRefund())) {
            throw new IllegalArgumentException("invoice " + key + " exists, yet a payment is still held for it");
        }
        if (unapplied.size() > Limits.MAX_HELD_PAYMENTS_PER_INVOICE) {
            throw new IllegalArgumentException("too many held payments for " + key);
        }
    }

    static InvoiceRecord empty(InvoiceKey key) {
        return new InvoiceRecord(key, Optional.empty(), List.of(), 0);
    }

    /** Payments still waiting for the invoice. */
    public List<HeldPayment> waiting() {
        return unapplied.stream().filter(held -> !held.toRefund()).toList();
    }
}
