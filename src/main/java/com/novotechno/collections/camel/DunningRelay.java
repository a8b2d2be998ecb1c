package com.novotechno.collections.camel;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests.Emission;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay of the transactional outbox (CONTRACT section 3, "Exactly once"): every request the log
 * has decided and not yet recorded as emitted (and every revocation and re-emission owed) is
 * written to {@code outbox/<request_id>.json} (or {@code .revoked.json})
 * (atomically and durably, through the project's storage: Camel's file producer does not fsync)
 * and sent to the emailer's queue with Artemis' duplicate-detection id; then its emission is
 * recorded in the log. A crash anywhere before that record repeats the whole emission at the next
 * tick: the same file, and a send the broker drops as a duplicate.
 *
 * <p>Unless its invoice closes first: the request is then withdrawn, and the log cannot tell whether
 * it went out. Its outbox file can, since the file is written before the send and never after a
 * withdrawal. So the relay remembers every request file it wrote and has not seen recorded, and, as
 * it is made at the start, every such file a crash left; a withdrawn one among them gets its revocation.
 */
public final class DunningRelay {

    private static final Logger LOG = LoggerFactory.getLogger(DunningRelay.class);
    /** The emission in flight through the route's steps; an exchange property, so it never reaches the broker. */
    static final String EMISSION = "CollectionsEmission";
    /** Artemis' duplicate-detection property (org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Emissions one tick makes at most; the rest follow at the next. */
    static final int MAX_PER_TICK = 500;
    /** Outbox files the start reads at most when it looks for requests a crash left unrecorded. */
    static final int MAX_OUTBOX_FILES_READ = 1_000_000;

    /** A request whose outbox file exists and whose emission the log has not recorded (as far as the relay knows). */
    private record Unrecorded(InvoiceKey key, String requestId) {
    }

    private final CollectionsStore store;
    private final Storage storage;
    private final DataLayout layout;
    private final Duration ackTimeout;
    private final Set<Unrecorded> unrecorded = ConcurrentHashMap.newKeySet();
    private volatile boolean outboxRead;

    public DunningRelay(CollectionsStore store, Storage storage, DataLayout layout, Duration ackTimeout) {
        this.store = store;
        this.storage = storage;
        this.layout = layout;
        this.ackTimeout = ackTimeout;
        // Made as the service starts, before its intake routes: an erasure they apply before the first tick
        // would sweep the client's request files, the only evidence of a send a crash left unrecorded.
        try {
            readOutboxLeftByACrash();
            outboxRead = true;
        } catch (IOException e) {
            LOG.warn("dunning relay: outbox/ could not be read at the start ({}); the first tick tries again",
                    e.getMessage());
        }
    }

    /**
     * What the emailer is owed now: first emissions, revocations (late ones too), re-emissions; oldest
     * request first.
     */
    public List<Emission> pending() throws IOException {
        if (!outboxRead) {
            readOutboxLeftByACrash();
            outboxRead = true;
        }
        List<Emission> pending = new ArrayList<>(store.owedEmissions(ackTimeout));
        for (Unrecorded request : unrecorded) {
            if (!unrecordedInTheLog(request)) {
                unrecorded.remove(request); // recorded (or never the log's): nothing to take back
            } else {
                store.lateRevocation(request.key(), request.requestId()).ifPresent(pending::add);
            }
        }
        pending.sort(Comparator.comparingLong(Emission::seq));
        return pending.subList(0, Math.min(MAX_PER_TICK, pending.size()));
    }

    /**
     * Every request file whose emission the log has not recorded: a crash may have come between its send
     * and its record. A revocation's file beside it proves nothing (it too is written before its send):
     * only the log's record of that revocation does, which counts the request as emitted.
     */
    private void readOutboxLeftByACrash() throws IOException {
        if (!storage.isDirectory(layout.outbox())) {
            return;
        }
        int read = 0;
        for (Path file : storage.list(layout.outbox())) {
            if (OutboxRequestFile.requestIdOf(file).isEmpty() || OutboxRequestFile.isRevocation(file)
                    || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (++read > MAX_OUTBOX_FILES_READ) {
                LOG.warn("dunning relay: outbox/ holds more than {} requests; the rest are not"
                        + " checked for a send a crash left unrecorded", MAX_OUTBOX_FILES_READ);
                return;
            }
            try {
                OutboxRequestFile request = OutboxRequestFile.read(storage, file);
                // Only those the log has not recorded are kept: most files are of requests long emitted.
                Unrecorded candidate = new Unrecorded(request.key(), request.requestId());
                if (unrecordedInTheLog(candidate)) {
                    unrecorded.add(candidate);
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("dunning relay: outbox/{} is not a request this service can read ({}); left alone",
                        file.getFileName(), e.getMessage());
            }
        }
    }

    /** Whether the log holds the request with no emission recorded and no acknowledgement. */
    private boolean unrecordedInTheLog(Unrecorded request) {
        return store.find(request.key()).flatMap(state -> state.dunningStep(request.requestId()))
                .filter(step -> step.emittedAttempts() == 0 && !step.acknowledged()).isPresent();
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
            if (emission.kind() == Emission.Kind.REQUEST && emission.attempt() == 1) {
                // Under the invoice's lock, before the send: a withdrawal cannot slip in between.
                unrecorded.add(new Unrecorded(emission.key(), emission.requestId()));
            }
        });
        if (!written) {
            // Paid, closed or its client erased since the tick listed it: neither sent nor recorded; the next tick decides.
            exchange.setRouteStop(true);
        }
    }

    /**
     * After the send: the log records the emission, and it is not made again. The request stays among
     * the unrecorded until the next tick sees its record: one withdrawn since the send is not recorded.
     */
    public void emitted(@ExchangeProperty(EMISSION) Emission emission) throws IOException {
        store.recordEmitted(emission);
    }
}
