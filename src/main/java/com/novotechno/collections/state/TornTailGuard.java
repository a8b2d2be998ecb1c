package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.util.Optional;

/**
 * Decides whether a bad last log line may be cut as a torn write. A torn write was never
 * fsynced, so never acknowledged, and nothing was derived from it; a line that anything was
 * derived from (the checkpoint, a state file) was written whole once and damaged since: derived
 * files are written only after the log's fsync covered their line. Cutting that would lose an accepted message, so the start is refused instead.
 */
final class TornTailGuard {

    private final InvoiceFiles invoices;
    private final long checkpointSeq;

    TornTailGuard(Storage storage, DataLayout layout, long checkpointSeq) {
        this.invoices = new InvoiceFiles(storage, layout);
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
            // (a crash mid-append), so reading every state file is affordable.
            if (invoices.highestLastSeq() >= seq) {
                throw damagedNotTorn(seq, "state files reflect seq " + seq + " or later");
            }
            return;
        }
        Optional<InvoiceFiles.Stored> stored;
        try {
            stored = invoices.read(new InvoiceKey(client.get(), invoice.get()));
        } catch (CorruptFileException notDurableYet) {
            return; // a state file a power cut tore is no evidence: it is rewritten from the log
        }
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
