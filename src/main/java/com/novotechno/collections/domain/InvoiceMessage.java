package com.novotechno.collections.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** A validated message of CONTRACT section 1. Instances exist only for messages that passed every field rule. */
public sealed interface InvoiceMessage {

    MessageEnvelope envelope();

    default String messageId() {
        return envelope().messageId();
    }

    default InvoiceKey invoice() {
        return envelope().invoice();
    }

    /** The currency is resolved already (the configured default when the message had none). */
    record InvoiceIssued(MessageEnvelope envelope, Money amount, Optional<LocalDate> issuedOn,
                         Optional<LocalDate> dueOn, Optional<String> contactEmail) implements InvoiceMessage {
        public InvoiceIssued {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(issuedOn);
            Objects.requireNonNull(dueOn);
            Objects.requireNonNull(contactEmail);
        }
    }

    record PaymentReceived(MessageEnvelope envelope, Money amount, Optional<String> method,
                           Optional<String> reference, Optional<LocalDate> receivedOn) implements InvoiceMessage {
        public PaymentReceived {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(method);
            Objects.requireNonNull(reference);
            Objects.requireNonNull(receivedOn);
        }
    }

    record InvoiceEscalated(MessageEnvelope envelope, String reason) implements InvoiceMessage {
        public InvoiceEscalated {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(reason);
        }
    }

    /** @param requestId the dunning request it answers; empty in messages written before dunning */
    record ReminderSent(MessageEnvelope envelope, String level, Instant sentAt, Optional<String> requestId)
            implements InvoiceMessage {
        public ReminderSent {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(level);
            Objects.requireNonNull(sentAt);
            Objects.requireNonNull(requestId);
        }
    }

    record ReminderFailed(MessageEnvelope envelope, String requestId, String reason) implements InvoiceMessage {
        public ReminderFailed {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(reason);
        }
    }

    /** @param until the last day of the pause; empty: until resumed */
    record DunningPaused(MessageEnvelope envelope, String reason, Optional<LocalDate> until) implements InvoiceMessage {
        public DunningPaused {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(until);
        }
    }

    record DunningResumed(MessageEnvelope envelope) implements InvoiceMessage {
        public DunningResumed {
            Objects.requireNonNull(envelope);
        }
    }
}
