package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.RejectedMessageException;
import java.io.IOException;
import java.util.Set;

/**
 * Which broker user may send which message type. The broker's permissions are per address, and
 * every sender shares collections.invoices: the emailer may send only its feedback, a producer
 * anything but that and client.erased, which only an operator may send. The embedded broker writes the user it validated into each message
 * ({@code CollectionsSender}); an external broker's messages carry no such user and are not checked.
 */
public final class SenderRules {

    /** The broker property holding the validated user (written by the embedded broker, never by the client). */
    public static final String SENDER = "CollectionsSender";
    /**
     * On a dead letter the operator moved back ({@code dlq requeue}): the user the broker validated when the
     * message first came. The broker keeps it only on the operator's sends and removes it from everyone else's,
     * so a producer cannot name one; the service judges a requeued message by it, not by the operator who
     * moved it, so that a message refused for its sender is refused again rather than laundered by a requeue.
     */
    public static final String ORIGINAL_SENDER = "CollectionsOriginalSender";
    /** The broker user that moves dead letters back (and may send any type itself). */
    public static final String OPERATOR = "operator";
    private static final Set<String> EMAILER_TYPES = Set.of("reminder.sent", "reminder.failed");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean senderRequired;

    private SenderRules(boolean senderRequired) {
        this.senderRequired = senderRequired;
    }

    /** The embedded broker: every message names its sender, and a message that names none is refused. */
    public static SenderRules brokerValidated() {
        return new SenderRules(true);
    }

    /** An external broker, which names no sender: its own security is all there is. */
    public static SenderRules unchecked() {
        return new SenderRules(false);
    }

    /** Refuses a message its sender may not send. A message that is not JSON is left for the store to refuse. */
    public void check(String sender, byte[] message) throws RejectedMessageException {
        check(sender, null, message);
    }

    /**
     * As {@link #check(String, byte[])}; a message the operator sent that names its first sender
     * ({@link #ORIGINAL_SENDER}, a dead letter moved back) is judged as that sender's.
     */
    public void check(String sender, String originalSender, byte[] message) throws RejectedMessageException {
        if (!senderRequired) {
            return;
        }
        if (OPERATOR.equals(sender) && originalSender != null) {
            sender = originalSender;
        }
        JsonNode json = typeAndId(message);
        String id = json.path("message_id").isTextual() ? json.path("message_id").asText() : null;
        String type = json.path("type").asText("");
        if (sender == null || sender.isEmpty()) {
            throw new RejectedMessageException(id, "the broker named no validated user for it");
        }
        switch (sender) {
            case "emailer" -> {
                if (!EMAILER_TYPES.contains(type)) {
                    throw new RejectedMessageException(id, "the emailer may send only reminder.sent and reminder.failed, not "
                            + (type.isEmpty() ? "a message without a type" : type));
                }
            }
            case "producer" -> {
                if (EMAILER_TYPES.contains(type)) {
                    throw new RejectedMessageException(id, "only the emailer may send " + type);
                }
                // Erasure cannot be undone: an operator decides it, not a program that feeds invoices.
                if (type.equals("client.erased")) {
                    throw new RejectedMessageException(id, "only an operator may send client.erased");
                }
            }
            case "service", "operator" -> {
                // the service's own sends, and dead letters an operator moves back once fixed
            }
            default -> throw new RejectedMessageException(id, "broker user '" + sender + "' may send no messages");
        }
    }

    private static JsonNode typeAndId(byte[] message) {
        if (message.length > Limits.MAX_MESSAGE_BYTES) {
            return JSON.missingNode();
        }
        try {
            JsonNode json = JSON.readTree(message);
            return json == null ? JSON.missingNode() : json;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
