package com.novotechno.collections.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.RejectedMessageException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The {@code <file>.error.json} beside a rejected file: why, which message, when. */
record RejectionReport(String file, String messageId, String reason, Instant time) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RejectionReport of(RejectedMessageException rejection, String file, Instant time) {
        return new RejectionReport(file, rejection.messageId(), rejection.getMessage(), time);
    }

    byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", file);
        node.put("message_id", messageId); // null when the message had no valid id
        node.put("reason", reason);
        node.put("time", time.toString());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
