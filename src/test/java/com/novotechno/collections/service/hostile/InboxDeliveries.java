package com.novotechno.collections.service.hostile;

import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.RunningService;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Puts a case into the inbox the way its delivery says: a careful producer's rename, or an entry
 * only a file system has (a link, a FIFO, a folder, a file still being written, a name the route
 * skips). Files a link points to are written in a folder outside the data folder.
 */
final class InboxDeliveries {

    /** A file written in place grows in this many pieces, this far apart: less than the second the route waits for. */
    private static final int SLOW_PIECES = 8;
    private static final long SLOW_PAUSE_MILLIS = 300;

    /** Where a case went: the inbox entry, and the file outside that a link names (with the bytes it held). */
    record Placed(Path entry, Optional<Path> outside, byte[] outsideBytes) {
    }

    private final RunningService running;
    private final Path outside;
    private final List<CompletableFuture<Void>> writers = new ArrayList<>();

    InboxDeliveries(RunningService running, Path outside) {
        this.running = running;
        this.outside = outside;
    }

    Placed deliver(HostileCase hostile, byte[] body) throws Exception {
        Path inbox = running.layout.inbox();
        Path entry = inbox.resolve(hostile.fileName());
        switch (hostile.delivery()) {
            case HostileCase.PLAIN -> running.drop(hostile.fileName(), body);
            case "symlink" -> {
                Path target = Files.write(outside.resolve(hostile.name() + ".target"), body);
                Files.createSymbolicLink(entry, target);
                return new Placed(entry, Optional.of(target), body);
            }
            case "dangling-symlink" -> Files.createSymbolicLink(entry, outside.resolve(hostile.name() + ".missing"));
            case "hard-link" -> {
                Path other = Files.write(outside.resolve(hostile.name() + ".json"), body);
                Files.createLink(entry, other);
                return new Placed(entry, Optional.of(other), body);
            }
            case "fifo" -> DataFolders.makeFifo(entry);
            case "directory" -> {
                // A message inside, which must never be applied: the route enters no folder.
                Files.write(Files.createDirectory(entry).resolve("inner.json"), body);
            }
            case "slow-write" -> writers.add(CompletableFuture.runAsync(() -> writeSlowly(entry, body)));
            // Names the route never reads.
            case "dot-name" -> {
                return placed(Files.write(inbox.resolve("." + hostile.fileName()), body));
            }
            case "tmp-name" -> {
                return placed(Files.write(inbox.resolve(hostile.fileName() + ".tmp"), body));
            }
            case "jsonl-name" -> {
                return placed(Files.write(inbox.resolve(hostile.name() + ".jsonl"), body));
            }
            default -> throw new IllegalArgumentException(hostile + ": no inbox delivery '" + hostile.delivery() + "'");
        }
        return placed(entry);
    }

    private static Placed placed(Path entry) {
        return new Placed(entry, Optional.empty(), new byte[0]);
    }

    /** Waits for the files still being written in place. */
    void finishWriting() {
        writers.forEach(CompletableFuture::join);
        writers.clear();
    }

    /** Written in place under its final name, as a careless producer does, never under .tmp. */
    private static void writeSlowly(Path entry, byte[] body) {
        try (OutputStream out = Files.newOutputStream(entry)) {
            int piece = (body.length + SLOW_PIECES - 1) / SLOW_PIECES;
            for (int from = 0; from < body.length; from += piece) {
                out.write(Arrays.copyOfRange(body, from, Math.min(body.length, from + piece)));
                out.flush();
                Thread.sleep(SLOW_PAUSE_MILLIS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
