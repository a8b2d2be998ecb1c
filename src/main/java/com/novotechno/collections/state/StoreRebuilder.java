package com.novotechno.collections.state;

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

    /** Returns the number of log entries replayed. Requires the service to be stopped (it takes the lock). */
    public static long rebuild(Storage storage, Path dataDir, StoreSettings settings, Consumer<String> notices)
            throws IOException {
        DataLayout layout = new DataLayout(dataDir);
        if (!storage.exists(layout.eventLog())) {
            throw new IOException("no " + layout.eventLog() + " to rebuild from");
        }
        try (DataDirLock lock = DataDirLock.acquire(layout.root())) {
            storage.deleteIfExists(layout.checkpoint());
            for (Path derived : List.of(layout.stateRoot(), layout.messageIndex())) {
                deleteFilesUnder(storage, derived);
            }
        }
        try (CollectionsStore store = CollectionsStore.open(storage, dataDir, settings, notices)) {
            return store.lastSeq();
        }
    }

    private static void deleteFilesUnder(Storage storage, Path root) throws IOException {
        for (Path file : storage.listFilesRecursively(root)) {
            storage.deleteIfExists(file);
        }
    }
}
