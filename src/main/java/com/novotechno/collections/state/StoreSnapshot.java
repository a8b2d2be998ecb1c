package com.novotechno.collections.state;

import com.novotechno.collections.log.LogPosition;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Storage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a start would otherwise rebuild by reading the whole log, as it stood after one log line:
 * every record of the book, the whole clients' pauses, the message locations (deduplication), the
 * ledger's as-of, the live keys' ids, and that line's seq, hash and byte offsets. A start loads it,
 * confirms that the log still holds that line with that hash, and reads only the lines after it.
 *
 * <p>It is derived, like the state files: a snapshot that is damaged, missing, of another version or
 * disagreeing with the log is set aside for a whole replay, so it never outvotes the log. It holds
 * clear text (as state files do): owner-only, and deleted at once by an erasure.
 *
 * <p>Binary, for speed ({@link RecordCodec}), with one SHA-256 over everything before it at its end.
 * Written to a temporary file, forced, then renamed into place: never torn.
 */
final class StoreSnapshot {

    private static final byte[] MAGIC = "novotechno-collections-snapshot\n".getBytes(StandardCharsets.US_ASCII);
    /** Raised whenever the binary form changes: a start sets aside a snapshot of another version. */
    static final int VERSION = 1;
    /** Far beyond any book this service holds in memory: a bound on what a damaged count may ask for. */
    private static final long MAX_RECORDS = 100_000_000;
    private static final int MAX_KEYS = 1_000_000;
    private static final int BUFFER = 1 << 20;

    /**
     * @param latestEvent the ledger's as-of (the latest entry time it was given), empty for an empty log
     */
    record Contents(LogPosition position, Optional<Instant> latestEvent, List<String> liveKeyIds,
                    List<InvoiceRecord> records, Map<String, DunningHold> clientPauses, MessageLocations.Table locations) {
    }

    private StoreSnapshot() {
    }

    /**
     * Writes the snapshot whole and durable under a temporary name beside {@code target}, for the caller
     * to rename into place (see {@link #publish}) or delete.
     */
    static Path writeTemporary(Storage storage, Path target, Contents contents) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + FileSystemStorage.TMP_SUFFIX);
        boolean written = false;
        try {
            try (Storage.AppendFile file = storage.openAppend(tmp)) {
                MessageDigest sha256 = sha256();
                DigestOutputStream digesting = new DigestOutputStream(new BufferedOutputStream(new AppendStream(file), BUFFER), sha256);
                DataOutputStream out = new DataOutputStream(digesting);
                writeBody(out, contents);
                out.flush();
                digesting.on(false);
                out.write(sha256.digest());
                out.flush();
                file.force();
            }
            written = true;
            return tmp;
        } finally {
            if (!written) {
                storage.deleteIfExists(tmp);
            }
        }
    }

    /** Renames a written snapshot into place, durably: a crash leaves the old one or this one. */
    static void publish(Storage storage, Path tmp, Path target) throws IOException {
        storage.move(tmp, target);
    }

    private static void writeBody(DataOutputStream out, Contents contents) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        LogPosition position = contents.position();
        out.writeLong(position.seq());
        out.writeUTF(position.hash());
        out.writeLong(position.lineOffset());
        out.writeLong(position.endOffset());
        out.writeBoolean(contents.latestEvent().isPresent());
        if (contents.latestEvent().isPresent()) {
            out.writeLong(contents.latestEvent().get().getEpochSecond());
            out.writeInt(contents.latestEvent().get().getNano());
        }
        out.writeInt(contents.liveKeyIds().size());
        for (String keyId : contents.liveKeyIds()) {
            RecordCodec.writeText(out, keyId);
        }
        out.writeLong(contents.records().size());
        for (InvoiceRecord record : contents.records()) {
            RecordCodec.write(out, record);
        }
        out.writeInt(contents.clientPauses().size());
        for (Map.Entry<String, DunningHold> pause : contents.clientPauses().entrySet()) {
            RecordCodec.writeText(out, pause.getKey());
            RecordCodec.writeHold(out, pause.getValue());
        }
        MessageLocations.Table table = contents.locations();
        out.writeInt(table.digests().length);
        out.writeInt(table.size());
        for (long digest : table.digests()) {
            out.writeLong(digest);
        }
        for (long offset : table.offsets()) {
            out.writeLong(offset);
        }
    }

    /**
     * Reads and checks a snapshot: its checksum, version and every record's invariants.
     *
     * @throws CorruptFileException for anything but a whole snapshot of this version
     */
    static Contents read(Storage storage, Path file) throws IOException {
        MessageDigest sha256 = sha256();
        try (InputStream raw = new BufferedInputStream(storage.openRead(file), BUFFER)) {
            DigestInputStream digesting = new DigestInputStream(raw, sha256);
            DataInputStream in = new DataInputStream(digesting);
            Contents contents;
            try {
                contents = readBody(in, file);
            } catch (EOFException e) {
                throw new CorruptFileException(file, "ends early");
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CorruptFileException(file, e.getMessage());
            }
            digesting.on(false);
            byte[] expected = sha256.digest();
            byte[] stored = raw.readNBytes(expected.length);
            if (!Arrays.equals(expected, stored)) {
                throw new CorruptFileException(file, "checksum mismatch: the file says "
                        + HexFormat.of().formatHex(stored) + ", its content hashes to " + HexFormat.of().formatHex(expected));
            }
            if (raw.read() != -1) {
                throw new CorruptFileException(file, "bytes after the checksum");
            }
            return contents;
        }
    }

    private static Contents readBody(DataInputStream in, Path file) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptFileException(file, "not a snapshot");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new CorruptFileException(file, "version " + version + ", not " + VERSION);
        }
        long seq = in.readLong();
        String hash = in.readUTF();
        if (!Sha256.isHex(hash)) {
            throw new CorruptFileException(file, "no hash");
        }
        LogPosition position = new LogPosition(seq, hash, in.readLong(), in.readLong());
        Optional<Instant> latestEvent = in.readBoolean()
                ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt())) : Optional.empty();
        int keys = in.readInt();
        if (keys < 0 || keys > MAX_KEYS) {
            throw new CorruptFileException(file, keys + " keys");
        }
        List<String> liveKeyIds = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            liveKeyIds.add(RecordCodec.readText(in));
        }
        long count = in.readLong();
        if (count < 0 || count > MAX_RECORDS) {
            throw new CorruptFileException(file, count + " records");
        }
        RecordCodec codec = new RecordCodec();
        List<InvoiceRecord> records = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            InvoiceRecord record = codec.readRecord(in);
            if (record.lastSeq() > seq) {
                throw new CorruptFileException(file, record.key() + " is at seq " + record.lastSeq() + ", after the snapshot's " + seq);
            }
            records.add(record);
        }
        int pauses = in.readInt();
        if (pauses < 0 || pauses > count) {
            throw new CorruptFileException(file, pauses + " pauses");
        }
        Map<String, DunningHold> clientPauses = new LinkedHashMap<>();
        for (int i = 0; i < pauses; i++) {
            clientPauses.put(RecordCodec.readText(in), RecordCodec.readHold(in));
        }
        int capacity = in.readInt();
        int size = in.readInt();
        if (capacity < 0 || capacity > (1 << 28)) {
            throw new CorruptFileException(file, "a message table of " + capacity + " slots");
        }
        long[] digests = new long[capacity];
        long[] offsets = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            digests[i] = in.readLong();
        }
        for (int i = 0; i < capacity; i++) {
            offsets[i] = in.readLong();
            if (digests[i] != 0 && offsets[i] >= position.endOffset()) {
                throw new CorruptFileException(file, "a message at byte " + offsets[i] + ", after the snapshot's line");
            }
        }
        return new Contents(position, latestEvent, List.copyOf(liveKeyIds), records, clientPauses,
                new MessageLocations.Table(digests, offsets, size));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The temporary file as a stream; the buffer in front of it makes each append a large one. */
    private static final class AppendStream extends OutputStream {
        private final Storage.AppendFile file;

        AppendStream(Storage.AppendFile file) {
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            file.append(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            file.append(offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length));
        }
    }
}
