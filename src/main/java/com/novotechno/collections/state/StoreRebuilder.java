package com.novotechno.collections.state;

import com.novotechno.collections.integrity.FolderKeying;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Regenerates every derived file (state files, message index, checkpoint, ledger) from the event log.
 *
 * <p>Fast and still crash-safe: the derived files are written without an fsync each and made
 * durable together at the end, under a marker file that makes every start refuse until the
 * rebuild has finished. A rebuild interrupted at any point is simply run again.
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
        DataLayout folder = new DataLayout(dataDir);
        if (!storage.exists(folder.eventLog())) {
            throw new IOException("no " + folder.eventLog() + " to rebuild from");
        }
        try (DataDirLock lock = DataDirLock.acquire(folder.root())) {
            // The checks read the log as the keyed open will: a line only the key refuses must stop them, not the open.
            DataLayout layout = folder.withKeying(FolderKeying.forWriter(storage, folder, settings.macKeyFile(), settings.clock(),
                    notices));
            refuseUnlessTheLogIsWhole(storage, layout, notices);
            // From here the derived files are rewritten without an fsync each, for speed; the
            // marker makes every start refuse until the end, so a crash midway means "run
            // rebuild again", never "trust half-written files".
            storage.writeAtomically(layout.rebuildMarker(), "rebuild in progress\n".getBytes(StandardCharsets.UTF_8));
            storage.deleteIfExists(layout.checkpoint());
            Storage bulk = storage.deferringSyncs();
            List<Path> derivedFolders = List.of(layout.stateRoot(), layout.ledgerPeriods());
            for (Path derived : derivedFolders) {
                deleteFilesUnder(bulk, derived);
            }
            bulk.deleteIfExists(layout.ledger()); // written anew, even if it was edited by hand
            long entries;
            try (CollectionsStore store = CollectionsStore.openLocked(storage, layout, lock, settings, notices,
                    new CollectionsStore.RebuildAccess(bulk))) {
                entries = store.lastSeq();
            }
            // Exactly what the rebuild wrote; the rest of the folder (inbox, processed, ...) is not its business.
            for (Path derived : derivedFolders) {
                storage.syncTree(derived);
            }
            storage.syncTree(layout.checkpoint());
            storage.syncTree(layout.ledger());
            storage.deleteIfExists(layout.rebuildMarker());
            return entries;
        }
    }

    /**
     * The checks a start makes before it trusts the log, made while the derived files still exist:
     * once they are deleted nothing tells a torn last line from a damaged one that was applied.
     */
    private static void refuseUnlessTheLogIsWhole(Storage storage, DataLayout layout, Consumer<String> notices)
            throws IOException {
        // One read of the log for both checks: at a million invoices each read is seconds.
        LogReplay replay = LogReplay.read(storage, layout);
        EventLog.Inspection log = replay.log();
        if (log.blocksOpen()) {
            throw new LogCorruptionException("not rebuilding from a damaged log, nothing was changed: "
                    + String.join("; ", log.faults()));
        }
        // A log whose entries cannot all apply, or a key it needs that is missing although never erased: the
        // state files are then the last readable copy of what it says, so they stay.
        Optional<String> unreadable = replay.unappliable();
        if (unreadable.isPresent()) {
            throw new LogCorruptionException("not rebuilding, nothing was changed: " + unreadable.get());
        }
        if (storage.exists(layout.rebuildMarker())) {
            // An interrupted rebuild passed these checks before it wrote its marker, and nothing
            // has appended since (every start refuses while the marker is there). Its half-written
            // files are no evidence either way.
            notices.accept("resuming a rebuild that was interrupted");
            return;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(storage, layout.checkpoint());
        } catch (CorruptFileException e) {
            notices.accept(e.getMessage() + "; rebuilding without it");
            checkpoint = Checkpoint.EMPTY;
        }
        if (log.wouldCut()) {
            try {
                new TornTailGuard(storage, layout, checkpoint.appliedSeq())
                        .allowCut(log.lastIntactSeq() + 1, log.faultyLastLine());
            } catch (LogCorruptionException e) {
                throw new LogCorruptionException("not rebuilding, nothing was changed: " + e.getMessage());
            }
        }
        if (checkpoint.appliedSeq() > log.lastIntactSeq()) {
            throw new LogCorruptionException("not rebuilding, nothing was changed: the state reflects seq "
                    + checkpoint.appliedSeq() + " but the log's last intact entry is " + log.lastIntactSeq()
                    + ": log entries were lost");
        }
    }

    private static void deleteFilesUnder(Storage storage, Path root) throws IOException {
        for (Path file : storage.listFilesRecursively(root)) {
            storage.deleteIfExists(file);
        }
    }
}
