package com.novotechno.collections.state;

import com.novotechno.collections.log.LogPosition;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.MacKey;
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
 * <p>Binary, for speed ({@link RecordCodec}), with one SHA-256 over everything before it near its end, and
 * after it that SHA-256's MAC under the folder's key (zeros when unkeyed).
 * Written to a temporary file, forced, then renamed into place: never torn.
 */
final class StoreSnapshot {

    private static final byte[] MAGIC = "novotechno-collections-snapshot\n".getBytes(StandardCharsets.US_ASCII);
    /** Raised whenever the binary form changes: a start sets aside a snapshot of another version. */
    static final int VERSION = 4;
    /** After the SHA-256: the MAC of its hex under the folder's key ({@code <key id>:<64 hex>}), or as many zeros. */
    private static final int MAC_LENGTH = MacKey.ID_HEX_LENGTH + 1 + 64;
    /** The bytes after the body: its SHA-256, then the MAC. */
    static final int TRAILER = 32 + MAC_LENGTH;
    /** Far beyond any book this service holds in memory: a bound on what a damaged count may ask for. */
    private static final long MAX_RECORDS = 100_000_000;
    private static final int MAX_KEYS = 1_000_000;
    private static final int BUFFER = 1 << 20;
    /** Far beyond a record at every limit (a thousand payments with their texts). */
    static final int MAX_RECORD_BYTES = 8 << 20;
    private static final int LONGS_A_CHUNK = 1 << 16;

    /**
     * @param firstEvent  the log's first entry's time: where the ledger's periods begin
     * @param latestEvent the ledger's as-of (the latest entry time it was given), empty for an empty log
     */
    record Contents(LogPosition position, Optional<Instant> firstEvent, Optional<Instant> latestEvent, List<String> liveKeyIds,
                    List<InvoiceRecord> records, Map<String, DunningHold> clientPauses, MessageLocations.Table locations) {
    }

    private StoreSnapshot() {
    }

    /**
     * Writes the snapshot whole and durable under a temporary name beside {@code target}, for the caller
     * to rename into place (see {@link #publish}) or delete.
     */
    static Path writeTemporary(Storage storage, Path target, Contents contents) throws IOException {
        return writeTemporary(storage, target, contents, Keying.NONE);
    }

    /** As {@link #writeTemporary(Storage, Path, Contents)}, sealed under {@code keying}'s key if any, whatever its line. */
    static Path writeTemporary(Storage storage, Path target, Contents contents, Keying keying) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + FileSystemStorage.RUN + "." + UUID.randomUUID()
                + FileSystemStorage.TMP_SUFFIX);
        boolean written = false;
        try {
            try (Storage.AppendFile file = storage.openAppend(tmp)) {
                MessageDigest sha256 = sha256();
                AppendStream appending = new AppendStream(file);
                // Buffered before the digest, so it hashes large chunks rather than every long on its own.
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(appending, sha256), BUFFER));
                writeBody(out, contents);
                out.flush();
                byte[] digest = sha256.digest();
                appending.write(digest);
                appending.write(keying.key()
                        .map(key -> key.mac(MacKey.Purpose.SNAPSHOT, HexFormat.of().formatHex(digest))
                                .getBytes(StandardCharsets.US_ASCII))
                        .orElseGet(() -> new byte[MAC_LENGTH]));
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
        writeTime(out, contents.firstEvent());
        writeTime(out, contents.latestEvent());
        out.writeInt(contents.liveKeyIds().size());
        for (String keyId : contents.liveKeyIds()) {
            RecordCodec.writeText(out, keyId);
        }
        out.writeLong(contents.records().size());
        // Each record behind its length, so a start can decode them in parallel from whole arrays.
        java.io.ByteArrayOutputStream scratch = new java.io.ByteArrayOutputStream(4096);
        DataOutputStream record = new DataOutputStream(scratch);
        if (contents.records() instanceof PackedRecords packed) {
            for (int i = 0; i < packed.size(); i++) {
                byte[] bytes = packed.bytes(i); // a closed invoice's as the book keeps them
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        } else {
            for (InvoiceRecord one : contents.records()) {
                scratch.reset();
                RecordCodec.write(record, one);
                record.flush();
                if (scratch.size() > MAX_RECORD_BYTES) {
                    throw new IllegalStateException("a record of " + scratch.size() + " bytes: " + one.key());
                }
                out.writeInt(scratch.size());
                scratch.writeTo(out);
            }
        }
        out.writeInt(contents.clientPauses().size());
        for (Map.Entry<String, DunningHold> pause : contents.clientPauses().entrySet()) {
            RecordCodec.writeText(out, pause.getKey());
            RecordCodec.writeHold(out, pause.getValue());
        }
        MessageLocations.Table table = contents.locations();
        out.writeInt(table.digests().length);
        out.writeInt(table.size());
        writeLongs(out, table.digests());
        writeLongs(out, table.offsets());
    }

    private static void writeTime(DataOutputStream out, Optional<Instant> time) throws IOException {
        out.writeBoolean(time.isPresent());
        if (time.isPresent()) {
            out.writeLong(time.get().getEpochSecond());
            out.writeInt(time.get().getNano());
        }
    }

    private static Optional<Instant> readTime(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt())) : Optional.empty();
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(LONGS_A_CHUNK * Long.BYTES);
        for (int from = 0; from < values.length; from += LONGS_A_CHUNK) {
            int n = Math.min(LONGS_A_CHUNK, values.length - from);
            chunk.clear();
            chunk.asLongBuffer().put(values, from, n);
            out.write(chunk.array(), 0, n * Long.BYTES);
        }
    }

    /**
     * {@code count} longs, read in chunks before the whole array is allocated: a count bent by damage
     * then ends the read at the file's end instead of asking for gigabytes first.
     */
    private static long[] readLongs(DataInputStream in, int count) throws IOException {
        byte[] bytes = new byte[LONGS_A_CHUNK * Long.BYTES];
        List<long[]> chunks = new ArrayList<>();
        for (int from = 0; from < count; from += LONGS_A_CHUNK) {
            int n = Math.min(LONGS_A_CHUNK, count - from);
            in.readFully(bytes, 0, n * Long.BYTES);
            long[] chunk = new long[n];
            java.nio.ByteBuffer.wrap(bytes, 0, n * Long.BYTES).asLongBuffer().get(chunk);
            chunks.add(chunk);
        }
        long[] values = new long[count];
        int at = 0;
        for (long[] chunk : chunks) {
            System.arraycopy(chunk, 0, values, at, chunk.length);
            at += chunk.length;
        }
        return values;
    }

    /**
     * Reads and checks a snapshot: its checksum, version and every record's invariants.
     *
     * @throws CorruptFileException for anything but a whole snapshot of this version
     */
    static Contents read(Storage storage, Path file) throws IOException {
        return read(storage, file, Keying.NONE);
    }

    /** As {@link #read(Storage, Path)}, also requiring its MAC under {@code keying}'s key if any, whatever its line. */
    static Contents read(Storage storage, Path file, Keying keying) throws IOException {
        MessageDigest sha256 = sha256();
        try (HeldBackTail body = new HeldBackTail(storage.openRead(file), sha256)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(body, BUFFER));
            Contents contents;
            try {
                contents = readBody(in, file);
                if (in.read() != -1) {
                    throw new CorruptFileException(file, "bytes after its contents");
                }
            } catch (EOFException e) {
                throw new CorruptFileException(file, "ends early");
            } catch (java.io.UTFDataFormatException e) {
                throw new CorruptFileException(file, "a text that is not UTF-8");
            } catch (IllegalArgumentException | IllegalStateException | java.time.DateTimeException e) {
                // A bent field (a length, a time out of range) is damage, set aside like a bad checksum.
                throw new CorruptFileException(file, e.getMessage());
            }
            byte[] expected = sha256.digest();
            byte[] tail = body.tail();
            byte[] stored = Arrays.copyOf(tail, Math.min(tail.length, 32));
            if (tail.length != HeldBackTail.TAIL || !Arrays.equals(expected, stored)) {
                throw new CorruptFileException(file, "checksum mismatch: the file says "
                        + HexFormat.of().formatHex(stored) + ", its content hashes to " + HexFormat.of().formatHex(expected));
            }
            byte[] macBytes = Arrays.copyOfRange(tail, 32, tail.length);
            boolean unkeyed = Arrays.equals(macBytes, new byte[MAC_LENGTH]);
            String mac = new String(macBytes, StandardCharsets.US_ASCII);
            if (!unkeyed && MacKey.keyIdOf(mac) == null) {
                throw new CorruptFileException(file, "its MAC field is damaged: neither a MAC nor zeros");
            }
            // Whatever line it stands at: one before keyed_since, unsealed, would set the book a start serves.
            String forged = keying.problem(MacKey.Purpose.SNAPSHOT, Long.MAX_VALUE, HexFormat.of().formatHex(expected),
                    unkeyed ? null : mac);
            if (forged != null) {
                throw new CorruptFileException(file, forged);
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
        Optional<Instant> firstEvent = readTime(in);
        Optional<Instant> latestEvent = readTime(in);
        if (firstEvent.isPresent() != latestEvent.isPresent() || (seq == 0) != latestEvent.isEmpty()) {
            throw new CorruptFileException(file, "the first and latest entry times do not fit seq " + seq);
        }
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
        List<InvoiceRecord> records = RecordBatches.read(in, count, MAX_RECORD_BYTES, seq, file);
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
        if (size < 0 || size > capacity) {
            throw new CorruptFileException(file, "a message table of " + capacity + " slots holding " + size);
        }
        long[] digests = readLongs(in, capacity);
        long[] offsets = readLongs(in, capacity);
        for (int i = 0; i < capacity; i++) {
            if (digests[i] != 0 && offsets[i] >= position.endOffset()) {
                throw new CorruptFileException(file, "a message at byte " + offsets[i] + ", after the snapshot's line");
            }
        }
        Contents contents = new Contents(position, firstEvent, latestEvent, List.copyOf(liveKeyIds), records, clientPauses,
                new MessageLocations.Table(digests, offsets, size));
        if (seq == 0 && (latestEvent.isPresent() || count > 0 || size > 0)) {
            // Before the first line there is nothing to hold: a start would add it to a replay of the whole log.
            throw new CorruptFileException(file, "at seq 0 yet holding records, messages or an event time");
        }
        return contents;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * A file's bytes but its last {@link #TAIL} (the checksum and the MAC), hashed in the large chunks they are read
     * in; the tail is held back and given by {@link #tail} once the rest is read.
     */
    private static final class HeldBackTail extends InputStream {
        private static final int TAIL = TRAILER;
        private final InputStream raw;
        private final MessageDigest digest;
        private final byte[] buffer = new byte[BUFFER + TAIL];
        /** buffer[start, end) is read from the file and not yet given out; its last TAIL bytes may be the tail. */
        private int start;
        private int end;
        private boolean eof;

        HeldBackTail(InputStream raw, MessageDigest digest) {
            this.raw = raw;
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int at, int length) throws IOException {
            while (end - start <= TAIL && !eof) {
                fill();
            }
            int available = end - start - TAIL;
            if (available <= 0) {
                return -1;
            }
            int n = Math.min(length, available);
            System.arraycopy(buffer, start, into, at, n);
            digest.update(buffer, start, n);
            start += n;
            return n;
        }

        private void fill() throws IOException {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
            int n = raw.read(buffer, end, buffer.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }

        /** The last bytes of the file, once everything before them was read (fewer if the file is shorter). */
        byte[] tail() throws IOException {
            while (!eof) {
                fill();
            }
            return Arrays.copyOfRange(buffer, start, end);
        }

        @Override
        public void close() throws IOException {
            raw.close();
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
