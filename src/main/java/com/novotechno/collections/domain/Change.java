package com.novotechno.collections.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an accepted message does to its invoice, with every default already resolved (dates,
 * currency), so that applying the same change always gives the same state, today or in a
 * replay years later.
 */
public sealed interface Change {

    MessageType type();

    /**
     * @param heldApplied the seqs of payments held for this invoice that now apply, in arrival order
     * @param heldRefused the held payments that do not fit it (currency, balance) and are to be refunded
     */
    record Issued(Money amount, LocalDate issuedOn, LocalDate dueOn, Optional<String> contactEmail,
                  List<Long> heldApplied, List<HeldRefusal> heldRefused) implements Change {
        public Issued(Money amount, LocalDate issuedOn, LocalDate dueOn, Optional<String> contactEmail) {
            this(amount, issuedOn, dueOn, contactEmail, List.of(), List.of());
        }

        public Issued {
            Objects.requireNonNull(amount);
            Objects.requireNonNull(issuedOn);
            Objects.requireNonNull(dueOn);
            Objects.requireNonNull(contactEmail);
            heldApplied = List.copyOf(heldApplied);
            heldRefused = List.copyOf(heldRefused);
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

    /** A held payment that does not fit its invoice, and why. */
    record HeldRefusal(long seq, String reason) {
        public HeldRefusal {
            Objects.requireNonNull(reason);
        }
    }

    /**
     * A payment for an invoice not yet issued: accepted and held as unapplied until the invoice
     * arrives (producers cannot order their messages against each other's).
     */
    record PaymentHeld(Money amount, Optional<String> method, Optional<String> reference, LocalDate receivedOn)
            implements Change {
        public PaymentHeld {
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

    /** A held payment whose invoice did not arrive in time: to be refunded, for the reason given. */
    record HeldExpired(long heldSeq, String reason) implements Change {
        public HeldExpired {
            Objects.requireNonNull(reason);
        }

        @Override
        public MessageType type() {
            return MessageType.UNAPPLIED_EXPIRED;
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
