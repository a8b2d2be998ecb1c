package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceKey;
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

    /** What is remembered of an accepted message. */
    public record Entry(String messageId, String contentSha256, long seq, InvoiceKey invoice) {
        static Entry of(LogEntry entry) {
            return new Entry(entry.messageId(), entry.messageSha256(), entry.seq(), entry.invoice());
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
            Entry entry = new Entry(text(json, "message_id"), text(json, "message_sha256"), integer(json, "seq"),
                    new InvoiceKey(text(json, "client"), text(json, "invoice_number")));
            if (!entry.messageId().equals(messageId)) {
                throw new IllegalArgumentException("holds message_id " + entry.messageId());
            }
            return Optional.of(entry);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, e.getMessage());
        }
    }

    public void record(LogEntry logEntry) throws IOException {
        Entry entry = Entry.of(logEntry);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("message_id", entry.messageId());
        json.put("message_sha256", entry.contentSha256());
        json.put("seq", entry.seq());
        json.put("client", entry.invoice().client());
        json.put("invoice_number", entry.invoice().invoiceNumber());
        Path file = path(entry.messageId());
        storage.createDirectories(file.getParent());
        storage.writeAtomically(file, ChecksummedJson.encode(json));
    }

    /** For recovery: records the entry unless it is there; a different entry for the id is corruption. */
    public void ensure(LogEntry logEntry) throws IOException {
        Optional<Entry> existing = find(logEntry.messageId());
        if (existing.isEmpty()) {
            record(logEntry);
        } else if (!existing.get().equals(Entry.of(logEntry))) {
            throw new CorruptFileException(path(logEntry.messageId()),
                    "index says " + existing.get() + " but log entry " + logEntry.seq() + " says otherwise");
        }
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
