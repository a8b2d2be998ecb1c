package com.novotechno.collections.domain;

/**
 * A message the service refuses: it changes nothing, and its reason names the message and,
 * where there is one, the field at fault. Reasons quote bad input (an unknown type, a field
 * name), and are printed by import, logged and put on dead letters, so they are escaped here,
 * once, with {@link Printable}: no rejection carries a raw control character.
 */
public final class RejectedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String messageId;
    private final String reason;

    public RejectedMessageException(String messageId, String reason) {
        super(describe(messageId, Printable.escape(reason)));
        this.messageId = messageId;
        this.reason = Printable.escape(reason);
    }

    private static String describe(String messageId, String reason) {
        return messageId == null
                ? "message rejected: " + reason
                : "message " + Printable.escape(messageId) + " rejected: " + reason;
    }

    /** The message's id when it had a valid one, else null. */
    public String messageId() {
        return messageId;
    }

    /** Why, without the message id: "amount: must be greater than zero". */
    public String reason() {
        return reason;
    }
}
