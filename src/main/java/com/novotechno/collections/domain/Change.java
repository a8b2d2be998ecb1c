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

    /**
     * @param excess the part of the amount above the invoice's balance: the invoice is paid off, and
     *               this is held to refund (CONTRACT section 1); empty when the payment fits
     */
    record PaymentApplied(Money amount, Optional<String> method, Optional<String> reference, LocalDate receivedOn,
                          Optional<Money> excess) implements Change {
        public PaymentApplied(Money amount, Optional<String> method, Optional<String> reference, LocalDate receivedOn) {
            this(amount, method, reference, receivedOn, Optional.empty());
        }

        public PaymentApplied {
            Objects.requireNonNull(amount);
            Objects.requireNonNull(method);
            Objects.requireNonNull(reference);
            Objects.requireNonNull(receivedOn);
            Objects.requireNonNull(excess);
            if (amount.isZero()) {
                throw new IllegalArgumentException("a payment is greater than zero");
            }
            excess.ifPresent(over -> {
                if (over.isZero() || over.compareTo(amount) >= 0 || !over.currency().equals(amount.currency())) {
                    throw new IllegalArgumentException("an excess of " + over + " on a payment of " + amount);
                }
            });
        }

        /** What lowers the invoice's balance: the amount less any excess. */
        public Money applied() {
            return excess.map(amount::minus).orElse(amount);
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
    record PaymentHeld(PaymentApplied payment) implements Change {
        public PaymentHeld {
            Objects.requireNonNull(payment);
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

    /** @param requestId the dunning request it acknowledges, if it names one */
    record ReminderRecorded(String level, Instant sentAt, Optional<String> requestId) implements Change {
        public ReminderRecorded(String level, Instant sentAt) {
            this(level, sentAt, Optional.empty());
        }

        public ReminderRecorded {
            Objects.requireNonNull(level);
            Objects.requireNonNull(sentAt);
            Objects.requireNonNull(requestId);
        }

        @Override
        public MessageType type() {
            return MessageType.REMINDER_SENT;
        }
    }

    /** The emailer could not deliver a request: recorded against it; the invoice keeps its level. */
    record ReminderFailed(String requestId, String reason) implements Change {
        public ReminderFailed {
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(reason);
        }

        @Override
        public MessageType type() {
            return MessageType.REMINDER_FAILED;
        }
    }

    /**
     * A dunning level decided for the invoice, with the request as it will be emitted, frozen here so
     * that every emission of it, after any crash, carries the same content (CONTRACT section 3).
     *
     * @param contactEmail empty only in an escalation of an invoice without one
     * @param escalationReason present for the last level: the invoice is escalated by this entry
     */
    record DunningRequested(String requestId, String requestType, String level, Optional<String> contactEmail,
                            Money balance, LocalDate dueOn, int daysOverdue, int lateByDays, LocalDate asOf,
                            Optional<String> escalationReason) implements Change {
        public DunningRequested {
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(requestType);
            Objects.requireNonNull(level);
            Objects.requireNonNull(contactEmail);
            Objects.requireNonNull(balance);
            Objects.requireNonNull(dueOn);
            Objects.requireNonNull(asOf);
            Objects.requireNonNull(escalationReason);
            if (daysOverdue < 0 || lateByDays < 0) {
                throw new IllegalArgumentException("a request is made overdue, never early");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.DUNNING_REQUESTED;
        }
    }

    /** A request (attempt 1, or a deliberate re-emission) is in the outbox and on the emailer's queue. */
    record DunningEmitted(String requestId, int attempt) implements Change {
        public DunningEmitted {
            Objects.requireNonNull(requestId);
            if (attempt < 1) {
                throw new IllegalArgumentException("attempts count from 1");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.DUNNING_EMITTED;
        }
    }

    /** @param until the last paused day; empty: until resumed */
    record DunningPaused(String reason, Optional<LocalDate> until) implements Change {
        public DunningPaused {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(until);
        }

        @Override
        public MessageType type() {
            return MessageType.DUNNING_PAUSED;
        }
    }

    record DunningResumed() implements Change {
        @Override
        public MessageType type() {
            return MessageType.DUNNING_RESUMED;
        }
    }

    /** The revocation of an emitted, unacknowledged request is in the outbox and on the queue. */
    record DunningRevoked(String requestId, String reason) implements Change {
        public DunningRevoked {
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(reason);
        }

        @Override
        public MessageType type() {
            return MessageType.DUNNING_REVOKED;
        }
    }

    /** A correction of an open invoice: the fields given replace the invoice's. */
    record Amended(Optional<String> contactEmail, Optional<LocalDate> dueOn, String reason) implements Change {
        public Amended {
            Objects.requireNonNull(contactEmail);
            Objects.requireNonNull(dueOn);
            Objects.requireNonNull(reason);
            if (contactEmail.isEmpty() && dueOn.isEmpty()) {
                throw new IllegalArgumentException("an amendment changes something");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.INVOICE_AMENDED;
        }
    }

    /** A credit note: lowers the balance; one that brings it to zero closes the invoice as credited. */
    record CreditIssued(Money amount, String reason) implements Change {
        public CreditIssued {
            Objects.requireNonNull(amount);
            Objects.requireNonNull(reason);
            if (amount.isZero()) {
                throw new IllegalArgumentException("a credit is greater than zero");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.CREDIT_ISSUED;
        }
    }

    record Voided(String reason) implements Change {
        public Voided {
            Objects.requireNonNull(reason);
        }

        @Override
        public MessageType type() {
            return MessageType.INVOICE_VOIDED;
        }
    }

    /** @param amount the balance written off, as it was when decided */
    record WrittenOff(Money amount, String reason) implements Change {
        public WrittenOff {
            Objects.requireNonNull(amount);
            Objects.requireNonNull(reason);
            if (amount.isZero()) {
                throw new IllegalArgumentException("nothing to write off");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.INVOICE_WRITTEN_OFF;
        }
    }

    /**
     * An earlier payment undone: on the invoice (which reopens if it was settled), or still held
     * under its key (then it is no longer waiting, nor to be refunded).
     *
     * @param paymentSeq the log seq of the payment.received reversed
     * @param amount     what the payment had lowered the balance by (its excess, if any, is no longer to refund)
     */
    record PaymentReversed(long paymentSeq, String paymentMessageId, Money amount, String reason) implements Change {
        public PaymentReversed {
            Objects.requireNonNull(paymentMessageId);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(reason);
            if (paymentSeq < 1) {
                throw new IllegalArgumentException("a payment's seq counts from 1");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.PAYMENT_REVERSED;
        }
    }

    /**
     * A client's personal data is erased: its key is destroyed, and nothing derived keeps a copy.
     *
     * @param keyGeneration the client's key generation destroyed (0: it had none), so a restart after
     *                      a crash destroys that one and never a newer key
     */
    record ClientErased(int keyGeneration) implements Change {
        public ClientErased {
            if (keyGeneration < 0) {
                throw new IllegalArgumentException("key generations count from 1");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.CLIENT_ERASED;
        }
    }
}
