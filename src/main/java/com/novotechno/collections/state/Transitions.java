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
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.log.LogEntry;
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

    /** A whole client's pause after an entry for all its invoices (dunning.paused or dunning.resumed). */
    public static Optional<DunningHold> applyToClient(Optional<DunningHold> current, LogEntry entry) {
        if (!entry.invoice().isWholeClient()) {
            throw impossible(entry, "it is for one invoice, not a whole client");
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
            Change.PaymentApplied payment = held.payment();
            unapplied.add(new HeldPayment(entry.seq(), entry.messageId(), payment.amount(), payment.method(),
                    payment.reference(), payment.receivedOn(), entry.time(), Optional.empty(), 0));
            return new InvoiceRecord(current.key(), Optional.empty(), unapplied, entry.seq());
        }
        if (change instanceof HeldExpired expired) {
            List<HeldPayment> unapplied = new ArrayList<>(current.unapplied());
            int at = waitingAt(unapplied, expired.heldSeq(), entry);
            unapplied.set(at, unapplied.get(at).refunded(expired.reason(), entry.seq()));
            return new InvoiceRecord(current.key(), current.invoice(), unapplied, entry.seq());
        }
        InvoiceState next = apply(current.invoice(), entry);
        return new InvoiceRecord(current.key(), Optional.of(next), current.unapplied(), entry.seq());
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
            HeldPayment held = unapplied.remove(waitingAt(unapplied, seq, entry));
            if (!held.amount().currency().equals(balance.currency()) || held.amount().compareTo(balance) > 0) {
                throw impossible(entry, "held payment " + seq + " of " + held.amount() + " does not fit a balance of " + balance);
            }
            balance = balance.minus(held.amount());
            payments.add(new Payment(held.seq(), held.messageId(), held.amount(), held.method(), held.reference(),
                    held.receivedOn()));
        }
        for (Change.HeldRefusal refusal : issued.heldRefused()) {
            int at = waitingAt(unapplied, refusal.seq(), entry);
            unapplied.set(at, unapplied.get(at).refunded(refusal.reason(), entry.seq()));
        }
        InvoiceStatus status = balance.isZero() ? InvoiceStatus.PAID : InvoiceStatus.UNPAID;
        InvoiceState invoice = new InvoiceState(entry.invoice(), issued.amount(), balance, status,
                issued.issuedOn(), issued.dueOn(), issued.contactEmail(), entry.time(), Optional.empty(),
                payments, List.of(), List.of(), Optional.empty(), entry.seq(), entry.time());
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
        // A paid invoice takes only what concerns requests made before: the emailer's feedback, an emission.
        boolean feedback = change instanceof ReminderRecorded || change instanceof ReminderFailed
                || change instanceof DunningEmitted || change instanceof DunningRevoked;
        if (!state.status().isOpen() && !feedback) {
            throw impossible(entry, "the invoice is paid already");
        }
        if (change instanceof PaymentApplied payment) {
            Money balance = state.balance().minus(payment.amount());
            List<Payment> payments = new ArrayList<>(state.payments());
            payments.add(new Payment(entry.seq(), entry.messageId(), payment.amount(), payment.method(),
                    payment.reference(), payment.receivedOn()));
            boolean paid = balance.isZero();
            return new InvoiceState(state.key(), state.amount(), balance,
                    paid ? InvoiceStatus.PAID : state.status(), state.issuedOn(), state.dueOn(), state.contactEmail(),
                    paid ? entry.time() : state.statusSince(), state.escalationReason(),
                    payments, state.reminders(), state.dunning(), state.pause(), entry.seq(), entry.time());
        }
        if (change instanceof Escalated escalated) {
            return escalate(state, escalated.reason(), state.dunning(), entry);
        }
        if (change instanceof ReminderRecorded reminder) {
            List<Reminder> reminders = new ArrayList<>(state.reminders());
            reminders.add(new Reminder(entry.seq(), reminder.level(), reminder.sentAt()));
            List<DunningStep> steps = new ArrayList<>(state.dunning());
            reminder.requestId().ifPresent(id -> steps.replaceAll(step -> step.requestId().equals(id)
                    ? step.acknowledged(reminder.sentAt()) : step));
            return new InvoiceState(state.key(), state.amount(), state.balance(), state.status(),
                    state.issuedOn(), state.dueOn(), state.contactEmail(), state.statusSince(),
                    state.escalationReason(), state.payments(), reminders, steps, state.pause(), entry.seq(), entry.time());
        }
        if (change instanceof ReminderFailed failed) {
            DunningStep step = step(state, failed.requestId(), entry);
            return state.withDunningStep(step.failed(failed.reason()), entry.seq(), entry.time());
        }
        if (change instanceof DunningEmitted emitted) {
            DunningStep step = step(state, emitted.requestId(), entry);
            return state.withDunningStep(step.emitted(emitted.attempt(), entry.time()), entry.seq(), entry.time());
        }
        if (change instanceof DunningRevoked revoked) {
            DunningStep step = step(state, revoked.requestId(), entry);
            return state.withDunningStep(step.revoked(entry.time()), entry.seq(), entry.time());
        }
        if (change instanceof DunningPaused paused) {
            return state.withPause(Optional.of(new DunningHold(paused.reason(), paused.until())), entry.seq(), entry.time());
        }
        if (change instanceof DunningResumed) {
            if (state.pause().isEmpty()) {
                throw impossible(entry, "the invoice is not paused");
            }
            return state.withPause(Optional.empty(), entry.seq(), entry.time());
        }
        if (change instanceof DunningRequested requested) {
            if (state.dunningStep(requested.requestId()).isPresent()) {
                throw impossible(entry, "request " + requested.requestId() + " was made already");
            }
            List<DunningStep> steps = new ArrayList<>(state.dunning());
            steps.add(DunningStep.decided(entry.seq(), requested.requestId(), requested.requestType(), requested.level(),
                    requested.contactEmail(), requested.balance(), requested.dueOn(), requested.daysOverdue(),
                    requested.lateByDays(), requested.asOf()));
            if (requested.escalationReason().isPresent()) {
                return escalate(state, requested.escalationReason().get(), steps, entry);
            }
            return new InvoiceState(state.key(), state.amount(), state.balance(), state.status(),
                    state.issuedOn(), state.dueOn(), state.contactEmail(), state.statusSince(),
                    state.escalationReason(), state.payments(), state.reminders(), steps, state.pause(), entry.seq(), entry.time());
        }
        throw new AssertionError("unknown change " + change);
    }

    private static InvoiceState escalate(InvoiceState state, String reason, List<DunningStep> steps, LogEntry entry) {
        if (state.status() == InvoiceStatus.ESCALATED) {
            throw impossible(entry, "the invoice is escalated already");
        }
        return new InvoiceState(state.key(), state.amount(), state.balance(), InvoiceStatus.ESCALATED,
                state.issuedOn(), state.dueOn(), state.contactEmail(), entry.time(),
                Optional.of(reason), state.payments(), state.reminders(), steps, state.pause(), entry.seq(), entry.time());
    }

    private static DunningStep step(InvoiceState state, String requestId, LogEntry entry) {
        return state.dunningStep(requestId).orElseThrow(() -> impossible(entry, "no request " + requestId));
    }

    private static IllegalStateException impossible(LogEntry entry, String why) {
        return new IllegalStateException("log entry " + entry.seq() + " (" + entry.change().type() + " for "
                + entry.invoice() + ") cannot apply: " + why);
    }
}
