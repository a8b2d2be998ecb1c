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

    /** Either or both of contact_email and due_on, never neither (the parser refuses that). */
    record InvoiceAmended(MessageEnvelope envelope, Optional<String> contactEmail, Optional<LocalDate> dueOn,
                          String reason) implements InvoiceMessage {
        public InvoiceAmended {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(contactEmail);
            Objects.requireNonNull(dueOn);
            Objects.requireNonNull(reason);
            if (contactEmail.isEmpty() && dueOn.isEmpty()) {
                throw new IllegalArgumentException("an amendment changes contact_email, due_on or both");
            }
        }
    }

    record CreditIssued(MessageEnvelope envelope, Money amount, String reason) implements InvoiceMessage {
        public CreditIssued {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(reason);
        }
    }

    record InvoiceVoided(MessageEnvelope envelope, String reason) implements InvoiceMessage {
        public InvoiceVoided {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(reason);
        }
    }

    record InvoiceWrittenOff(MessageEnvelope envelope, String reason) implements InvoiceMessage {
        public InvoiceWrittenOff {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(reason);
        }
    }

    /** @param paymentMessageId the message_id of the payment.received it undoes */
    record PaymentReversed(MessageEnvelope envelope, String paymentMessageId, String reason) implements InvoiceMessage {
        public PaymentReversed {
            Objects.requireNonNull(envelope);
            Objects.requireNonNull(paymentMessageId);
            Objects.requireNonNull(reason);
        }
    }

    /** For a whole client: its invoice key names no invoice. */
    record ClientErased(MessageEnvelope envelope) implements InvoiceMessage {
        public ClientErased {
            Objects.requireNonNull(envelope);
            if (!envelope.invoice().isWholeClient()) {
                throw new IllegalArgumentException("an erasure is for a whole client");
            }
        }
    }
}
