package com.novotechno.collections.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What an accepted message does to its invoice, with every default already resolved (dates,
 * currency), so that applying the same change always gives the same state, today or in a
 * replay years later.
 */
public sealed interface Change {

    MessageType type();

    record Issued(Money amount, LocalDate issuedOn, LocalDate dueOn, Optional<String> contactEmail) implements Change {
        public Issued {
            Objects.requireNonNull(amount);
            Objects.requireNonNull(issuedOn);
            Objects.requireNonNull(dueOn);
            Objects.requireNonNull(contactEmail);
            if (amount.isZero()) {
                throw new IllegalArgumentException("an invoice amount is greater than zero");
            }
            if (dueOn.isBefore(issuedOn)) {
                throw new IllegalArgumentException("due " + dueOn + " before issued " + issuedOn);
            }
        }

        @Override
        public MessageType type() {
            return MessageType.INVOICE_ISSUED;
        }
    }

    record PaymentApplied(Money amount, Optional<String> method, Optional<String> reference, LocalDate receivedOn)
            implements Change {
        public PaymentApplied {
            Objects.requireNonNull(amount);
            Objects.requireNonNull(method);
            Objects.requireNonNull(reference);
            Objects.requireNonNull(receivedOn);
            if (amount.isZero()) {
                throw new IllegalArgumentException("a payment is greater than zero");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.PAYMENT_RECEIVED;
        }
    }

    record Escalated(String reason) implements Change {
        public Escalated {
            Objects.requireNonNull(reason);
        }

        @Override
        public MessageType type() {
            return MessageType.INVOICE_ESCALATED;
        }
    }

    record ReminderRecorded(String level, Instant sentAt) implements Change {
        public ReminderRecorded {
            Objects.requireNonNull(level);
            Objects.requireNonNull(sentAt);
        }

        @Override
        public MessageType type() {
            return MessageType.REMINDER_SENT;
        }
    }
}
