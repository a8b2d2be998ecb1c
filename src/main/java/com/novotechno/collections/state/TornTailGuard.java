package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.util.Optional;

/**
 * Decides whether a bad last log line may be cut as a torn write. A torn write was never
 * fsynced, so never acknowledged, and nothing was derived from it; a line that anything was
 * derived from (the checkpoint, the message index, a state file) was written whole once and
 * damaged since. Cutting that would lose an accepted message, so the start is refused instead.
 */
final class TornTailGuard {

    private final InvoiceFiles invoices;
    private final MessageIndex index;
    private final long checkpointSeq;

    TornTailGuard(Storage storage, DataLayout layout, long checkpointSeq) {
        this.invoices = new InvoiceFiles(storage, layout);
        this.index = new MessageIndex(storage, layout);
        this.checkpointSeq = checkpointSeq;
    }

    /** For {@link EventLog.TornTailGuard}: throws when the line at {@code seq} must not be cut. */
    void allowCut(long seq, ObjectNode line) throws IOException {
        if (seq <= checkpointSeq) {
            throw damagedNotTorn(seq, "the checkpoint says seq " + checkpointSeq + " was applied");
        }
        Optional<String> messageId = text(line, "message_id");
        Optional<String> client = text(line, "client").filter(InvoiceKey::isValidName);
        Optional<String> invoice = text(line, "invoice_number").filter(InvoiceKey::isValidName);
        if (messageId.isEmpty() || client.isEmpty() || invoice.isEmpty()) {
            // Too little of the line is left to look up what came of it: look at everything. Rare
            // (a crash mid-append), so reading every state file and index entry is affordable.
            if (invoices.highestLastSeq() >= seq || index.highestSeq() >= seq) {
                throw damagedNotTorn(seq, "state files or index entries reflect seq " + seq + " or later");
            }
            return;
        }
        Optional<MessageIndex.Entry> indexed = index.find(messageId.get());
        if (indexed.isPresent() && indexed.get().seq() >= seq) {
            throw damagedNotTorn(seq, "the message index holds its message " + messageId.get());
        }
        Optional<InvoiceFiles.Stored> stored = invoices.read(new InvoiceKey(client.get(), invoice.get()));
        if (stored.isPresent() && stored.get().state().lastSeq() >= seq) {
            throw damagedNotTorn(seq, "the state of invoice " + client.get() + "/" + invoice.get() + " reflects it");
        }
    }

    private static Optional<String> text(ObjectNode line, String key) {
        JsonNode value = line == null ? null : line.get(key);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    private static LogCorruptionException damagedNotTorn(long seq, String evidence) {
        return new LogCorruptionException("the last line of the event log (seq " + seq + ") is damaged, but "
                + evidence + ": it was written whole and damaged since, not torn by a crash;"
                + " restore the log from a backup");
    }
}
