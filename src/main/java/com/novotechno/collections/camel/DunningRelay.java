package com.novotechno.collections.camel;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningRequest;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests.Emission;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Headers;

/**
 * The relay of the transactional outbox (CONTRACT section 3, "Exactly once"): every request the log
 * has decided and not yet recorded as emitted is written to {@code outbox/<request_id>.json}
 * (atomically and durably, through the project's storage: Camel's file producer does not fsync)
 * and sent to the emailer's queue with Artemis' duplicate-detection id; then its emission is
 * recorded in the log. A crash anywhere before that record repeats the whole emission at the next
 * tick: the same file, and a send the broker drops as a duplicate.
 */
public final class DunningRelay {

    static final String REQUEST_ID = "CollectionsRequestId";
    static final String CLIENT = "CollectionsClient";
    static final String INVOICE = "CollectionsInvoiceNumber";
    static final String ATTEMPT = "CollectionsAttempt";
    /** Artemis' duplicate-detection property (org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Requests one tick emits at most; the rest follow at the next. */
    static final int MAX_PER_TICK = 500;

    private final CollectionsStore store;
    private final Storage storage;
    private final DataLayout layout;

    public DunningRelay(CollectionsStore store, Storage storage, DataLayout layout) {
        this.store = store;
        this.storage = storage;
        this.layout = layout;
    }

    /** The requests to emit now, oldest decision first. */
    public List<Emission> pending() {
        List<Emission> pending = store.unemittedRequests();
        return pending.subList(0, Math.min(MAX_PER_TICK, pending.size()));
    }

    /** Names the emission in headers for the steps after the marshalling, and returns the request to marshal. */
    public DunningRequest prepare(@Body Emission emission, @Headers Map<String, Object> headers) {
        headers.put(REQUEST_ID, emission.requestId());
        headers.put(CLIENT, emission.key().client());
        headers.put(INVOICE, emission.key().invoiceNumber());
        headers.put(ATTEMPT, emission.attempt());
        headers.put(DUPLICATE_ID, emission.duplicateId());
        return emission.request();
    }

    /** outbox/<request_id>.json, durable before the send: an emailer reading the folder never misses one the queue got. */
    public void writeOutbox(@Body String json, @Header(REQUEST_ID) String requestId) throws IOException {
        if (!requestId.matches("dun-[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a request id: " + requestId); // it names a file
        }
        Path file = layout.outbox().resolve(requestId + ".json");
        storage.createDirectories(layout.outbox());
        storage.writeAtomically(file, json.getBytes(StandardCharsets.UTF_8));
    }

    /** After the send: the log records the emission, and the request is not emitted again. */
    public void emitted(@Header(CLIENT) String client, @Header(INVOICE) String invoice,
                        @Header(REQUEST_ID) String requestId, @Header(ATTEMPT) int attempt) throws IOException {
        store.recordEmitted(new InvoiceKey(client, invoice), requestId, attempt);
    }
}
