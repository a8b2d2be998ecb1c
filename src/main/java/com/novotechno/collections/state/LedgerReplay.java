package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.log.LogEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the ledger projection while the log is read at open: each entry goes through
 * {@link Transitions}, the function that made the state files, so the projection equals what the
 * state files say without reading any of them. Paid invoices never change again, so only open
 * invoices' states are kept.
 */
final class LedgerReplay {

    private final LedgerProjection projection;
    private final Map<InvoiceKey, InvoiceState> open = new HashMap<>();

    LedgerReplay(LedgerProjection projection) {
        this.projection = projection;
    }

    void accept(LogEntry entry) {
        InvoiceState next = Transitions.apply(Optional.ofNullable(open.get(entry.invoice())), entry);
        if (next.status().isOpen()) {
            open.put(next.key(), next);
        } else {
            open.remove(next.key());
        }
        projection.update(LedgerRows.of(next), entry.time());
    }
}
