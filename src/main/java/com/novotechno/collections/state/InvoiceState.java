package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One invoice as its state file holds it. The constructor enforces the invariants, so an
 * instance that exists is consistent: the balance is the amount less the payments, never
 * negative, and the invoice is paid exactly when the balance is zero.
 *
 * @param lastSeq the seq of the last log entry applied: recovery replays only what lies beyond it
 */
public record InvoiceState(InvoiceKey key, Money amount, Money balance, InvoiceStatus status,
                           LocalDate issuedOn, LocalDate dueOn, Optional<String> contactEmail,
                           Instant statusSince, Optional<String> escalationReason,
                           List<Payment> payments, List<Reminder> reminders, List<DunningStep> dunning,
                           Optional<DunningHold> pause, long lastSeq, Instant updatedAt) {

    public record Payment(long seq, String messageId, Money amount, Optional<String> method,
                          Optional<String> reference, LocalDate receivedOn) {
        public Payment {
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(method);
            Objects.requireNonNull(reference);
            Objects.requireNonNull(receivedOn);
        }
    }

    public record Reminder(long seq, String level, Instant sentAt) {
        public Reminder {
            Objects.requireNonNull(level);
            Objects.requireNonNull(sentAt);
        }
    }

    public InvoiceState {
        Objects.requireNonNull(key);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(balance);
        Objects.requireNonNull(status);
        Objects.requireNonNull(issuedOn);
        Objects.requireNonNull(dueOn);
        Objects.requireNonNull(contactEmail);
        Objects.requireNonNull(statusSince);
        Objects.requireNonNull(escalationReason);
        Objects.requireNonNull(updatedAt);
        Objects.requireNonNull(pause);
        payments = List.copyOf(payments);
        reminders = List.copyOf(reminders);
        dunning = List.copyOf(dunning);
        require(lastSeq >= 1, "last_seq must be at least 1");
        require(!dueOn.isBefore(issuedOn), "due_on is before issued_on");
        require(!amount.isZero(), "amount must be greater than zero");
        require(balance.compareTo(amount) <= 0, "balance exceeds the amount");
        Money paid = Money.zero(amount.currency());
        for (Payment payment : payments) {
            paid = paid.plus(payment.amount());
            require(payment.seq() <= lastSeq, "a payment is newer than last_seq");
        }
        require(amount.minus(paid).equals(balance), "balance " + balance + " is not amount " + amount + " less payments " + paid);
        require((status == InvoiceStatus.PAID) == balance.isZero(), "status " + status.wireName() + " with balance " + balance);
        require(status != InvoiceStatus.ESCALATED || escalationReason.isPresent(), "escalated without a reason");
        require(payments.size() <= Limits.MAX_PAYMENTS_PER_INVOICE, "too many payments");
        require(reminders.size() <= Limits.MAX_REMINDERS_PER_INVOICE, "too many reminders");
        require(dunning.size() <= Limits.MAX_REMINDERS_PER_INVOICE, "too many dunning requests");
        require(dunning.stream().map(DunningStep::requestId).distinct().count() == dunning.size(),
                "a dunning request twice");
    }

    /** The request with this id, if this invoice has it. */
    public Optional<DunningStep> dunningStep(String requestId) {
        return dunning.stream().filter(step -> step.requestId().equals(requestId)).findFirst();
    }

    /** The same invoice with one dunning step replaced, at a new seq. */
    InvoiceState withDunningStep(DunningStep step, long seq, Instant time) {
        List<DunningStep> steps = new java.util.ArrayList<>(dunning);
        steps.replaceAll(existing -> existing.requestId().equals(step.requestId()) ? step : existing);
        return new InvoiceState(key, amount, balance, status, issuedOn, dueOn, contactEmail, statusSince,
                escalationReason, payments, reminders, steps, pause, seq, time);
    }

    /** The same invoice paused (or resumed, with empty), at a new seq. */
    InvoiceState withPause(Optional<DunningHold> hold, long seq, Instant time) {
        return new InvoiceState(key, amount, balance, status, issuedOn, dueOn, contactEmail, statusSince,
                escalationReason, payments, reminders, dunning, hold, seq, time);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
