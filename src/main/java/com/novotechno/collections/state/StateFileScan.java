package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.state.InvoiceFiles.Location;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.function.Predicate;
import java.util.concurrent.Future;

/**
 * Reads every state file, each checked against its checksum, as the ledger would show it. Safe
 * beside a running service: open/ is listed before archive/, so an invoice archived mid-scan is
 * seen at least once, and open/ once more after archive/ for the invoices not seen yet, so one a
 * reversed payment moved back out of the archive mid-scan is too; where seen twice its newest
 * state is kept. The files are read and decoded on a {@link ReadPool}: a million of them are the cost of
 * {@code reconcile} and {@code status}.
 *
 * @param rows per invoice, its ledger row and the log seq its state reflects
 * @param unreadable state files that could not be used, and why
 */
public record StateFileScan(Map<InvoiceKey, Scanned> rows, List<Unreadable> unreadable) {

    /** A state file as the ledger should show it, the seq it reflects, and where it stands in dunning. */
    public record Scanned(LedgerRow row, long lastSeq, DunningStanding dunning) {
    }

    /** A file under state/ that is not a valid state file, named relative to the data folder. */
    public record Unreadable(String file, String problem) {
    }

    /** Files one task reads and decodes: large enough that handing them out costs nothing, small enough to balance. */
    private static final int FILES_PER_TASK = 500;

    /** @param zone collections.time-zone, in which the ledger shows its entered dates */
    public static StateFileScan read(Storage storage, DataLayout layout, ZoneId zone) throws IOException {
        try (ReadPool pool = ReadPool.ofCores()) {
            return read(storage, layout, zone, pool);
        }
    }

    /**
     * Reads the files of each pass on the pool's threads; the passes follow each other, each listed only
     * once the one before is read and merged, as the order above needs. The result is the same as one
     * thread's: each task's files are merged in the order they were listed.
     */
    public static StateFileScan read(Storage storage, DataLayout layout, ZoneId zone, ReadPool pool) throws IOException {
        return read(storage, layout, zone, pool, true);
    }

    /**
     * @param writerPossible false only under the folder's lock: no file moves, so open/ is listed once (at a
     *                       million files a second listing is seconds)
     */
    public static StateFileScan read(Storage storage, DataLayout layout, ZoneId zone, ReadPool pool,
                                     boolean writerPossible) throws IOException {
        InvoiceFiles invoices = new InvoiceFiles(storage, layout);
        Map<InvoiceKey, Scanned> rows = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        // Reported once: the last pass must not read (and report) a damaged file of open/ a second time.
        Set<InvoiceKey> reported = new HashSet<>();
        List<Location> passes = writerPossible ? List.of(Location.OPEN, Location.ARCHIVE, Location.OPEN)
                : List.of(Location.OPEN, Location.ARCHIVE);
        for (int pass = 0; pass < passes.size(); pass++) {
            boolean again = pass == 2;
            List<Path> files = storage.listFilesRecursively(invoices.root(passes.get(pass)));
            List<Future<Chunk>> chunks = new ArrayList<>();
            for (int from = 0; from < files.size(); from += FILES_PER_TASK) {
                List<Path> chunk = files.subList(from, Math.min(files.size(), from + FILES_PER_TASK));
                // rows and reported are not written while tasks run: merged below, once all have finished
                chunks.add(pool.submit(() -> readChunk(chunk, again, key -> rows.containsKey(key) || reported.contains(key),
                        invoices, layout, zone)));
            }
            List<Chunk> read = new ArrayList<>(chunks.size());
            for (Future<Chunk> future : chunks) {
                read.add(ReadPool.join(future)); // every task of the pass done before rows, which they read, changes
            }
            for (Chunk chunk : read) {
                chunk.rows().forEach((key, scanned) ->
                        rows.merge(key, scanned, (a, b) -> a.lastSeq() >= b.lastSeq() ? a : b));
                unreadable.addAll(chunk.unreadable());
                reported.addAll(chunk.unreadableKeys());
            }
        }
        return new StateFileScan(rows, unreadable);
    }

    /** What one task read, in the order its files were listed. */
    private record Chunk(Map<InvoiceKey, Scanned> rows, List<Unreadable> unreadable, Set<InvoiceKey> unreadableKeys) {
    }

    private static Chunk readChunk(List<Path> files, boolean again, Predicate<InvoiceKey> seen,
                                   InvoiceFiles invoices, DataLayout layout, ZoneId zone) throws IOException {
        Map<InvoiceKey, Scanned> rows = new java.util.LinkedHashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        Set<InvoiceKey> unreadableKeys = new HashSet<>();
        for (Path file : files) {
            if (FileSystemStorage.isTemporaryFile(file)) {
                continue;
            }
            Optional<InvoiceKey> key = InvoiceFiles.keyOf(file);
            if (again && (key.isEmpty() || seen.test(key.get()))) {
                continue; // seen, or reported, in the first pass
            }
            if (key.isEmpty()) {
                unreadable.add(new Unreadable(layout.root().relativize(file).toString(), "not a state file name"));
                continue;
            }
            InvoiceState state;
            try {
                state = invoices.readFile(file, key.get());
            } catch (NoSuchFileException movedMeanwhile) {
                continue;
            } catch (CorruptFileException e) {
                unreadable.add(new Unreadable(layout.root().relativize(file).toString(), e.problem()));
                unreadableKeys.add(key.get());
                continue;
            }
            rows.merge(key.get(), new Scanned(LedgerRows.of(state, zone), state.lastSeq(), DunningStanding.of(state)),
                    (a, b) -> a.lastSeq() >= b.lastSeq() ? a : b);
        }
        return new Chunk(rows, unreadable, unreadableKeys);
    }
}
