package com.novotechno.collections.domain;

import com.novotechno.collections.storage.Sha256;
import java.util.Objects;

/**
 * What every message has. {@code contentSha256} is the checksum of the message's canonical
 * content: the same message_id with the same checksum is a duplicate, with another a conflict.
 */
public record MessageEnvelope(MessageType type, String messageId, InvoiceKey invoice, String contentSha256) {

    public MessageEnvelope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(invoice, "invoice");
        if (!Sha256.isHex(contentSha256)) {
            throw new IllegalArgumentException("content checksum must be 64 hex characters");
        }
    }
}
