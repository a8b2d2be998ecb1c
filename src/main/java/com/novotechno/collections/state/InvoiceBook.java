package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.log.LogEntry;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every invoice's state as the event log implies it: built by replaying the whole log at open
 * (which is read then anyway, to check its hash chain), and moved on by each applied entry through
 * {@link Transitions}, the function that writes the state files. Messages are decided against
 * this, never against a state file, and state files are written from it and checked against it:
 * a state file edited and resealed, or deleted, cannot change what the service decides.
 *
 * <p>Memory grows with the book: about a kilobyte an invoice with its payments (README).
 * Thread-safe; callers serialise the entries of one invoice (the store's lock stripes).
 */
final class InvoiceBook {

    private final Map<InvoiceKey, InvoiceState> states = new ConcurrentHashMap<>();

    Optional<InvoiceState> get(InvoiceKey key) {
        return Optional.ofNullable(states.get(key));
    }

    /** Moves the entry's invoice on by the entry and returns its next state. */
    InvoiceState apply(LogEntry entry) {
        InvoiceState next = Transitions.apply(get(entry.invoice()), entry);
        states.put(next.key(), next);
        return next;
    }

    /** The invoices known now; one added meanwhile may be missing, none removed is ever listed. */
    Set<InvoiceKey> keys() {
        return Set.copyOf(states.keySet());
    }
}
