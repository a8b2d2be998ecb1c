package com.novotechno.collections.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * What the queue route tells a sender about one message (CONTRACT section 4), the body of its
 * answer: {@code {"message_id": ..., "outcome": "applied" | "duplicate" | "rejected", "reason": ...}}.
 *
 * @param messageId the message's id, null for a rejected message without a valid one
 * @param reason for a rejection, the reason the service records (the dead letter's CollectionsRejectReason); else null
 */
public record QueueOutcome(String messageId, Kind outcome, String reason) {

    public enum Kind {
        APPLIED, DUPLICATE, REJECTED;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An answer is a few hundred bytes; anything far larger did not come from the service. */
    public static final int MAX_JSON_CHARS = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public QueueOutcome {
        if (outcome == null || (outcome == Kind.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("an outcome has a reason if and only if it is a rejection");
        }
    }

    public String toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("message_id", messageId);
        json.put("outcome", outcome.json());
        if (reason != null) {
            json.put("reason", reason);
        }
        return json.toString();
    }

    /** An answer read back, as 'submit --wait' does; one that is not one is refused with why. */
    public static QueueOutcome parse(String text) {
        if (text == null || text.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException("not an outcome: " + (text == null ? "no body" : "larger than " + MAX_JSON_CHARS + " characters"));
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an outcome: not JSON: " + e.getOriginalMessage());
        }
        String outcome = json == null ? "" : json.path("outcome").asText("");
        for (Kind kind : Kind.values()) {
            if (kind.json().equals(outcome)) {
                JsonNode id = json.path("message_id");
                JsonNode reason = json.path("reason");
                return new QueueOutcome(id.isTextual() ? id.asText() : null, kind, reason.isTextual() ? reason.asText() : null);
            }
        }
        throw new IllegalArgumentException("not an outcome: outcome '" + outcome + "' is none of applied, duplicate, rejected");
    }
}
