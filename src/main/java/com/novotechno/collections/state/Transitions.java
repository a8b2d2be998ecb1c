package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.Change.DunningEmitted;
import com.novotechno.collections.domain.Change.DunningPaused;
import com.novotechno.collections.domain.Change.DunningResumed;
import com.novotechno.collections.domain.Change.DunningRevoked;
import com.novotechno.collections.domain.Change.DunningRequested;
import com.novotechno.collections.domain.Change.Escalated;
import com.novotechno.collections.domain.Change.ReminderFailed;
import com.novotechno.collections.domain.Change.HeldExpired;
import com.novotechno.collections.domain.Change.PaymentHeld;
import com.novotechno.collections.domain.Change.Issued;
import com.novotechno.collections.domain.Change.PaymentApplied;
import com.novotechno.collections.domain.Change.ReminderRecorded;
import com.novotechno.collections.domain.Change.Amended;
import com.novotechno.collections.domain.Change.ClientErased;
import com.novotechno.collections.domain.Change.CreditIssued;
import com.novotechno.collections.domain.Change.PaymentReversed;
import com.novotechno.collections.domain.Change.Voided;
import com.novotechno.collections.domain.Change.WrittenOff;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.domain.PersonalData;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.state.InvoiceState.Amendment;
import com.novotechno.collections.state.InvoiceState.Credit;
import com.novotechno.collections.state.InvoiceState.Payment;
import com.novotechno.collections.state.InvoiceState.Reminder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one function from (state, log entry) to the next state. Live processing and replay both
 * call it, which is why a rebuild reproduces the state files byte for byte. It never rejects:
 * {@link ChangeDecider} has checked the change before it entered the log, so a failure here
 * means the log and the state disagree, and that is raised loudly.
 */
public final class Transitions {

    private Transitions() {
    }

    /**
     * A whole client's pause after an entry for all its invoices (dunning.paused or dunning.resumed).
     * An erasure leaves the pause, its reason erased (see {@link Erasure}, which the book applies).
     */
    public static Optional<DunningHold> applyToClient(Optional<DunningHold> current, LogEntry entry) {
        if (!entry.invoice().isWholeClient()) {
            throw impossible(entry, "it is for one invoice, not a whole client");
        }
        if (entry.change() instanceof ClientErased) {
            return current.map(Erasure::of);
        }
        if (entry.change() instanceof DunningPaused paused) {
            return Optional.of(new DunningHold(paused.reason(), paused.until()));
        }
        if (entry.change() instanceof DunningResumed && current.isPresent()) {
            return Optional.empty();
        }
        throw impossible(entry, "a whole client takes only a pause or, when paused, a resumption");
    }

    /** The next record under the entry's invoice key: its invoice, its held payments, or both. */
    public static InvoiceRecord apply(InvoiceRecord current, LogEntry entry) {
        if (!current.key().equals(entry.invoice())) {
            throw impossible(entry, "it was given the record of " + current.key());
        }
        if (entry.seq() <= current.lastSeq()) {
            throw impossible(entry, "the record is at seq " + current.lastSeq() + " already");
        }
        Change change = entry.change();
        if (change instanceof Issued issued) {
            if (current.invoice().isPresent()) {
                throw impossible(entry, "the invoice exists already");
            }
            return issue(current, issued, entry);
        }
        if (change instanceof PaymentHeld held) {
            if (current.invoice().isPresent()) {
                throw impossible(entry, "a payment is held only for an invoice not yet issued");
            }
            List<HeldPayment> unapplied = new ArrayList<>(current.unapplied());
            unapplied.add(held(entry, held.payment().amount(), held.payment(), Optional.empty()));
            return new InvoiceRecord(current.key(), Optional.empty(), unapplied, entry.seq());
        }
        if (change instanceof HeldExpired expired) {
            List<HeldPayment> unapplied = new ArrayList<>(current.unapplied());
            int at = waitingAt(unapplied, expired.heldSeq(), entry);
            unapplied.set(at, unapplied.get(at).refunded(expired.reason(), entry.seq()));
            return new InvoiceRecord(current.key(), current.invoice(), unapplied, entry.seq());
        }
        if (change instanceof PaymentReversed reversed) {
            return reverse(current, reversed, entry);
        }
        InvoiceState next = apply(current.invoice(), entry);
        List<HeldPayment> unapplied = current.unapplied();
        if (change instanceof PaymentApplied payment && payment.excess().isPresent()) {
            // Paid off, and the rest kept to refund: accepted money is never dead-lettered (CONTRACT section 1).
            unapplied = new ArrayList<>(unapplied);
            unapplied.add(held(entry, payment.excess().get(), payment, Optional.of(overpaid(payment.amount(), payment.applied()))));
        }
        return new InvoiceRecord(current.key(), Optional.of(next), unapplied, entry.seq());
    }

    private static String overpaid(Money amount, Money balance) {
        return "overpaid: " + amount + " against a balance of " + balance + "; the excess is to be refunded";
    }

    private static HeldPayment held(LogEntry entry, Money amount, PaymentApplied payment, Optional<String> refund) {
        return new HeldPayment(entry.seq(), entry.messageId(), amount, payment.method(), payment.reference(),
                payment.receivedOn(), entry.time(), refund, refund.isPresent() ? entry.seq() : 0);
    }

    /**
     * A chargeback or bounce: a payment on the invoice counts no more (a settled invoice reopens, back to
     * the status it had, and dunning resumes where it stood) and its excess is no longer to refund; a
     * payment still held for an invoice not yet issued is dropped.
     */
    private static InvoiceRecord reverse(InvoiceRecord current, PaymentReversed reversed, LogEntry entry) {
        List<HeldPayment> unapplied = new ArrayList<>(current.unapplied());
        boolean heldToo = unapplied.removeIf(held -> held.seq() == reversed.paymentSeq());
        if (current.invoice().isEmpty()) {
            if (!heldToo) {
                throw impossible(entry, "no payment held at seq " + reversed.paymentSeq());
            }
            return new InvoiceRecord(current.key(), Optional.empty(), unapplied, entry.seq());
        }
        InvoiceState state = current.invoice().get();
        Optional<Payment> onInvoice = state.payments().stream()
                .filter(p -> p.seq() == reversed.paymentSeq() && !p.reversed()).findFirst();
        if (onInvoice.isEmpty()) {
            if (!heldToo) {
                throw impossible(entry, "no payment at seq " + reversed.paymentSeq() + " to reverse");
            }
            return new InvoiceRecord(current.key(), current.invoice(), unapplied, entry.seq()); // was to refund only
        }
        Payment payment = onInvoice.get();
        if (!payment.amount().equals(reversed.amount())) {
            throw impossible(entry, "the payment is of " + payment.amount() + ", not " + reversed.amount());
        }
        if (!state.status().isOpen() && !state.status().isSettled()) {
            throw impossible(entry, "a " + state.status().wireName() + " invoice does not reopen");
        }
        InvoiceState.Next next = state.next(entry.seq(), entry.time());
        next.payments.replaceAll(p -> p == payment ? p.reversedBy(entry.seq(), reversed.reason()) : p);
        next.balance = state.balance().plus(payment.amount());
        reclaimExcess(next, unapplied);
        if (state.status().isSettled() && !next.balance.isZero()) {
            next.status(state.escalationReason().isPresent() ? InvoiceStatus.ESCALATED : InvoiceStatus.UNPAID);
        }
        return new InvoiceRecord(current.key(), Optional.of(next.build()), unapplied, entry.seq());
    }

    /**
     * Money another payment brought above the balance was held to refund; once a reversal makes the
     * invoice owe again, that money pays it first (the customer paid it for this invoice), and only
     * what is still above the balance stays to refund.
     */
    private static void reclaimExcess(InvoiceState.Next next, List<HeldPayment> unapplied) {
        for (int i = 0; i < unapplied.size() && !next.balance.isZero(); i++) {
            HeldPayment held = unapplied.get(i);
            int at = indexOfActivePayment(next.payments, held.seq());
            // The excess of a payment on the invoice, or a held payment refused only because the invoice was paid
            // off already; one refused for its currency, or expired, was never this invoice's to keep.
            boolean paidOff = held.toRefund() && at < 0 && held.refundReason().orElseThrow().equals(HeldPayment.PAID_OFF)
                    && held.amount().currency().equals(next.balance.currency());
            if (!held.toRefund() || (at < 0 && (!paidOff || next.payments.size() >= Limits.MAX_PAYMENTS_PER_INVOICE))) {
                continue;
            }
            Money back = held.amount().compareTo(next.balance) <= 0 ? held.amount() : next.balance;
            if (at < 0) {
                next.payments.add(new Payment(held.seq(), held.messageId(), back, held.method(), held.reference(),
                        held.receivedOn()));
            } else {
                Payment payment = next.payments.get(at);
                next.payments.set(at, new Payment(payment.seq(), payment.messageId(), payment.amount().plus(back),
                        payment.method(), payment.reference(), payment.receivedOn()));
            }
            next.balance = next.balance.minus(back);
            if (back.equals(held.amount())) {
                unapplied.remove(i--);
            } else {
                unapplied.set(i, held.less(back));
            }
        }
    }

    private static int indexOfActivePayment(List<Payment> payments, long seq) {
        for (int i = 0; i < payments.size(); i++) {
            if (payments.get(i).seq() == seq && !payments.get(i).reversed()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A new invoice, with the payments held for it applied in arrival order and the rest marked to
     * refund, exactly as the entry records: the decision was made once, before the log.
     */
    private static InvoiceRecord issue(InvoiceRecord current, Issued issued, LogEntry entry) {
        List<HeldPayment> unapplied = new ArrayList<>(current.unapplied());
        List<Payment> payments = new ArrayList<>();
        Money balance = issued.amount();
        for (long seq : issued.heldApplied()) {
            int at = waitingAt(unapplied, seq, entry);
            HeldPayment held = unapplied.remove(at);
            if (!held.amount().currency().equals(balance.currency()) || balance.isZero()) {
                throw impossible(entry, "held payment " + seq + " of " + held.amount() + " does not fit a balance of " + balance);
            }
            // As a payment received now would: one above the balance pays it off, and its excess is to refund.
            Money applied = held.amount().compareTo(balance) <= 0 ? held.amount() : balance;
            if (!applied.equals(held.amount())) {
                unapplied.add(at, held.less(applied).refunded(overpaid(held.amount(), applied), entry.seq()));
            }
            balance = balance.minus(applied);
            payments.add(new Payment(held.seq(), held.messageId(), applied, held.method(), held.reference(),
                    held.receivedOn()));
        }
        for (Change.HeldRefusal refusal : issued.heldRefused()) {
            int at = waitingAt(unapplied, refusal.seq(), entry);
            unapplied.set(at, unapplied.get(at).refunded(refusal.reason(), entry.seq()));
        }
        InvoiceState invoice = InvoiceState.issued(entry.invoice(), issued.amount(), balance, issued.issuedOn(),
                issued.dueOn(), PersonalData.address(issued.contactEmail()), payments, entry.seq(), entry.time());
        // InvoiceRecord refuses a payment still waiting beside an issued invoice: the entry must settle every one.
        return new InvoiceRecord(current.key(), Optional.of(invoice), unapplied, entry.seq());
    }

    private static int waitingAt(List<HeldPayment> unapplied, long seq, LogEntry entry) {
        for (int i = 0; i < unapplied.size(); i++) {
            if (unapplied.get(i).seq() == seq && !unapplied.get(i).toRefund()) {
                return i;
            }
        }
        throw impossible(entry, "no payment held at seq " + seq + " is waiting");
    }

    private static InvoiceState apply(Optional<InvoiceState> current, LogEntry entry) {
        Change change = entry.change();
        InvoiceState state = current.orElseThrow(() -> impossible(entry, "the invoice does not exist"));
        if (entry.seq() <= state.lastSeq()) {
            throw impossible(entry, "the state is at seq " + state.lastSeq() + " already");
        }
        // A closed invoice takes only what concerns requests made before: the emailer's feedback, an emission.
        boolean feedback = change instanceof ReminderRecorded || change instanceof ReminderFailed
                || change instanceof DunningEmitted || change instanceof DunningRevoked;
        if (!state.status().isOpen() && !feedback) {
            throw impossible(entry, "the invoice is " + state.status().wireName() + " already");
        }
        InvoiceState.Next next = state.next(entry.seq(), entry.time());
        if (change instanceof PaymentApplied payment) {
            Money applied = payment.applied();
            if (payment.excess().isPresent() && !applied.equals(state.balance())) {
                throw impossible(entry, "an excess is what lies above the balance of " + state.balance());
            }
            next.balance = state.balance().minus(applied);
            next.payments.add(new Payment(entry.seq(), entry.messageId(), applied, payment.method(),
                    payment.reference(), payment.receivedOn()));
            if (next.balance.isZero()) {
                next.status(InvoiceStatus.PAID);
            }
        } else if (change instanceof CreditIssued credit) {
            next.balance = state.balance().minus(credit.amount());
            next.credits.add(new Credit(entry.seq(), entry.messageId(), credit.amount(), credit.reason()));
            if (next.balance.isZero()) {
                next.status(InvoiceStatus.CREDITED);
            }
        } else if (change instanceof Voided voided) {
            if (state.hasSettlements()) {
                throw impossible(entry, "an invoice with payments or credits is not voided");
            }
            next.balance = Money.zero(state.amount().currency());
            next.closingReason = Optional.of(voided.reason());
            next.status(InvoiceStatus.VOID);
        } else if (change instanceof WrittenOff writtenOff) {
            if (!writtenOff.amount().equals(state.balance())) {
                throw impossible(entry, "it writes off " + writtenOff.amount() + " of a balance of " + state.balance());
            }
            next.balance = Money.zero(state.amount().currency());
            next.writtenOff = Optional.of(writtenOff.amount());
            next.closingReason = Optional.of(writtenOff.reason());
            next.status(InvoiceStatus.WRITTEN_OFF);
        } else if (change instanceof Amended amended) {
            List<String> fields = new ArrayList<>();
            amended.contactEmail().ifPresent(email -> {
                next.contactEmail = PersonalData.address(Optional.of(email));
                fields.add("contact_email");
            });
            amended.dueOn().ifPresent(due -> {
                next.dueOn = due;
                fields.add("due_on");
            });
            next.amendments.add(new Amendment(entry.seq(), fields, amended.reason()));
        } else if (change instanceof Escalated escalated) {
            escalate(state, next, escalated.reason(), entry);
        } else if (change instanceof ReminderRecorded reminder) {
            next.reminders.add(new Reminder(entry.seq(), reminder.level(), reminder.sentAt()));
            reminder.requestId().ifPresent(id -> next.dunningStep(step(state, id, entry).acknowledged(reminder.sentAt())));
        } else if (change instanceof ReminderFailed failed) {
            next.dunningStep(step(state, failed.requestId(), entry).failed(failed.reason()));
        } else if (change instanceof DunningEmitted emitted) {
            next.dunningStep(step(state, emitted.requestId(), entry).emitted(emitted.attempt(), entry.time()));
        } else if (change instanceof DunningRevoked revoked) {
            next.dunningStep(step(state, revoked.requestId(), entry).revoked(entry.time()));
        } else if (change instanceof DunningPaused paused) {
            next.pause = Optional.of(new DunningHold(paused.reason(), paused.until()));
        } else if (change instanceof DunningResumed) {
            if (state.pause().isEmpty()) {
                throw impossible(entry, "the invoice is not paused");
            }
            next.pause = Optional.empty();
        } else if (change instanceof DunningRequested requested) {
            if (state.dunningStep(requested.requestId()).isPresent()) {
                throw impossible(entry, "request " + requested.requestId() + " was made already");
            }
            next.dunning.add(DunningStep.decided(entry.seq(), requested.requestId(), requested.requestType(),
                    requested.level(), PersonalData.address(requested.contactEmail()), requested.balance(), requested.dueOn(),
                    requested.daysOverdue(), requested.lateByDays(), requested.asOf()));
            requested.escalationReason().ifPresent(reason -> escalate(state, next, reason, entry));
        } else {
            throw impossible(entry, "it is not a change of one invoice");
        }
        if (state.status().isOpen() && !next.status.isOpen()) {
            // Closed before the relay emitted them: withdrawn, so a reopening never sends their stale content.
            next.dunning.replaceAll(step -> step.emittedAttempts() == 0 && !step.revoked() ? step.withdrawn(entry.time())
                    : step);
        }
        return next.build();
    }

    private static void escalate(InvoiceState state, InvoiceState.Next next, String reason, LogEntry entry) {
        if (state.status() == InvoiceStatus.ESCALATED) {
            throw impossible(entry, "the invoice is escalated already");
        }
        next.status(InvoiceStatus.ESCALATED);
        next.escalationReason = Optional.of(reason);
    }

    private static DunningStep step(InvoiceState state, String requestId, LogEntry entry) {
        return state.dunningStep(requestId).orElseThrow(() -> impossible(entry, "no request " + requestId));
    }

    private static IllegalStateException impossible(LogEntry entry, String why) {
        return new IllegalStateException("log entry " + entry.seq() + " (" + entry.change().type() + " for "
                + entry.invoice() + ") cannot apply: " + why);
    }
}
