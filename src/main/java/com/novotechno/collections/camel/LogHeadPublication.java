package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.Body;

/**
 * The log-head route's logic: the log's head (seq, hash and the line's MAC) each time it has moved,
 * for the alerts queue and {@code alerts/log-head.json}. Whoever keeps a head can later prove that the
 * log still holds that line: a history rewritten after it (even with every hash recomputed) no longer
 * has it, and without the key its MAC cannot be remade.
 */
public final class LogHeadPublication {

    static final String FILE_NAME = "log-head.json";

    private final CollectionsStore store;
    private final Storage storage;
    private final Path alerts;
    private final Clock clock;
    private final Runnable onStoreFailure;
    // Guarded by this: the seq last published, and the one of the head run() has just handed the route.
    private long published = -1;
    private long pending = -1;

    public LogHeadPublication(CollectionsStore store, Storage storage, Path alerts, Clock clock, Runnable onStoreFailure) {
        this.store = store;
        this.storage = storage;
        this.alerts = alerts;
        this.clock = clock;
        this.onStoreFailure = onStoreFailure;
    }

    /** The head's JSON, or null when it has not moved since this run of the service last published it. */
    public synchronized String run() throws IOException {
        CollectionsStore.LogHead head;
        try {
            head = store.logHead();
        } catch (IOException | RuntimeException e) {
            if (store.failed()) {
                onStoreFailure.run();
            }
            throw e;
        }
        if (head.seq() == published) {
            return null;
        }
        pending = head.seq();
        ObjectNode node = PrettyJson.JSON.createObjectNode();
        node.put("type", "log.head");
        node.put("time", clock.instant().toString());
        node.put("seq", head.seq());
        node.put("hash", head.hash());
        head.mac().ifPresent(mac -> node.put("mac", mac));
        return PrettyJson.of(node);
    }

    /** Replaces alerts/log-head.json with the head, durably. */
    public void writeFile(@Body String head) throws IOException {
        storage.createDirectories(alerts);
        storage.writeAtomically(alerts.resolve(FILE_NAME), head.getBytes(StandardCharsets.UTF_8));
    }

    /** The route calls this once the head is written and sent: it is not published again until it moves. */
    public synchronized void published() {
        published = pending;
    }
}
