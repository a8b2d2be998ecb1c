package com.novotechno.collections.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.storage.BoundedLineReader;
import com.novotechno.collections.storage.Jcs;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.MacKey;
import com.novotechno.collections.storage.Storage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained event log: the source of truth from which every state file
 * and the ledger can be rebuilt.
 *
 * <p>Appending is two steps so that concurrent writers share fsyncs (group commit):
 * {@link #write} puts a line in the file under a short lock, {@link #awaitDurable} returns once
 * an fsync has covered it. Whoever finds its line not yet durable forces the file for everyone
 * written so far; the others find their line covered when they get the lock.
 *
 * <p>After any write or fsync error the log refuses all further work: after a failed fsync
 * the kernel may have dropped the dirty pages, so the only safe path is a restart that
 * re-reads the file.
 */
public final class EventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    public static final String FILE_NAME = "events.log";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Storage.AppendFile file;
    private final Ownership ownership;
    private final Keying keying;
    private final ReentrantLock forceLock = new ReentrantLock();
    private final Object writeLock = new Object();

    // Guarded by writeLock.
    private long lastSeq;
    private String lastHash;
    /** Where the next line starts: the length of the file's whole lines. */
    private long endOffset;
    /** Where the last line starts. */
    private long lastLineOffset;
    private IOException failure;

    private volatile long durableSeq;
    private volatile LogSyncs syncs = LogSyncs.NONE;

    private EventLog(Storage.AppendFile file, Ownership ownership, LogPosition last, Keying keying) {
        this.file = file;
        this.ownership = ownership;
        this.keying = keying;
        this.lastSeq = last.seq();
        this.lastHash = last.hash();
        this.lastLineOffset = last.lineOffset();
        this.endOffset = last.endOffset();
        this.durableSeq = lastSeq;
    }

    /** A line just written, and the byte offset at which it starts. */
    public record Appended(LogEntry entry, long offset) {
    }

    /** What opening found: how many entries, and the torn tail it cut off, if any. */
    public record OpenReport(long entries, Optional<String> repairedTail) {
    }

    /**
     * Asked before a torn last line is cut: a line whose entry anything was derived from was
     * fsynced once, so it is damage after the fact, not a torn write, and must not be cut.
     */
    @FunctionalInterface
    public interface TornTailGuard {
        /**
         * @param seq the seq the cut line would have had
         * @param line the cut line as far as it parses as JSON, or null
         */
        void allowCut(long seq, ObjectNode line) throws IOException;
    }

    /** Checked before each group commit: throws once this process no longer owns the log's folder. */
    @FunctionalInterface
    public interface Ownership {
        void requireHeld() throws IOException;
    }

    /** Opens without an ownership check: for a log no other process can reach (benchmarks, tests). */
    public static EventLog open(Storage storage, Path path, LogEntryVisitor visitor, TornTailGuard guard,
                                Consumer<OpenReport> report) throws IOException {
        return open(storage, path, visitor, guard, report, () -> { });
    }

    /**
     * Opens the log for appending, verifying every line. A bad last line is what a crash
     * mid-append leaves: it is cut off (its bytes kept beside the log) and reported. A bad line
     * anywhere before the last means damage no crash causes, and the log refuses to open.
     *
     * @param visitor receives every intact entry in order, to replay what the state lacks
     * @param ownership checked before every fsync of appended lines; its failure fails the log
     */
    public static EventLog open(Storage storage, Path path, LogEntryVisitor visitor, TornTailGuard guard,
                                Consumer<OpenReport> report, Ownership ownership) throws IOException {
        return open(storage, path, visitor, guard, report, ownership, LogPosition.START, Keying.NONE);
    }

    /**
     * Whether the log still holds the line {@code position} names, intact, with its seq and hash: what
     * a snapshot taken there needs before the log is opened after it (and the lines before it are not read).
     */
    public static boolean holds(Storage storage, Path path, LogPosition position, Keying keying) throws IOException {
        if (position.seq() == 0) {
            return true;
        }
        long length = position.endOffset() - position.lineOffset();
        if (!storage.exists(path) || length < 2 || length > Limits.MAX_LOG_LINE_BYTES) {
            return false;
        }
        byte[] line;
        try (InputStream in = storage.openRead(path)) {
            in.skipNBytes(position.lineOffset());
            line = in.readNBytes((int) length);
        } catch (java.io.EOFException shorter) {
            return false;
        }
        return line.length == length && line[line.length - 1] == '\n'
                && LogScanner.holds(java.util.Arrays.copyOf(line, line.length - 1), position, keying);
    }

    /**
     * As {@link #open(Storage, Path, LogEntryVisitor, TornTailGuard, Consumer, Ownership)}, reading and
     * checking only the lines after {@code start}, which the caller has confirmed with {@link #holds}:
     * a start from a snapshot. The visitor sees only those lines.
     *
     * @param keying the MAC key every line read must carry from its seq on, and new lines are sealed with
     */
    public static EventLog open(Storage storage, Path path, LogEntryVisitor visitor, TornTailGuard guard,
                                Consumer<OpenReport> report, Ownership ownership, LogPosition start, Keying keying)
            throws IOException {
        // A killed predecessor's last lines may sit in the page cache only. Make them durable
        // before anything is derived from them, or a power loss could take back an entry that
        // state files, the index and acknowledged duplicates already rely on.
        try (Storage.AppendFile file = storage.openAppend(path)) {
            file.force();
        }
        LogScanner.Result result;
        // Reading the log and applying its entries take a core each (PipelinedVisitor).
        try (InputStream in = storage.openRead(path); PipelinedVisitor replay = new PipelinedVisitor(visitor)) {
            in.skipNBytes(start.endOffset());
            result = LogScanner.scan(in, replay, start, keying);
            replay.finish();
        }
        Optional<String> repaired = Optional.empty();
        if (!result.intact()) {
            LogScanner.Fault first = result.faults().get(0);
            switch (result.repair()) {
                case CUT -> {
                    guard.allowCut(result.lastSeq() + 1, result.faultyLastLine());
                    Path kept = keepCutBytes(storage, path, result.goodBytes());
                    storage.truncate(path, result.goodBytes());
                    repaired = Optional.of(path + " " + first + "; cut at byte " + result.goodBytes()
                            + ", the cut bytes kept in " + kept.getFileName());
                }
                case ADD_NEWLINE -> {
                    try (Storage.AppendFile file = storage.openAppend(path)) {
                        file.append(new byte[] {'\n'});
                        file.force();
                    }
                    repaired = Optional.of(path + " " + first + "; newline added, entry kept");
                }
                case NONE -> throw new LogCorruptionException(path + " " + first
                        + (result.faults().size() > 1 ? " (and " + (result.faults().size() - 1) + " more faults)" : "")
                        + ": the log is damaged in a way no crash causes; restore it from a backup or see 'verify'");
            }
        }
        // Lines the key file says existed are gone: the next ones would be written below keyed_since, unkeyed.
        String cut = keying.lengthProblem(result.lastSeq());
        if (cut != null) {
            throw new LogCorruptionException(path + " " + cut);
        }
        report.accept(new OpenReport(result.lastSeq(), repaired));
        Storage.AppendFile file = storage.openAppend(path);
        long size = result.goodBytes() + (result.repair() == LogScanner.Repair.ADD_NEWLINE ? 1 : 0);
        if (file.size() != size) {
            file.close();
            throw new LogCorruptionException(path + " changed while it was being opened");
        }
        LogPosition last = result.lastPosition(start);
        return new EventLog(file, ownership, new LogPosition(last.seq(), last.hash(), last.lineOffset(), size), keying);
    }

    /**
     * The log's last intact line (its own hash and form hold) and the MAC it carries, read from the file's
     * end: what deciding whether a folder's log is keyed, and from where, needs without reading the log.
     * A last line an open would cut (torn, or whole with a wrong hash) is passed over for the one before it,
     * as the open keeps it. Empty for a missing or empty log. Forces the log to disk first.
     */
    public record LastLine(long seq, String hash, Optional<String> mac) {
    }

    public static Optional<LastLine> lastLine(Storage storage, Path path) throws IOException {
        if (!storage.exists(path)) {
            return Optional.empty();
        }
        byte[] tail;
        try (Storage.AppendFile file = storage.openAppend(path)) {
            // A killed writer's last lines may sit in the page cache only: a key made after them must not outlive them.
            file.force();
            long from = Math.max(0, file.size() - 2L * Limits.MAX_LOG_LINE_BYTES);
            tail = file.readAt(from, 2 * Limits.MAX_LOG_LINE_BYTES);
        }
        // Newest first: the segments between newlines; the first may be a partial line, the last a torn one.
        int end = tail.length;
        while (end > 0) {
            int start = end;
            while (start > 0 && tail[start - 1] != '\n') {
                start--;
            }
            byte[] line = java.util.Arrays.copyOfRange(tail, start, end);
            Optional<LogEntry> entry = line.length == 0 || !LogScanner.intact(line) ? Optional.empty() : decode(line);
            if (entry.isPresent()) {
                JsonNode mac = JSON.readTree(line).get("mac");
                return Optional.of(new LastLine(entry.get().seq(), entry.get().hash(),
                        Optional.ofNullable(mac).filter(JsonNode::isTextual).map(JsonNode::textValue)));
            }
            end = start - 1;
        }
        return Optional.empty();
    }

    /** Nothing is thrown away unseen: the cut tail goes to events.log.cut-OFFSET for an operator to inspect. */
    private static Path keepCutBytes(Storage storage, Path path, long offset) throws IOException {
        byte[] tail;
        try (InputStream in = storage.openRead(path)) {
            in.skipNBytes(offset);
            tail = in.readNBytes(Limits.MAX_LOG_LINE_BYTES + 1);
        }
        if (tail.length > Limits.MAX_LOG_LINE_BYTES) {
            throw new IllegalStateException("a cut tail is one line, at most " + Limits.MAX_LOG_LINE_BYTES + " bytes");
        }
        Path kept = path.resolveSibling(path.getFileName() + ".cut-" + offset);
        for (int n = 2; storage.exists(kept); n++) {
            kept = path.resolveSibling(path.getFileName() + ".cut-" + offset + "." + n); // never replace an earlier cut
        }
        storage.writeAtomically(kept, tail);
        return kept;
    }

    /**
     * What a read of the whole log found, without changing it.
     *
     * @param faults every fault, as "events.log:LINE: problem"
     * @param blocksOpen true when {@link #open} would refuse: damage no crash causes
     * @param wouldCut true when {@link #open} would cut a torn last line (subject to its guard)
     * @param lastIntactSeq the seq of the last entry before the first fault
     * @param faultyLastLine the bad last line as far as it parses, or null
     * @param highestSeqClaimed the highest seq any line states, intact or not: where the log ends
     */
    public record Inspection(List<String> faults, boolean blocksOpen, boolean wouldCut, long lastIntactSeq,
                             ObjectNode faultyLastLine, long highestSeqClaimed) {
    }

    /** Reads and checks the whole log without changing it; for verify and rebuild. A missing log is an empty one. */
    public static Inspection inspect(Storage storage, Path path) throws IOException {
        return inspect(storage, path, entry -> { }, Keying.NONE);
    }

    /**
     * As {@link #inspect(Storage, Path)}, passing each intact entry before the first fault to {@code visitor},
     * and with a key checking every line's MAC.
     */
    public static Inspection inspect(Storage storage, Path path, LogEntryVisitor visitor, Keying keying) throws IOException {
        if (!storage.exists(path)) {
            return new Inspection(List.of(), false, false, 0, null, 0);
        }
        try (InputStream in = storage.openRead(path); PipelinedVisitor replay = new PipelinedVisitor(visitor)) {
            LogScanner.Result result = LogScanner.scan(in, replay, keying);
            replay.finish();
            List<String> faults = new java.util.ArrayList<>(result.faults().stream()
                    .map(fault -> path.getFileName() + ":" + fault.lineNumber() + ": " + fault.problem())
                    .toList());
            String cut = keying.lengthProblem(result.highestSeqClaimed());
            if (cut != null) {
                faults.add(path.getFileName() + ": " + cut);
            }
            boolean blocksOpen = cut != null || (!result.intact() && result.repair() == LogScanner.Repair.NONE);
            return new Inspection(List.copyOf(faults), blocksOpen, result.repair() == LogScanner.Repair.CUT && !result.intact(),
                    result.lastSeq(),
                    result.faultyLastLine(), result.highestSeqClaimed());
        }
    }

    /** Streams every intact entry with a seq above {@code afterSeq}. */
    public static void replay(Storage storage, Path path, long afterSeq, LogEntryVisitor visitor) throws IOException {
        if (!storage.exists(path)) {
            return;
        }
        try (InputStream in = storage.openRead(path)) {
            LogScanner.Result result = LogScanner.scan(in, new LogEntryVisitor() {
                @Override
                public void visit(LogEntry entry) {
                    throw new AssertionError("the scanner passes offsets");
                }

                @Override
                public void visit(LogEntry entry, long offset) throws IOException {
                    if (entry.seq() > afterSeq) {
                        visitor.visit(entry, offset);
                    }
                }
            }, Keying.NONE);
            if (!result.intact()) {
                throw new LogCorruptionException(path + " " + result.faults().get(0));
            }
        }
    }

    /**
     * Appends the draft as the next line and returns it with its seq and hashes. The line is in
     * the file but not yet durable: call {@link #awaitDurable} before treating it as accepted.
     */
    public LogEntry write(EventDraft draft) throws IOException {
        return append(draft).entry();
    }

    /** As {@link #write}, also telling where the line starts, for derived files to record. */
    public Appended append(EventDraft draft) throws IOException {
        synchronized (writeLock) {
            if (failure != null) {
                throw new IOException("the event log failed earlier and needs a restart", failure);
            }
            long seq = lastSeq + 1;
            ObjectNode json = EventCodec.toJsonWithoutHash(seq, draft, lastHash);
            String hash = Sha256.ofCanonical(json);
            json.put("hash", hash);
            keying.sealFor(seq).ifPresent(key -> json.put("mac", key.mac(MacKey.Purpose.LOG_LINE, hash)));
            byte[] canonical = Jcs.canonicalize(json);
            if (canonical.length + 1 > Limits.MAX_LOG_LINE_BYTES) {
                throw new IllegalStateException("log line of " + canonical.length + " bytes exceeds the limit");
            }
            // The entry returned is decoded from the very bytes a replay will read, so live
            // processing and a rebuild compute the state from the same value; it must still be
            // the change that was meant, or the encoding lost something.
            LogEntry entry = EventCodec.fromJson(JSON.readTree(canonical));
            if (!entry.change().equals(draft.change()) || !entry.messageId().equals(draft.message().messageId())
                    || !entry.invoice().equals(draft.message().invoice()) || !entry.time().equals(draft.time())) {
                throw new IllegalStateException("log entry " + seq + " does not survive its own encoding: " + draft);
            }
            byte[] line = new byte[canonical.length + 1];
            System.arraycopy(canonical, 0, line, 0, canonical.length);
            line[canonical.length] = '\n';
            try {
                file.append(line);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            long offset = endOffset;
            lastLineOffset = offset;
            lastSeq = seq;
            lastHash = hash;
            endOffset += line.length;
            return new Appended(entry, offset);
        }
    }

    /** From now on, each group commit's fsync is told to {@code syncs} (the forces of opening and repair are not). */
    public void observeSyncs(LogSyncs syncs) {
        this.syncs = Objects.requireNonNull(syncs);
    }

    /** Returns once the line with {@code seq} is on disk, sharing one fsync among all waiting writers. */
    public void awaitDurable(long seq) throws IOException {
        if (durableSeq >= seq) {
            return;
        }
        forceLock.lock();
        try {
            if (durableSeq >= seq) {
                return; // another writer's fsync covered this line while we waited
            }
            long covered;
            synchronized (writeLock) {
                if (failure != null) {
                    throw new IOException("the event log failed earlier and needs a restart", failure);
                }
                covered = lastSeq;
            }
            if (covered < seq) {
                throw new IllegalStateException("awaiting seq " + seq + " that was never written (last " + covered + ")");
            }
            long elapsed;
            try {
                // A writer that lost its folder (lock file deleted) must not make lines durable
                // that another writer may be interleaving with; the lines stay unacknowledged.
                ownership.requireHeld();
                long started = System.nanoTime();
                file.force();
                elapsed = System.nanoTime() - started;
            } catch (IOException e) {
                synchronized (writeLock) {
                    failure = e;
                }
                throw e;
            }
            long lines = covered - durableSeq;
            durableSeq = covered;
            reportSync(elapsed, lines);
        } finally {
            forceLock.unlock();
        }
    }

    /** Tells the metrics of a sync once its lines are durable: a listener that fails never fails the commit. */
    private void reportSync(long nanos, long lines) {
        try {
            syncs.synced(nanos, lines);
        } catch (RuntimeException e) {
            LOG.warn("event log: the sync listener failed; the lines are durable all the same", e);
        }
    }

    /**
     * The entry whose line starts at {@code offset}, if a whole line of this log starts there: how a
     * derived file's claim on the log is confirmed. A log that lost its tail (a disk that dropped
     * written data, a hand) no longer holds what derived files recorded from it.
     */
    public Optional<LogEntry> entryAt(long offset) throws IOException {
        long end = endOffset();
        if (offset < 0 || offset >= end) {
            return Optional.empty();
        }
        // Through the open file: opening the log again and closing it would drop this process's lock on it.
        byte[] bytes = file.readAt(offset, (int) Math.min(Limits.MAX_LOG_LINE_BYTES, end - offset));
        BoundedLineReader.Line line = new BoundedLineReader(new ByteArrayInputStream(bytes), Limits.MAX_LOG_LINE_BYTES).next();
        if (line == null || !line.complete() || line.tooLong()) {
            return Optional.empty();
        }
        return decode(line.bytes()); // empty when the offset falls inside a line: recorded against another log
    }

    /**
     * The entry of a message, searched line by line from the start: the slow path for the rare
     * case that the message index lost or misstates an entry the log holds. O(log size).
     */
    public Optional<Appended> find(String messageId) throws IOException {
        long end = endOffset();
        BoundedLineReader reader = new BoundedLineReader(new BufferedInputStream(new ReadAtStream(file, end), 1 << 16),
                Limits.MAX_LOG_LINE_BYTES);
        long offset = 0;
        BoundedLineReader.Line line;
        while ((line = reader.next()) != null) {
            long start = offset;
            offset += line.byteLength();
            Optional<LogEntry> entry = line.complete() && !line.tooLong() ? decode(line.bytes()) : Optional.empty();
            if (entry.isPresent() && entry.get().messageId().equals(messageId)) {
                return Optional.of(new Appended(entry.get(), start));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the lines up to and including {@code upTo} through the open file, checking every line and
     * the chain as a whole open does: the walk a start from a snapshot left out. Bounded by one line in
     * memory.
     *
     * @return every fault, as "events.log:LINE: problem"; empty when the chain leads intact to that line
     */
    public List<String> checkUpTo(LogPosition upTo) throws IOException {
        if (upTo.endOffset() > endOffset()) {
            return List.of(FILE_NAME + ": ends before byte " + upTo.endOffset() + ", where the snapshot's line ends");
        }
        try (InputStream in = new BufferedInputStream(new ReadAtStream(file, upTo.endOffset()), 1 << 16)) {
            LogScanner.Result result = LogScanner.scan(in, entry -> { }, keying);
            List<String> faults = new java.util.ArrayList<>(result.faults().stream()
                    .map(fault -> FILE_NAME + ":" + fault.lineNumber() + ": " + fault.problem()).toList());
            if (faults.isEmpty() && (result.lastSeq() != upTo.seq() || !result.lastHash().equals(upTo.hash()))) {
                faults.add(FILE_NAME + ":" + result.lastSeq() + ": the chain ends at seq " + result.lastSeq() + ", hash "
                        + result.lastHash() + ", not at the snapshot's seq " + upTo.seq() + ", hash " + upTo.hash());
            }
            return faults;
        }
    }

    private static Optional<LogEntry> decode(byte[] line) {
        try {
            return Optional.of(EventCodec.fromJson(JSON.readTree(line)));
        } catch (IOException | RuntimeException notAnEntry) {
            return Optional.empty();
        }
    }

    private long endOffset() {
        synchronized (writeLock) {
            return endOffset;
        }
    }

    /** The log's whole lines as a stream, read through the open file up to {@code end}. */
    private static final class ReadAtStream extends InputStream {
        private final Storage.AppendFile file;
        private final long end;
        private long position;

        ReadAtStream(Storage.AppendFile file, long end) {
            this.file = file;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int at, int length) throws IOException {
            if (position >= end) {
                return -1;
            }
            byte[] chunk = file.readAt(position, (int) Math.min(length, end - position));
            if (chunk.length == 0) {
                return -1;
            }
            System.arraycopy(chunk, 0, into, at, chunk.length);
            position += chunk.length;
            return chunk.length;
        }
    }

    public long lastSeq() {
        synchronized (writeLock) {
            return lastSeq;
        }
    }

    /** The last line written (durable or not): where a snapshot of everything applied up to it stands. */
    public LogPosition position() {
        synchronized (writeLock) {
            return lastSeq == 0 ? LogPosition.START : new LogPosition(lastSeq, lastHash, lastLineOffset, endOffset);
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
