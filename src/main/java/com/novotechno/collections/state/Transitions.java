package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.Change.Escalated;
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

    public static InvoiceState apply(Optional<InvoiceState> current, LogEntry entry) {
        Change change = entry.change();
        if (change instanceof Issued issued) {
            if (current.isPresent()) {
                throw impossible(entry, "the invoice exists already");
            }
            return new InvoiceState(entry.invoice(), issued.amount(), issued.amount(), InvoiceStatus.UNPAID,
                    issued.issuedOn(), issued.dueOn(), issued.contactEmail(), entry.time(), Optional.empty(),
                    List.of(), List.of(), entry.seq(), entry.time());
        }
        InvoiceState state = current.orElseThrow(() -> impossible(entry, "the invoice does not exist"));
        if (!state.status().isOpen()) {
            throw impossible(entry, "the invoice is paid already");
        }
        if (entry.seq() <= state.lastSeq()) {
            throw impossible(entry, "the state is at seq " + state.lastSeq() + " already");
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
                    payments, state.reminders(), entry.seq(), entry.time());
        }
        if (change instanceof Escalated escalated) {
            if (state.status() == InvoiceStatus.ESCALATED) {
                throw impossible(entry, "the invoice is escalated already");
            }
            return new InvoiceState(state.key(), state.amount(), state.balance(), InvoiceStatus.ESCALATED,
                    state.issuedOn(), state.dueOn(), state.contactEmail(), entry.time(),
                    Optional.of(escalated.reason()), state.payments(), state.reminders(), entry.seq(), entry.time());
        }
        if (change instanceof ReminderRecorded reminder) {
            List<Reminder> reminders = new ArrayList<>(state.reminders());
            reminders.add(new Reminder(entry.seq(), reminder.level(), reminder.sentAt()));
            return new InvoiceState(state.key(), state.amount(), state.balance(), state.status(),
                    state.issuedOn(), state.dueOn(), state.contactEmail(), state.statusSince(),
                    state.escalationReason(), state.payments(), reminders, entry.seq(), entry.time());
        }
        throw new AssertionError("unknown change " + change);
    }

    private static IllegalStateException impossible(LogEntry entry, String why) {
        return new IllegalStateException("log entry " + entry.seq() + " (" + entry.change().type() + " for "
                + entry.invoice() + ") cannot apply: " + why);
    }
}
