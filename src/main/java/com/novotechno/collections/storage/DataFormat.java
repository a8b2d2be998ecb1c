package com.novotechno.collections.storage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static com.novotechno.collections.storage.JsonFields.integer;

/**
 * The data folder's format version, in {@code format.json}: what a release checks before it reads
 * anything else, and where an upgrade starts.
 *
 * <ul>
 *   <li>Format 1 (no file; releases up to the receivables lifecycle): a message index file per
 *       message under {@code index/}, and every derived file fsynced on its own.</li>
 *   <li>Format 2: deduplication from the log alone, state files made durable at checkpoints.
 *       The log, the state files, the keys and the ledger are unchanged, so a format 1 folder is
 *       migrated by removing {@code index/}; the start's recovery then checks what it always does.</li>
 * </ul>
 * A folder of a newer format is refused, changing nothing: this release cannot know what it means.
 */
public final class DataFormat {

    public static final int CURRENT = 2;
    private static final int MAX_BYTES = 4096;

    private DataFormat() {
    }

    /** Checks the folder's format and migrates an older one to {@link #CURRENT}, saying so. */
    public static void requireCurrent(Storage storage, DataLayout layout, Consumer<String> notices) throws IOException {
        int found = read(storage, layout);
        if (found > CURRENT) {
            throw new IOException(layout.root() + " is in data format " + found + ", written by a newer release; this"
                    + " release reads format " + CURRENT + " and older. Run the release that wrote it.");
        }
        if (found == CURRENT) {
            return;
        }
        if (found == 1) {
            // Derived from the log and no longer read: removed whole, so a stale copy can never be believed.
            int removed = deleteTree(storage, layout.legacyMessageIndex());
            notices.accept("migrated " + layout.root() + " from data format 1 to " + CURRENT + ": removed the message"
                    + " index (" + removed + " files under index/), which the event log now replaces");
        }
        write(storage, layout);
    }

    /**
     * 0 for a new folder, 1 for a folder a format 1 release wrote (entries in its log, or its index,
     * but no format file). The folder's lock creates an empty log before anything is written.
     */
    static int read(Storage storage, DataLayout layout) throws IOException {
        if (!storage.exists(layout.format())) {
            return hasEntries(storage, layout) || storage.exists(layout.legacyMessageIndex()) ? 1 : 0;
        }
        ObjectNode json = ChecksummedJson.decode(storage.read(layout.format(), MAX_BYTES), layout.format());
        try {
            long format = integer(json, "format");
            if (format < 1 || format > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("format " + format + " is not a format number");
            }
            return (int) format;
        } catch (RuntimeException e) {
            throw new CorruptFileException(layout.format(), e.getMessage());
        }
    }

    private static boolean hasEntries(Storage storage, DataLayout layout) throws IOException {
        if (!storage.exists(layout.eventLog())) {
            return false;
        }
        try (java.io.InputStream in = storage.openRead(layout.eventLog())) {
            return in.read() != -1;
        }
    }

    private static void write(Storage storage, DataLayout layout) throws IOException {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("format", CURRENT);
        storage.writeAtomically(layout.format(), ChecksummedJson.encode(json));
    }

    /**
     * Deletes a folder and all below it without an fsync per file (format 1 had one file per message),
     * then syncs the folder that held it: a crash midway leaves format 1, and the next start goes on.
     */
    private static int deleteTree(Storage storage, Path root) throws IOException {
        if (storage.isSymbolicLink(root)) {
            storage.deleteIfExists(root); // the link, never what it points to
            storage.syncPaths(List.of(root.getParent()));
            return 1;
        }
        if (!storage.isDirectory(root)) {
            return 0;
        }
        Storage bulk = storage.deferringSyncs();
        int removed = deleteBelow(bulk, root);
        bulk.deleteIfExists(root);
        storage.syncPaths(List.of(root.getParent()));
        return removed;
    }

    private static int deleteBelow(Storage storage, Path folder) throws IOException {
        int removed = 0;
        for (Path entry : storage.list(folder)) {
            // A link is removed as a link, like rm -r does: never followed out of the data folder.
            if (!storage.isSymbolicLink(entry) && storage.isDirectory(entry)) {
                removed += deleteBelow(storage, entry);
            } else {
                removed++;
            }
            storage.deleteIfExists(entry);
        }
        return removed;
    }
}
