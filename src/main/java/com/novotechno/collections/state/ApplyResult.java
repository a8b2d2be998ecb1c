package com.novotechno.collections.state;

/** What happened to an accepted message. Rejections are exceptions, not results. */
public record ApplyResult(Outcome outcome, String messageId, long seq) {

    public enum Outcome {
        /** New: its event is durable in the log and its state file written. */
        APPLIED,
        /** Seen before with the same content: nothing changed. */
        DUPLICATE
    }
}
