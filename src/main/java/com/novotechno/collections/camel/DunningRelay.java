package com.novotechno.collections.camel;

import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests.Emission;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * The relay of the transactional outbox (CONTRACT section 3, "Exactly once"): every request the log
 * has decided and not yet recorded as emitted (and every revocation and re-emission owed) is
 * written to {@code outbox/<request_id>.json} (or {@code .revoked.json})
 * (atomically and durably, through the project's storage: Camel's file producer does not fsync)
 * and sent to the emailer's queue with Artemis' duplicate-detection id; then its emission is
 * recorded in the log. A crash anywhere before that record repeats the whole emission at the next
 * tick: the same file, and a send the broker drops as a duplicate.
 */
public final class DunningRelay {

    /** The emission in flight through the route's steps; an exchange property, so it never reaches the broker. */
    static final String EMISSION = "CollectionsEmission";
    /** Artemis' duplicate-detection property (org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Emissions one tick makes at most; the rest follow at the next. */
    static final int MAX_PER_TICK = 500;

    private final CollectionsStore store;
    private final Storage storage;
    private final DataLayout layout;
    private final Duration ackTimeout;

    public DunningRelay(CollectionsStore store, Storage storage, DataLayout layout, Duration ackTimeout) {
        this.store = store;
        this.storage = storage;
        this.layout = layout;
        this.ackTimeout = ackTimeout;
    }

    /** What the emailer is owed now: first emissions, revocations, re-emissions; oldest request first. */
    public List<Emission> pending() {
        List<Emission> pending = store.owedEmissions(ackTimeout);
        return pending.subList(0, Math.min(MAX_PER_TICK, pending.size()));
    }

    /** Keeps the emission for the steps after the marshalling, names its duplicate id, and returns what to marshal. */
    public Object prepare(@Body Emission emission, Exchange exchange) {
        exchange.setProperty(EMISSION, emission);
        exchange.getMessage().setHeader(DUPLICATE_ID, emission.duplicateId());
        return emission.body();
    }

    /** outbox/<request_id>.json or .revoked.json, durable before the send: an emailer reading the folder never misses one the queue got. */
    public void writeOutbox(@Body String json, @ExchangeProperty(EMISSION) Emission emission, Exchange exchange)
            throws IOException {
        if (!emission.requestId().matches("dun-[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a request id: " + emission.requestId()); // it names a file
        }
        boolean written = store.writeIfStillOwed(emission, ackTimeout, () -> {
            storage.createDirectories(layout.outbox());
            storage.writeAtomically(layout.outbox().resolve(emission.outboxFileName()), json.getBytes(StandardCharsets.UTF_8));
        });
        if (!written) {
            // Paid, closed or its client erased since the tick listed it: neither sent nor recorded; the next tick decides.
            exchange.setRouteStop(true);
        }
    }

    /** After the send: the log records the emission, and it is not made again. */
    public void emitted(@ExchangeProperty(EMISSION) Emission emission) throws IOException {
        store.recordEmitted(emission);
    }
}
