package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One invoice as its state file holds it. The constructor enforces the invariants, so an
 * instance that exists is consistent: the balance is the amount less the payments not reversed,
 * the credits, what was written off (and all of it when void), never negative; and the invoice is
 * closed exactly when the balance is zero.
 *
 * @param closingReason why it was voided or written off, exactly for those two
 * @param writtenOff    the balance written off as a bad debt, exactly when written off
 * @param lastSeq       the seq of the last log entry applied: recovery replays only what lies beyond it
 */
public record InvoiceState(InvoiceKey key, Money amount, Money balance, InvoiceStatus status,
                           LocalDate issuedOn, LocalDate dueOn, Optional<String> contactEmail,
                           Instant statusSince, Optional<String> escalationReason,
                           List<Payment> payments, List<Reminder> reminders, List<DunningStep> dunning,
                           Optional<DunningHold> pause, List<Credit> credits, Optional<Money> writtenOff,
                           Optional<String> closingReason, List<Amendment> amendments,
                           long lastSeq, Instant updatedAt) {

    /**
     * @param amount   what it lowered the balance by (an overpayment's excess is held to refund, not here)
     * @param reversal set once a chargeback or bounce undid it: it then counts for nothing
     */
    public record Payment(long seq, String messageId, Money amount, Optional<String> method,
                          Optional<String> reference, LocalDate receivedOn, Optional<Reversal> reversal) {
        public Payment(long seq, String messageId, Money amount, Optional<String> method,
                       Optional<String> reference, LocalDate receivedOn) {
            this(seq, messageId, amount, method, reference, receivedOn, Optional.empty());
        }

        public Payment {
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(method);
            Objects.requireNonNull(reference);
            Objects.requireNonNull(receivedOn);
            Objects.requireNonNull(reversal);
            reversal.ifPresent(r -> require(r.seq() > seq, "a payment reversed before it was received"));
        }

        public boolean reversed() {
            return reversal.isPresent();
        }

        Payment reversedBy(long seq, String reason) {
            return new Payment(this.seq, messageId, amount, method, reference, receivedOn,
                    Optional.of(new Reversal(seq, reason)));
        }
    }

    /** The log entry that reversed a payment, and why. */
    public record Reversal(long seq, String reason) {
        public Reversal {
            Objects.requireNonNull(reason);
        }
    }

    public record Credit(long seq, String messageId, Money amount, String reason) {
        public Credit {
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(amount);
            Objects.requireNonNull(reason);
            require(!amount.isZero(), "a credit of zero");
        }
    }

    /** A correction: which fields it changed (their values are the invoice's now, and the log's history). */
    public record Amendment(long seq, List<String> fields, String reason) {
        public Amendment {
            fields = List.copyOf(fields);
            Objects.requireNonNull(reason);
            require(!fields.isEmpty(), "an amendment of nothing");
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
        Objects.requireNonNull(writtenOff);
        Objects.requireNonNull(closingReason);
        payments = List.copyOf(payments);
        reminders = List.copyOf(reminders);
        dunning = List.copyOf(dunning);
        credits = List.copyOf(credits);
        amendments = List.copyOf(amendments);
        require(lastSeq >= 1, "last_seq must be at least 1");
        require(!dueOn.isBefore(issuedOn), "due_on is before issued_on");
        require(!amount.isZero(), "amount must be greater than zero");
        require(balance.compareTo(amount) <= 0, "balance exceeds the amount");
        Money settled = Money.zero(amount.currency());
        for (Payment payment : payments) {
            require(payment.seq() <= lastSeq, "a payment is newer than last_seq");
            if (!payment.reversed()) {
                settled = settled.plus(payment.amount());
            }
        }
        for (Credit credit : credits) {
            require(credit.seq() <= lastSeq, "a credit is newer than last_seq");
            settled = settled.plus(credit.amount());
        }
        if (writtenOff.isPresent()) {
            settled = settled.plus(writtenOff.get());
        }
        if (status == InvoiceStatus.VOID) {
            require(settled.isZero(), "void with payments or credits");
            settled = amount;
        }
        Money settledAll = settled;
        require(amount.minus(settled).equals(balance), () -> "balance " + balance + " is not amount " + amount
                + " less what settled it, " + settledAll);
        require(status.isOpen() == !balance.isZero(), () -> "status " + status.wireName() + " with balance " + balance);
        require(status != InvoiceStatus.ESCALATED || escalationReason.isPresent(), "escalated without a reason");
        require((status == InvoiceStatus.WRITTEN_OFF) == writtenOff.isPresent(), () -> "written_off amount on a "
                + status.wireName() + " invoice");
        require((status == InvoiceStatus.WRITTEN_OFF || status == InvoiceStatus.VOID) == closingReason.isPresent(),
                () -> "a closing reason on a " + status.wireName() + " invoice");
        require(payments.size() <= Limits.MAX_PAYMENTS_PER_INVOICE, "too many payments");
        require(credits.size() <= Limits.MAX_CREDITS_PER_INVOICE, "too many credits");
        require(amendments.size() <= Limits.MAX_AMENDMENTS_PER_INVOICE, "too many amendments");
        require(reminders.size() <= Limits.MAX_REMINDERS_PER_INVOICE, "too many reminders");
        require(dunning.size() <= Limits.MAX_REMINDERS_PER_INVOICE, "too many dunning requests");
        require(dunning.size() < 2 || dunning.stream().map(DunningStep::requestId).distinct().count() == dunning.size(),
                "a dunning request twice");
    }

    /** A new invoice: unpaid, or paid at once by payments held for it. */
    static InvoiceState issued(InvoiceKey key, Money amount, Money balance, LocalDate issuedOn, LocalDate dueOn,
                               Optional<String> contactEmail, List<Payment> payments, long seq, Instant time) {
        return new InvoiceState(key, amount, balance, balance.isZero() ? InvoiceStatus.PAID : InvoiceStatus.UNPAID,
                issuedOn, dueOn, contactEmail, time, Optional.empty(), payments, List.of(), List.of(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty(), List.of(), seq, time);
    }

    /** The request with this id, if this invoice has it. */
    public Optional<DunningStep> dunningStep(String requestId) {
        return dunning.stream().filter(step -> step.requestId().equals(requestId)).findFirst();
    }

    /** The payment a message_id brought, reversed or not. */
    public Optional<Payment> payment(String messageId) {
        return payments.stream().filter(payment -> payment.messageId().equals(messageId)).findFirst();
    }

    /** The sum of the credit notes, if any. */
    public Optional<Money> credited() {
        return credits.stream().map(Credit::amount).reduce(Money::plus);
    }

    /** Payments and credits count; a reversed payment does not: what a void must find none of. */
    public boolean hasSettlements() {
        return !credits.isEmpty() || payments.stream().anyMatch(payment -> !payment.reversed());
    }

    /** A copy to change, at the entry that changes it. */
    Next next(long seq, Instant time) {
        return new Next(this, seq, time);
    }

    /**
     * The next state of an invoice, field by field: what {@link Transitions} builds each entry's
     * state with, so each change names only what it changes. {@link #build} checks every invariant.
     */
    static final class Next {
        private final InvoiceState from;
        private final long seq;
        private final Instant time;
        Money balance;
        InvoiceStatus status;
        LocalDate dueOn;
        Optional<String> contactEmail;
        Instant statusSince;
        Optional<String> escalationReason;
        final List<Payment> payments;
        final List<Reminder> reminders;
        final List<DunningStep> dunning;
        Optional<DunningHold> pause;
        final List<Credit> credits;
        Optional<Money> writtenOff;
        Optional<String> closingReason;
        final List<Amendment> amendments;

        private Next(InvoiceState from, long seq, Instant time) {
            this.from = from;
            this.seq = seq;
            this.time = time;
            balance = from.balance;
            status = from.status;
            dueOn = from.dueOn;
            contactEmail = from.contactEmail;
            statusSince = from.statusSince;
            escalationReason = from.escalationReason;
            payments = new ArrayList<>(from.payments);
            reminders = new ArrayList<>(from.reminders);
            dunning = new ArrayList<>(from.dunning);
            pause = from.pause;
            credits = new ArrayList<>(from.credits);
            writtenOff = from.writtenOff;
            closingReason = from.closingReason;
            amendments = new ArrayList<>(from.amendments);
        }

        /** A new status from this entry on (its time is the day the invoice entered its ledger section). */
        Next status(InvoiceStatus next) {
            status = next;
            statusSince = time;
            return this;
        }

        Next dunningStep(DunningStep step) {
            dunning.replaceAll(existing -> existing.requestId().equals(step.requestId()) ? step : existing);
            return this;
        }

        InvoiceState build() {
            return new InvoiceState(from.key, from.amount, balance, status, from.issuedOn, dueOn, contactEmail,
                    statusSince, escalationReason, payments, reminders, dunning, pause, credits, writtenOff,
                    closingReason, amendments, seq, time);
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A problem whose text is built only when it is one: a replay constructs millions of states. */
    private static void require(boolean condition, java.util.function.Supplier<String> problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem.get());
        }
    }
}
