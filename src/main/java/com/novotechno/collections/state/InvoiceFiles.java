package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The state files: {@code state/open/<client>/<invoice>.json} while open (unpaid or escalated),
 * {@code state/archive/<client>/<invoice>.json} once closed (paid, credited, void, written off).
 *
 * <p>Archiving is "write the closed state in place, then rename into the archive", and reopening
 * the same the other way: a rename is atomic, so at every instant, crash or not, the invoice has
 * exactly one file. A file whose status belongs in the other folder is a move a crash
 * interrupted; {@link #completeMove} finishes it.
 */
public final class InvoiceFiles {

    /** Where an invoice's file is. */
    public enum Location { OPEN, ARCHIVE }

    public record Stored(InvoiceState state, Location location) {
    }

    private final Storage storage;
    private final DataLayout layout;

    public InvoiceFiles(Storage storage, DataLayout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    /** Where an invoice in this state has its file. */
    public static Location locationOf(InvoiceState state) {
        return state.status().isOpen() ? Location.OPEN : Location.ARCHIVE;
    }

    public Path path(InvoiceKey key, Location location) {
        if (key.isWholeClient()) {
            throw new IllegalArgumentException("a whole client's key " + key + " has no state file");
        }
        Path root = location == Location.OPEN ? layout.openState() : layout.archiveState();
        // InvoiceKey admits only names that cannot climb out of the folder; check the result anyway.
        Path path = root.resolve(key.client()).resolve(key.invoiceNumber() + ".json").normalize();
        if (!path.getParent().getParent().equals(root)) {
            throw new IllegalStateException("invoice path escapes " + root + ": " + path);
        }
        return path;
    }

    public Optional<Stored> read(InvoiceKey key) throws IOException {
        Path open = path(key, Location.OPEN);
        Path archive = path(key, Location.ARCHIVE);
        boolean inOpen = storage.exists(open);
        boolean inArchive = storage.exists(archive);
        if (inOpen && inArchive) {
            throw new CorruptFileException(open, "the invoice is also in " + archive + "; one of them is wrong");
        }
        if (!inOpen && !inArchive) {
            return Optional.empty();
        }
        Location location = inOpen ? Location.OPEN : Location.ARCHIVE;
        return Optional.of(new Stored(readFile(path(key, location), key), location));
    }

    /** Where the invoice's file is now, without reading it: the open folder first, where a move leaves it. */
    public Optional<Location> locate(InvoiceKey key) {
        if (storage.exists(path(key, Location.OPEN))) {
            return Optional.of(Location.OPEN);
        }
        return storage.exists(path(key, Location.ARCHIVE)) ? Optional.of(Location.ARCHIVE) : Optional.empty();
    }

    /** Reads and checks one state file, including that it is where its content says it belongs. */
    public InvoiceState readFile(Path file, InvoiceKey expected) throws IOException {
        return decode(storage.read(file, Limits.MAX_STATE_FILE_BYTES), file, expected);
    }

    /** Checks the bytes of one state file, including that they belong at {@code file}. */
    static InvoiceState decode(byte[] bytes, Path file, InvoiceKey expected) throws CorruptFileException {
        InvoiceState state = StateCodec.decode(bytes, file);
        if (!state.key().equals(expected)) {
            throw new CorruptFileException(file, "holds invoice " + state.key() + ", not " + expected);
        }
        return state;
    }

    /**
     * Writes the next state of an invoice whose file is now at {@code from} (empty for a new invoice).
     * A change of folder (closed: into the archive; reopened by a reversed payment: back out) writes the
     * new state in place and then renames it: a rename is atomic, so at every instant, crash or not, the
     * invoice has exactly one file, and one whose content says where it belongs.
     */
    public void write(InvoiceState next, Optional<Location> from) throws IOException {
        Location to = locationOf(next);
        Location at = from.orElse(to);
        Path file = path(next.key(), at);
        storage.createDirectories(file.getParent());
        storage.writeAtomically(file, StateCodec.encode(next, layout.keying()));
        if (at != to) {
            completeMove(next.key(), to);
        }
    }

    /** Moves the invoice's file into {@code to} from the other folder: finishes a move a crash interrupted, too. */
    public void completeMove(InvoiceKey key, Location to) throws IOException {
        Path target = path(key, to);
        storage.createDirectories(target.getParent());
        storage.move(path(key, to == Location.OPEN ? Location.ARCHIVE : Location.OPEN), target);
    }

    /**
     * The highest last_seq of any state file, reading every one: for the rare checks that need
     * certainty. A file that does not decode (torn by a power cut before its checkpoint) counts for nothing.
     */
    public long highestLastSeq() throws IOException {
        long highest = 0;
        for (Location location : Location.values()) {
            for (Path file : storage.listFilesRecursively(root(location))) {
                Optional<InvoiceKey> key = keyOf(file);
                if (key.isPresent() && !FileSystemStorage.isTemporaryFile(file)) {
                    try {
                        highest = Math.max(highest, readFile(file, key.get()).lastSeq());
                    } catch (CorruptFileException torn) {
                        // no evidence either way
                    }
                }
            }
        }
        return highest;
    }

    /** The invoice key a state file's path names, or empty for a name that is not one. */
    public static Optional<InvoiceKey> keyOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".json") || file.getParent() == null) {
            return Optional.empty();
        }
        String client = file.getParent().getFileName().toString();
        String invoice = name.substring(0, name.length() - ".json".length());
        return InvoiceKey.isValidName(client) && InvoiceKey.isValidName(invoice)
                ? Optional.of(new InvoiceKey(client, invoice))
                : Optional.empty();
    }

    public Path root(Location location) {
        return location == Location.OPEN ? layout.openState() : layout.archiveState();
    }
}
