package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.log.LogEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every invoice's state (and the payments held for it) as the event log implies it: built by replaying the whole log at open
 * (which is read then anyway, to check its hash chain), and moved on by each applied entry through
 * {@link Transitions}, the function that writes the state files. Messages are decided against
 * this, never against a state file, and state files are written from it and checked against it:
 * a state file edited and resealed, or deleted, cannot change what the service decides.
 *
 * <p>Memory grows with the book: an open invoice's record about a kilobyte with its payments, a
 * closed one's about a sixth of that, kept packed ({@link PackedRecords}).
 * Thread-safe; callers serialise the entries of one invoice (the store's lock stripes).
 */
final class InvoiceBook {

    /** Each key's record, or its bytes for a closed invoice ({@link PackedRecords#packIfClosed}). */
    private final Map<InvoiceKey, Object> records = new ConcurrentHashMap<>();
    /** Pauses of all of a client's invoices (dunning.paused without an invoice_number), by client. */
    private final Map<String, DunningHold> clientPauses = new ConcurrentHashMap<>();
    /** The keys with held payments (waiting or to refund): few, and what the expiry and alerts walk. */
    private final Set<InvoiceKey> withUnapplied = ConcurrentHashMap.newKeySet();
    /** The keys with a dunning request neither acknowledged nor revoked: what the relay walks, every few seconds. */
    private final Set<InvoiceKey> withOpenRequests = ConcurrentHashMap.newKeySet();

    /** The invoice, once issued. */
    Optional<InvoiceState> get(InvoiceKey key) {
        return record(key).invoice();
    }

    /** Everything under the key; an empty record for a key the log has never named. */
    InvoiceRecord record(InvoiceKey key) {
        Object value = records.get(key);
        return value != null ? PackedRecords.unpack(value) : InvoiceRecord.empty(key);
    }

    /** The pause of all of a client's invoices, if one holds. */
    Optional<DunningHold> clientPause(String client) {
        return Optional.ofNullable(clientPauses.get(client));
    }

    /** Moves the entry's key on by the entry and returns its next record. */
    InvoiceRecord apply(LogEntry entry) {
        if (entry.invoice().isWholeClient()) {
            String client = entry.invoice().client();
            Transitions.applyToClient(clientPause(client), entry)
                    .ifPresentOrElse(hold -> clientPauses.put(client, hold), () -> clientPauses.remove(client));
            InvoiceRecord record = new InvoiceRecord(entry.invoice(), Optional.empty(), java.util.List.of(), entry.seq());
            records.put(record.key(), record);
            if (entry.change() instanceof Change.ClientErased) {
                // The caller holds every invoice's lock: no entry of this client is applied meanwhile.
                for (InvoiceKey key : keysOf(client)) {
                    records.computeIfPresent(key, (k, current) -> PackedRecords.packIfClosed(Erasure.of(PackedRecords.unpack(current))));
                }
            }
            return record;
        }
        InvoiceRecord next = Transitions.apply(record(entry.invoice()), entry);
        put(next);
        return next;
    }

    /** A record as a snapshot holds it; the book must not have its key yet. */
    void load(InvoiceRecord record) {
        if (records.containsKey(record.key())) {
            throw new IllegalStateException("a snapshot holds " + record.key() + " twice");
        }
        if (record.key().isWholeClient()) {
            records.put(record.key(), record);
        } else {
            put(record);
        }
    }

    /** Every record of a snapshot; packed ones (read from the snapshot's bytes) are kept as they are. */
    void loadAll(List<InvoiceRecord> snapshot) {
        if (!(snapshot instanceof PackedRecords packed)) {
            snapshot.forEach(this::load);
            return;
        }
        for (int i = 0; i < packed.size(); i++) {
            Object value = packed.value(i);
            if (value instanceof InvoiceRecord record) {
                load(record);
            } else if (records.putIfAbsent(packed.key(i), value) != null) { // a closed invoice is in no index
                throw new IllegalStateException("a snapshot holds " + packed.key(i) + " twice");
            }
        }
    }

    /** A whole client's pause as a snapshot holds it. */
    void loadClientPause(String client, DunningHold hold) {
        if (clientPauses.putIfAbsent(client, hold) != null) {
            throw new IllegalStateException("a snapshot holds the pause of client " + client + " twice");
        }
    }

    /** Every record now; the caller keeps them from changing meanwhile (a snapshot holds every lock). */
    java.util.List<InvoiceRecord> records() {
        List<InvoiceKey> keys = new java.util.ArrayList<>(records.size());
        List<Object> values = new java.util.ArrayList<>(records.size());
        records.forEach((key, value) -> {
            keys.add(key);
            values.add(value);
        });
        return new PackedRecords(keys, values);
    }

    /**
     * Every record not kept packed: every open invoice, every key with held payments, every invoice with a
     * troubled dunning request (see {@link PackedRecords#packable}), without unpacking the closed rest.
     */
    void forEachUnpacked(java.util.function.Consumer<InvoiceRecord> action) {
        records.values().forEach(value -> {
            if (value instanceof InvoiceRecord record) {
                action.accept(record);
            }
        });
    }

    /** How many keys the book holds (invoices, held payments, whole clients). */
    int size() {
        return records.size();
    }

    /** Every whole client's pause now. */
    Map<String, DunningHold> clientPauses() {
        return Map.copyOf(clientPauses);
    }

    private void put(InvoiceRecord next) {
        records.put(next.key(), PackedRecords.packIfClosed(next));
        if (next.unapplied().isEmpty()) {
            withUnapplied.remove(next.key());
        } else {
            withUnapplied.add(next.key());
        }
        if (next.invoice().map(state -> state.dunning().stream().anyMatch(step -> !step.acknowledged() && !step.revoked()))
                .orElse(false)) {
            withOpenRequests.add(next.key());
        } else {
            withOpenRequests.remove(next.key());
        }
    }

    /** Every key with a dunning request neither acknowledged nor revoked now. */
    Set<InvoiceKey> keysWithOpenRequests() {
        return Set.copyOf(withOpenRequests);
    }

    /** Every key with held payments now. */
    Set<InvoiceKey> keysWithUnapplied() {
        return Set.copyOf(withUnapplied);
    }

    /**
     * The records an applied entry changed, as they are now: its own key's, or, for an erasure, every
     * record of its client. What the live path writes files for and a replay updates the ledger with.
     */
    java.util.List<InvoiceRecord> changedBy(LogEntry entry, InvoiceRecord next) {
        return entry.change() instanceof Change.ClientErased
                ? keysOf(entry.invoice().client()).stream().map(this::record).toList()
                : java.util.List.of(next);
    }

    /** The invoice keys of one client (not its whole-client key): O(every key), for the rare erasure. */
    java.util.List<InvoiceKey> keysOf(String client) {
        return records.keySet().stream().filter(key -> key.client().equals(client) && !key.isWholeClient())
                .sorted(java.util.Comparator.comparing(InvoiceKey::invoiceNumber)).toList();
    }

    /** The keys known now; one added meanwhile may be missing, none removed is ever listed. */
    Set<InvoiceKey> keys() {
        return Set.copyOf(records.keySet());
    }
}
