package com.novotechno.collections.log;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.MessageEnvelope;
import java.time.Instant;
import java.util.Objects;

/** A change about to be appended: the log gives it its seq and its place in the chain. */
public record EventDraft(Instant time, MessageEnvelope message, Change change) {

    public EventDraft {
        Objects.requireNonNull(time);
        Objects.requireNonNull(message);
        Objects.requireNonNull(change);
        if (message.type() != change.type()) {
            throw new IllegalArgumentException("a " + message.type() + " message cannot produce a " + change.type() + " change");
        }
    }
}
