package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Printable;
import com.novotechno.collections.state.InvoiceFiles.Location;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.MacKey;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares state files with the states the event log implies, and rewrites those that differ.
 * The one mechanism by which every state file is brought back to the log: after a crash for the
 * invoices it may have touched, after a log lost its tail, and in the check after start that walks
 * every file. A state file's own checksum proves only that it is whole, not that it is true: anyone
 * who can edit the file can reseal it, so the comparison is with the log, field by field.
 */
public final class StateAudit {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough differing fields to say what was changed without flooding a report. */
    private static final int MAX_FIELDS_REPORTED = 3;

    /** What an audit found and, unless it only looked, rewrote: one line per file, naming it. */
    public record Report(List<String> repairs) {
        public Report {
            repairs = List.copyOf(repairs);
        }
    }

    private final Storage storage;
    private final DataLayout layout;
    private final InvoiceFiles invoices;

    public StateAudit(Storage storage, DataLayout layout) {
        this.storage = storage;
        this.layout = layout;
        this.invoices = new InvoiceFiles(storage, layout);
    }

    /**
     * Checks one invoice's files against the state the log implies: its file where the status puts
     * it, with exactly the bytes the service writes, and none in the other folder.
     *
     * @param repair rewrite what differs (write the right file first, then remove the wrong one, so
     *               a crash in between leaves the invoice findable, and the next check finishes)
     * @return one line per file that differed, naming it and what differed
     */
    public List<String> check(InvoiceRecord expected, boolean repair) throws IOException {
        return check(expected, repair, false);
    }

    /** The invoice's state file (once issued) and the file of its held payments (while it has any). */
    List<String> check(InvoiceRecord expected, boolean repair, boolean besideWriter) throws IOException {
        List<String> found = new ArrayList<>();
        if (expected.key().isWholeClient()) {
            return found; // a whole client's pause lives in the log alone: no file derives from it
        }
        if (expected.invoice().isPresent()) {
            found.addAll(check(expected.invoice().get(), repair, besideWriter));
        }
        Path file = UnappliedFiles.path(layout, expected.key());
        if (expected.unapplied().isEmpty()) {
            return found; // a file left over is found by the walk for unknown files
        }
        byte[] bytes = UnappliedFiles.encode(expected.key(), expected.unapplied(), layout.keying());
        if (!storage.exists(file)) {
            found.add(relative(file) + ": missing; the log has " + expected.unapplied().size()
                    + " payments held under " + expected.key());
        } else {
            byte[] actual = read(file);
            if (!Arrays.equals(actual, bytes)) {
                found.add(relative(file) + ": " + difference(actual, bytes, file));
            }
        }
        if (repair && !found.isEmpty()) {
            storage.createDirectories(file.getParent());
            storage.writeAtomically(file, bytes);
        }
        return found;
    }

    /**
     * @param besideWriter a service may be applying entries the caller's read of the log did not
     *                     include: a file that reflects a later seq than {@code expected} is not a fault
     */
    private List<String> check(InvoiceState expected, boolean repair, boolean besideWriter) throws IOException {
        Location where = InvoiceFiles.locationOf(expected);
        Path file = invoices.path(expected.key(), where);
        Path other = invoices.path(expected.key(), where == Location.OPEN ? Location.ARCHIVE : Location.OPEN);
        byte[] bytes = StateCodec.encode(expected, layout.keying());
        List<String> found = new ArrayList<>();
        boolean otherExists = storage.exists(other);
        if (storage.exists(file)) {
            byte[] actual = read(file);
            if (besideWriter && reflectsLaterSeq(actual, expected, file)) {
                return found;
            }
            if (!Arrays.equals(actual, bytes)) {
                found.add(relative(file) + ": " + difference(actual, bytes, file));
            }
            if (otherExists) {
                found.add(relative(other) + ": a second file for invoice " + expected.key() + ", which the log has as "
                        + expected.status().wireName());
            }
        } else if (otherExists) {
            byte[] actual = read(other);
            if (besideWriter && reflectsLaterSeq(actual, expected, other)) {
                return found;
            }
            boolean same = Arrays.equals(actual, bytes);
            if (same) {
                found.add(relative(other) + ": " + (where == Location.ARCHIVE ? "closed but not archived"
                        : "reopened but still in the archive") + " (a move a crash interrupted; the next start finishes it)");
                if (repair) {
                    invoices.completeMove(expected.key(), where);
                }
                return found;
            }
            found.add(relative(other) + ": in the wrong folder: the log has invoice " + expected.key() + " as "
                    + expected.status().wireName() + (same ? "" : "; " + difference(actual, bytes, other)));
        } else {
            found.add(relative(file) + ": missing; the log has invoice " + expected.key() + " as "
                    + expected.status().wireName() + " at seq " + expected.lastSeq());
        }
        if (repair && !found.isEmpty()) {
            storage.createDirectories(file.getParent());
            storage.writeAtomically(file, bytes);
            storage.deleteIfExists(other);
        }
        return found;
    }

    /** A file under state/, with the invoice key its name gives and what it holds. */
    public record StateFile(Path path, InvoiceKey key, boolean heldPayments) {
        /** Whether the record accounts for this file: else the log has nothing it could hold. */
        public boolean describedBy(InvoiceRecord record) {
            return heldPayments ? !record.unapplied().isEmpty() : record.invoice().isPresent();
        }
    }

    /** Every state file and held payments file: the candidates for {@link #removeUnknown}. */
    public List<StateFile> stateFiles() throws IOException {
        List<StateFile> files = new ArrayList<>();
        for (Path entry : entries()) {
            files.addAll(filesUnder(entry));
        }
        return files;
    }

    /**
     * What lies directly in state/open, state/archive and state/unapplied: a folder per client (and whatever
     * else someone put there). Together the files under them are {@link #stateFiles}, so a walk can take them in turns.
     */
    public List<Path> entries() throws IOException {
        List<Path> entries = new ArrayList<>();
        for (Path root : roots()) {
            entries.addAll(storage.list(root));
        }
        return entries;
    }

    /** The state files and held payments files under one of the {@link #entries}, or it itself when it is one. */
    public List<StateFile> filesUnder(Path entry) throws IOException {
        Path root = entry.getParent();
        if (root == null || !roots().contains(root)) {
            throw new IllegalArgumentException(entry + " does not lie directly in a state folder");
        }
        // A linked folder is no client's: listed as itself (no state file's name), never followed out of the folder.
        List<Path> found = !storage.isSymbolicLink(entry) && storage.isDirectory(entry)
                ? storage.listFilesRecursively(entry) : List.of(entry);
        List<StateFile> files = new ArrayList<>();
        for (Path file : found) {
            Optional<InvoiceKey> key = InvoiceFiles.keyOf(file);
            if (!FileSystemStorage.isTemporaryFile(file) && key.isPresent()) {
                files.add(new StateFile(file, key.get(), root.equals(layout.unappliedState())));
            }
        }
        return files;
    }

    private List<Path> roots() {
        return List.of(layout.openState(), layout.archiveState(), layout.unappliedState());
    }

    /**
     * A file the log has nothing for: reported, and removed when {@code repair}. The caller has made
     * sure of that, and that it cannot change meanwhile.
     */
    public String removeUnknown(StateFile file, boolean repair) throws IOException {
        if (repair) {
            storage.deleteIfExists(file.path());
        }
        return relative(file.path()) + (file.heldPayments() ? ": the log holds no payment for " : ": the log has no invoice ")
                + file.key();
    }

    private static boolean reflectsLaterSeq(byte[] actual, InvoiceState expected, Path file) {
        try {
            return StateCodec.decode(actual, file).lastSeq() > expected.lastSeq();
        } catch (CorruptFileException e) {
            return false;
        }
    }

    /**
     * A file as this audit can judge it: without a key, a MAC cannot be checked, and a file that carries
     * one is compared as if it did not (the MAC's member taken out exactly as the service writes it).
     */
    private byte[] read(Path file) throws IOException {
        byte[] bytes = storage.read(file, Limits.MAX_STATE_FILE_BYTES);
        return layout.keying().keyed() ? bytes : ChecksummedJson.withoutMac(bytes);
    }

    /** Says how a file differs from what the log implies: its seal broken, or which fields are not the log's. */
    String difference(byte[] actual, byte[] expected, Path file) {
        ObjectNode found;
        try {
            found = ChecksummedJson.decode(actual, file);
        } catch (CorruptFileException e) {
            return e.problem();
        }
        ObjectNode wanted;
        try {
            wanted = (ObjectNode) JSON.readTree(expected);
        } catch (IOException e) {
            throw new IllegalStateException("the service's own state encoding does not parse", e);
        }
        long lastSeq = wanted.path("last_seq").asLong();
        long claimed = found.path("last_seq").asLong(0);
        if (claimed > lastSeq) {
            return "reflects log seq " + claimed + ", beyond the log's last entry for the invoice (" + lastSeq + ")";
        }
        Set<String> fields = new LinkedHashSet<>();
        wanted.fieldNames().forEachRemaining(fields::add);
        found.fieldNames().forEachRemaining(fields::add);
        fields.remove(ChecksummedJson.CHECKSUM_KEY);
        fields.remove(ChecksummedJson.MAC_KEY);
        List<String> differing = new ArrayList<>();
        for (Iterator<String> names = fields.iterator(); names.hasNext() && differing.size() < MAX_FIELDS_REPORTED; ) {
            String name = names.next();
            JsonNode is = found.get(name);
            JsonNode should = wanted.get(name);
            if (is == null || !is.equals(should)) {
                // toString() is the value's JSON form: quoted and escaped, so nothing in it reaches a terminal raw.
                differing.add(name + " is " + (is == null ? "absent" : abbreviate(is.toString())) + " where the log implies "
                        + (should == null ? "none" : abbreviate(should.toString())));
            }
        }
        String macProblem = macDifference(actual, wanted);
        if (differing.isEmpty()) {
            return macProblem != null ? macProblem
                    : "checksum holds but the layout is not the one the service writes (edited by hand?)";
        }
        return "differs from the log: " + String.join("; ", differing) + (macProblem != null ? "; " + macProblem : "");
    }

    /**
     * How the file's MAC differs from the one the service writes for it, or null when it does not, or when
     * it is genuine for what the file says: a file of another state (an older one, another invoice's) is
     * stale or misplaced, not resealed, and its fields say how.
     */
    private String macDifference(byte[] actual, ObjectNode wanted) {
        String is;
        String checksum;
        try {
            JsonNode file = JSON.readTree(actual);
            is = file.path(ChecksummedJson.MAC_KEY).textValue();
            checksum = file.path(ChecksummedJson.CHECKSUM_KEY).textValue();
        } catch (IOException e) {
            return null; // the seal's own problem is reported instead
        }
        String should = wanted.path(ChecksummedJson.MAC_KEY).textValue();
        if (java.util.Objects.equals(is, should)) {
            return null;
        }
        if (is == null) {
            return "it carries no MAC, though the service seals it under key " + MacKey.keyIdOf(should)
                    + " (resealed by someone without the key)";
        }
        if (should == null) {
            return "it carries a MAC where the service writes none (it reflects only lines written before the key existed)";
        }
        if (layout.keying().key().orElseThrow().problem(MacKey.Purpose.STATE_FILE, checksum, is) == null) {
            return null;
        }
        String keyId = MacKey.keyIdOf(is);
        if (keyId == null) {
            return "its MAC is not of the form <key id>:<64 hex>";
        }
        if (!keyId.equals(MacKey.keyIdOf(should))) {
            return "its MAC was made with key " + keyId + ", not this service's key " + MacKey.keyIdOf(should);
        }
        return "its MAC does not match its content (resealed by someone without the key)";
    }

    /** Bounded, and escaped: a value from a file someone edited must not reach a terminal or log raw. */
    private static String abbreviate(String text) {
        return Printable.escape(text.length() <= 80 ? text : text.substring(0, 80) + "...");
    }

    private String relative(Path file) {
        return layout.root().relativize(file.toAbsolutePath()).toString();
    }
}
