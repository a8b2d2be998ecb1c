package com.novotechno.collections.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.Sha256;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the event log: an accepted change, the message it came from, and its place in
 * the hash chain ({@code prev} is the hash of the line before, {@code hash} that of this line).
 */
public record LogEntry(long seq, Instant time, String messageId, String messageSha256, InvoiceKey invoice,
                       Change change, String prev, String hash) {

    public LogEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, found " + seq);
        }
        Objects.requireNonNull(time);
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(invoice);
        Objects.requireNonNull(change);
        if (!Sha256.isHex(messageSha256) || !Sha256.isHex(prev) || !Sha256.isHex(hash)) {
            throw new IllegalArgumentException("log entry " + seq + ": checksums must be 64 hex characters");
        }
    }

    /** The change's fields as the line's {@code data} holds them (its personal values as this entry holds them). */
    public ObjectNode data() {
        return EventCodec.data(change);
    }
}
