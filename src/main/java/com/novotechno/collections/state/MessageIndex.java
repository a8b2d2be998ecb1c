package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static com.novotechno.collections.storage.JsonFields.integer;
import static com.novotechno.collections.storage.JsonFields.text;

/**
 * Which message_ids were accepted, with their content checksum: the on-disk memory that makes
 * deduplication survive restarts without holding every id ever seen in memory. One small file
 * per id under {@code index/messages/<2 hex>/<sha256 of id>.json}; hashing the id keeps any id
 * (even "." or "..") out of path syntax and spreads files over 256 folders.
 *
 * <p>It is derived from the log: recovery writes any entry a crash left out.
 */
public final class MessageIndex {

    private static final int MAX_ENTRY_BYTES = 4096;

    /**
     * What is remembered of an accepted message, and where its log line starts with the line's
     * hash, so that the entry can be confirmed against the log before it is believed.
     *
     * @param logOffset the byte offset of its log line, or -1 in an entry written before offsets were kept
     * @param logHash that line's hash, or null likewise
     */
    public record Entry(String messageId, String contentSha256, long seq, InvoiceKey invoice,
                        long logOffset, String logHash) {
        static Entry of(LogEntry entry, long offset) {
            return new Entry(entry.messageId(), entry.messageSha256(), entry.seq(), entry.invoice(), offset, entry.hash());
        }

        /**
         * Whether the log still holds the line this entry was recorded from, for this very message:
         * an entry copied from another message's, or left by a log that lost its tail, is not.
         */
        boolean confirmedBy(EventLog log) throws IOException {
            if (logHash == null) {
                return seq <= log.lastSeq(); // an entry from before offsets were kept: the best check there is
            }
            return log.entryAt(logOffset).filter(entry -> entry.seq() == seq && entry.hash().equals(logHash)
                    && entry.messageId().equals(messageId) && entry.messageSha256().equals(contentSha256)
                    && entry.invoice().equals(invoice)).isPresent();
        }
    }

    private final Storage storage;
    private final Path root;

    public MessageIndex(Storage storage, DataLayout layout) {
        this.storage = storage;
        this.root = layout.messageIndex();
    }

    public Optional<Entry> find(String messageId) throws IOException {
        Path file = path(messageId);
        if (!storage.exists(file)) {
            return Optional.empty();
        }
        ObjectNode json = ChecksummedJson.decode(storage.read(file, MAX_ENTRY_BYTES), file);
        try {
            boolean located = json.has("log_offset");
            Entry entry = new Entry(text(json, "message_id"), text(json, "message_sha256"), integer(json, "seq"),
                    new InvoiceKey(text(json, "client"), text(json, "invoice_number")),
                    located ? integer(json, "log_offset") : -1, located ? text(json, "log_hash") : null);
            if (!entry.messageId().equals(messageId)) {
                throw new IllegalArgumentException("holds message_id " + entry.messageId());
            }
            return Optional.of(entry);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, e.getMessage());
        }
    }

    public void record(LogEntry logEntry, long offset) throws IOException {
        Entry entry = Entry.of(logEntry, offset);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("message_id", entry.messageId());
        json.put("message_sha256", entry.contentSha256());
        json.put("seq", entry.seq());
        json.put("client", entry.invoice().client());
        json.put("invoice_number", entry.invoice().invoiceNumber());
        json.put("log_offset", entry.logOffset());
        json.put("log_hash", entry.logHash());
        Path file = path(entry.messageId());
        storage.createDirectories(file.getParent());
        storage.writeAtomically(file, ChecksummedJson.encode(json));
    }

    /**
     * For recovery: records the entry unless the index has exactly it. The log is the truth, so a
     * different entry for the id (left by a log that lost its tail since) is replaced.
     *
     * @return true when the index had to be written
     */
    public boolean ensure(LogEntry logEntry, long offset) throws IOException {
        Optional<Entry> existing = find(logEntry.messageId());
        if (existing.isPresent() && existing.get().equals(Entry.of(logEntry, offset))) {
            return false;
        }
        record(logEntry, offset);
        return true;
    }

    /** The highest seq any entry records, reading every entry: for the rare checks that need certainty. */
    public long highestSeq() throws IOException {
        long highest = 0;
        for (Path file : storage.listFilesRecursively(root)) {
            if (FileSystemStorage.isTemporaryFile(file)) {
                continue;
            }
            ObjectNode json = ChecksummedJson.decode(storage.read(file, MAX_ENTRY_BYTES), file);
            try {
                highest = Math.max(highest, integer(json, "seq"));
            } catch (RuntimeException e) {
                throw new CorruptFileException(file, e.getMessage());
            }
        }
        return highest;
    }

    private Path path(String messageId) {
        String hash = Sha256.hex(messageId.getBytes(StandardCharsets.UTF_8));
        return root.resolve(hash.substring(0, 2)).resolve(hash + ".json");
    }
}
