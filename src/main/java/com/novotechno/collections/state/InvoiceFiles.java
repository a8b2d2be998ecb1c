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
 * The state files: {@code state/open/<client>/<invoice>.json} while unpaid or escalated,
 * {@code state/archive/<client>/<invoice>.json} once paid.
 *
 * <p>Archiving is "write the paid state in place, then rename into the archive": a rename is
 * atomic, so at every instant, crash or not, the invoice has exactly one file. A paid file
 * still under open/ is a move a crash interrupted; {@link #completeArchive} finishes it.
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

    /** Writes the next state of an invoice whose file is now at {@code from} (empty for a new invoice). */
    public void write(InvoiceState next, Optional<Location> from) throws IOException {
        if (from.isPresent() && from.get() == Location.ARCHIVE) {
            // A paid invoice changes only by feedback on its requests, and stays paid: rewritten where it is.
            if (next.status() != InvoiceStatus.PAID) {
                throw new IllegalStateException("archived invoice " + next.key() + " cannot become " + next.status());
            }
            Path archive = path(next.key(), Location.ARCHIVE);
            storage.createDirectories(archive.getParent());
            storage.writeAtomically(archive, StateCodec.encode(next));
            return;
        }
        Path open = path(next.key(), Location.OPEN);
        storage.createDirectories(open.getParent());
        storage.writeAtomically(open, StateCodec.encode(next));
        if (next.status() == InvoiceStatus.PAID) {
            completeArchive(next.key());
        }
    }

    public void completeArchive(InvoiceKey key) throws IOException {
        Path archive = path(key, Location.ARCHIVE);
        storage.createDirectories(archive.getParent());
        storage.move(path(key, Location.OPEN), archive);
    }

    /** The highest last_seq of any state file, reading every one: for the rare checks that need certainty. */
    public long highestLastSeq() throws IOException {
        long highest = 0;
        for (Location location : Location.values()) {
            for (Path file : storage.listFilesRecursively(root(location))) {
                Optional<InvoiceKey> key = keyOf(file);
                if (key.isPresent() && !FileSystemStorage.isTemporaryFile(file)) {
                    highest = Math.max(highest, readFile(file, key.get()).lastSeq());
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
