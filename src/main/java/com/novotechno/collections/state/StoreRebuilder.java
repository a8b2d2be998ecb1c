package com.novotechno.collections.state;

import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Regenerates every derived file (state files, message index, checkpoint) from the event log.
 *
 * <p>Crash-safe by construction: the checkpoint goes first, so a rebuild interrupted at any
 * point leaves a folder whose next open (or next rebuild) replays the whole log again.
 */
public final class StoreRebuilder {

    private StoreRebuilder() {
    }

    /**
     * Returns the number of log entries replayed. Requires the service to be stopped: it holds the
     * folder's lock from the first check to the last write. Refuses, changing nothing, when the log
     * is damaged beyond a torn last line: the derived files are then the best copy left.
     */
    public static long rebuild(Storage storage, Path dataDir, StoreSettings settings, Consumer<String> notices)
            throws IOException {
        DataLayout layout = new DataLayout(dataDir);
        if (!storage.exists(layout.eventLog())) {
            throw new IOException("no " + layout.eventLog() + " to rebuild from");
        }
        DataDirLock lock = DataDirLock.acquire(layout.root());
        boolean handedOver = false;
        try {
            List<String> faults = EventLog.faultsBlockingOpen(storage, layout.eventLog());
            if (!faults.isEmpty()) {
                throw new LogCorruptionException("not rebuilding from a damaged log, nothing was changed: "
                        + String.join("; ", faults));
            }
            storage.deleteIfExists(layout.checkpoint());
            for (Path derived : List.of(layout.stateRoot(), layout.messageIndex())) {
                deleteFilesUnder(storage, derived);
            }
            handedOver = true;
            try (CollectionsStore store = CollectionsStore.openLocked(storage, layout, lock, settings, notices)) {
                return store.lastSeq();
            }
        } finally {
            if (!handedOver) {
                lock.close();
            }
        }
    }

    private static void deleteFilesUnder(Storage storage, Path root) throws IOException {
        for (Path file : storage.listFilesRecursively(root)) {
            storage.deleteIfExists(file);
        }
    }
}
