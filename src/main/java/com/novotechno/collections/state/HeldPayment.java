package com.novotechno.collections.state;

import com.novotechno.collections.domain.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A payment accepted for an invoice not yet issued (CONTRACT section 1, unapplied payments): held
 * until the invoice arrives, or, when it does not fit the invoice or no invoice comes in time,
 * kept with the reason it is to be refunded. It was accepted, so it is never "rejected".
 *
 * @param seq the log entry that accepted it
 * @param heldAt when it was accepted: its age counts from here
 * @param refundReason present once it is to be refunded
 * @param refundSeq the log entry that marked it to refund (its own for an overpayment's excess), 0 while it waits: what a reconciliation
 *                  beside a running service compares with the ledger's seq to tell a change in flight
 */
public record HeldPayment(long seq, String messageId, Money amount, Optional<String> method,
                          Optional<String> reference, LocalDate receivedOn, Instant heldAt,
                          Optional<String> refundReason, long refundSeq) {

    /** Why a held payment is to refund when the payments held before it paid its invoice off: it is that invoice's money. */
    public static final String PAID_OFF = "the invoice was paid off by the payments held before it";

    public HeldPayment {
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(method);
        Objects.requireNonNull(reference);
        Objects.requireNonNull(receivedOn);
        Objects.requireNonNull(heldAt);
        Objects.requireNonNull(refundReason);
        if (seq < 1 || amount.isZero()) {
            throw new IllegalArgumentException("a held payment has a seq and an amount above zero");
        }
        // An overpayment's excess is marked to refund by the entry that brought it: the same seq.
        if (refundReason.isPresent() ? refundSeq < seq : refundSeq != 0) {
            throw new IllegalArgumentException("held payment " + seq + ": a refund reason goes with the seq that marked it");
        }
    }

    /** The newest log entry this payment reflects: a reconciliation's measure of how current its file is. */
    public long newestSeq() {
        return Math.max(seq, refundSeq);
    }

    public boolean toRefund() {
        return refundReason.isPresent();
    }

    /** The same payment, {@code part} of it gone (applied to its invoice): what is left is held. */
    HeldPayment less(Money part) {
        Money left = amount.minus(part);
        if (left.isZero() || left.compareTo(amount) >= 0) {
            throw new IllegalStateException("held payment " + seq + " of " + amount + " less " + part);
        }
        return new HeldPayment(seq, messageId, left, method, reference, receivedOn, heldAt, refundReason, refundSeq);
    }

    /** @param markedSeq the log entry that marks it */
    HeldPayment refunded(String reason, long markedSeq) {
        if (toRefund()) {
            throw new IllegalStateException("held payment " + seq + " is to be refunded already");
        }
        return new HeldPayment(seq, messageId, amount, method, reference, receivedOn, heldAt, Optional.of(reason),
                markedSeq);
    }
}
