package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.RejectedMessageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The {@code <file>.error.json} beside a rejected file: which message (when it had a valid id), why, when. */
record RejectionReport(String file, String messageId, String reason, Instant time) {

    static RejectionReport of(RejectedMessageException rejection, String file, Instant time) {
        return new RejectionReport(file, rejection.messageId(), rejection.reason(), time);
    }

    byte[] toJson() {
        ObjectNode node = PrettyJson.JSON.createObjectNode();
        node.put("file", file);
        node.put("message_id", messageId); // null when the message had no valid id
        node.put("reason", reason);
        node.put("time", time.toString());
        return PrettyJson.of(node).getBytes(StandardCharsets.UTF_8);
    }
}
