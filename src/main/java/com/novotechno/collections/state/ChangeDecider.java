package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceMessage;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceEscalated;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceIssued;
import com.novotechno.collections.domain.InvoiceMessage.PaymentReceived;
import com.novotechno.collections.domain.InvoiceMessage.DunningPaused;
import com.novotechno.collections.domain.InvoiceMessage.DunningResumed;
import com.novotechno.collections.domain.InvoiceMessage.ReminderFailed;
import com.novotechno.collections.domain.InvoiceMessage.ReminderSent;
import com.novotechno.collections.domain.InvoiceMessage.CreditIssued;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceAmended;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceVoided;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceWrittenOff;
import com.novotechno.collections.domain.InvoiceMessage.PaymentReversed;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.domain.RejectedMessageException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The business rules of CONTRACT section 1 that depend on the invoice's current state: decides
 * the change a new (not duplicate) message makes, or rejects it. Defaults are resolved here, once,
 * so the log records them and a replay never depends on the day it runs.
 */
public final class ChangeDecider {

    private final int termsDays;

    public ChangeDecider(int termsDays) {
        if (termsDays < 0 || termsDays > Limits.MAX_TERMS_DAYS) {
            throw new IllegalArgumentException("terms-days must be 0.." + Limits.MAX_TERMS_DAYS + ", found " + termsDays);
        }
        this.termsDays = termsDays;
    }

    /** The last day any date may fall on: the ISO form stays four digits, which every reader parses. */
    static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

    public Change decide(InvoiceMessage message, Optional<InvoiceState> current, LocalDate today)
            throws RejectedMessageException {
        return decide(message, new InvoiceRecord(message.invoice(), current, List.of(),
                current.map(InvoiceState::lastSeq).orElse(0L)), today);
    }

    public Change decide(InvoiceMessage message, InvoiceRecord record, LocalDate today) throws RejectedMessageException {
        Optional<InvoiceState> current = record.invoice();
        if (message instanceof InvoiceIssued issued) {
            if (current.isPresent()) {
                throw reject(message, "invoice " + message.invoice() + " exists already (status "
                        + current.get().status().wireName() + ")");
            }
            // An overdue invoice dropped in late names only its due date: it was issued by then at the latest.
            LocalDate issuedOn = issued.issuedOn()
                    .orElseGet(() -> issued.dueOn().filter(due -> due.isBefore(today)).orElse(today));
            if (issuedOn.plusDays(termsDays).isAfter(LAST_DAY)) {
                throw reject(message, "issued_on: " + issuedOn + " plus the terms is beyond " + LAST_DAY);
            }
            LocalDate dueOn = issued.dueOn().orElse(issuedOn.plusDays(termsDays));
            return settleHeld(new Change.Issued(issued.amount(), issuedOn, dueOn, issued.contactEmail()), record.waiting());
        }
        if (message instanceof PaymentReceived payment && current.isEmpty()) {
            // The bank feed may be ahead of the invoice's producer: hold the money until the invoice arrives.
            if (record.unapplied().size() >= Limits.MAX_HELD_PAYMENTS_PER_INVOICE) {
                throw reject(message, "invoice " + message.invoice() + " does not exist, and "
                        + Limits.MAX_HELD_PAYMENTS_PER_INVOICE + " payments are held for it already, the most one invoice may have");
            }
            return new Change.PaymentHeld(new Change.PaymentApplied(payment.amount(), payment.method(),
                    payment.reference(), payment.receivedOn().orElse(today)));
        }
        if (message instanceof PaymentReversed reversal && current.isEmpty()) {
            return reverseHeld(reversal, record);
        }
        InvoiceState state = current.orElseThrow(() -> reject(message, "invoice " + message.invoice() + " does not exist"));
        // The emailer's feedback is recorded even for an invoice closed since the request (CONTRACT section 1),
        // and a chargeback can reopen a paid or credited one.
        boolean feedback = message instanceof ReminderSent || message instanceof ReminderFailed;
        boolean reopening = message instanceof PaymentReversed && state.status().isSettled();
        if (!state.status().isOpen() && !feedback && !reopening) {
            throw reject(message, "invoice " + message.invoice() + " is " + state.status().wireName()
                    + " and archived; it takes no further messages");
        }
        if (message instanceof PaymentReceived payment) {
            requireCurrency(message, payment.amount(), state);
            if (state.payments().size() >= Limits.MAX_PAYMENTS_PER_INVOICE) {
                throw reject(message, "invoice " + message.invoice() + " has " + Limits.MAX_PAYMENTS_PER_INVOICE
                        + " payments, the most one invoice may have");
            }
            Optional<Money> excess = Optional.empty();
            if (payment.amount().compareTo(state.balance()) > 0) {
                // An overpayment pays the invoice off; the rest is held to refund, since the money was received.
                if (record.unapplied().size() >= Limits.MAX_HELD_PAYMENTS_PER_INVOICE) {
                    throw reject(message, "amount: " + payment.amount() + " exceeds the balance of " + state.balance()
                            + ", and " + Limits.MAX_HELD_PAYMENTS_PER_INVOICE + " payments are held to refund for it already");
                }
                excess = Optional.of(payment.amount().minus(state.balance()));
            }
            return new Change.PaymentApplied(payment.amount(), payment.method(), payment.reference(),
                    payment.receivedOn().orElse(today), excess);
        }
        if (message instanceof CreditIssued credit) {
            requireCurrency(message, credit.amount(), state);
            if (credit.amount().compareTo(state.balance()) > 0) {
                throw reject(message, "amount: the credit of " + credit.amount() + " exceeds the balance of "
                        + state.balance() + "; a credit note takes at most what is owed");
            }
            if (state.credits().size() >= Limits.MAX_CREDITS_PER_INVOICE) {
                throw reject(message, "invoice " + message.invoice() + " has " + Limits.MAX_CREDITS_PER_INVOICE
                        + " credits, the most one invoice may have");
            }
            return new Change.CreditIssued(credit.amount(), credit.reason());
        }
        if (message instanceof InvoiceVoided voided) {
            if (state.hasSettlements()) {
                throw reject(message, "invoice " + message.invoice() + " has payments or credits on it, so it cannot be"
                        + " voided; credit or write off the balance instead");
            }
            return new Change.Voided(voided.reason());
        }
        if (message instanceof InvoiceWrittenOff writtenOff) {
            return new Change.WrittenOff(state.balance(), writtenOff.reason());
        }
        if (message instanceof InvoiceAmended amended) {
            return amend(amended, state);
        }
        if (message instanceof PaymentReversed reversal) {
            return reverse(reversal, state, record);
        }
        if (message instanceof InvoiceEscalated escalated) {
            if (state.status() == InvoiceStatus.ESCALATED) {
                throw reject(message, "invoice " + message.invoice() + " is escalated already");
            }
            return new Change.Escalated(escalated.reason());
        }
        if (message instanceof ReminderSent reminder) {
            if (state.reminders().size() >= Limits.MAX_REMINDERS_PER_INVOICE) {
                throw reject(message, "invoice " + message.invoice() + " has " + Limits.MAX_REMINDERS_PER_INVOICE
                        + " reminders, the most one invoice may have");
            }
            if (reminder.requestId().isPresent()) {
                DunningStep step = requireRequest(message, state, reminder.requestId().get());
                if (!step.level().equals(reminder.level())) {
                    throw reject(message, "level: " + reminder.level() + " is not the level of request "
                            + step.requestId() + " (" + step.level() + ")");
                }
            }
            return new Change.ReminderRecorded(reminder.level(), reminder.sentAt(), reminder.requestId());
        }
        if (message instanceof DunningPaused paused) {
            if (paused.until().isPresent() && paused.until().get().isBefore(today)) {
                throw reject(message, "until: " + paused.until().get() + " is over already (today is " + today + ")");
            }
            return new Change.DunningPaused(paused.reason(), paused.until());
        }
        if (message instanceof DunningResumed) {
            if (state.pause().isEmpty()) {
                throw reject(message, "invoice " + message.invoice() + " is not paused");
            }
            return new Change.DunningResumed();
        }
        if (message instanceof ReminderFailed failed) {
            DunningStep step = requireRequest(message, state, failed.requestId());
            if (step.failures().size() >= Limits.MAX_REMINDERS_PER_INVOICE) {
                throw reject(message, "request " + failed.requestId() + " has " + Limits.MAX_REMINDERS_PER_INVOICE
                        + " failures recorded, the most one request may have");
            }
            return new Change.ReminderFailed(failed.requestId(), failed.reason());
        }
        throw new AssertionError("unknown message " + message);
    }

    private static void requireCurrency(InvoiceMessage message, Money amount, InvoiceState state)
            throws RejectedMessageException {
        if (!amount.currency().equals(state.amount().currency())) {
            throw reject(message, "currency: " + amount.currency() + " differs from the invoice's "
                    + state.amount().currency());
        }
    }

    /** A new due date moves the dunning levels not yet requested (the planner reads it); requests made stand. */
    private static Change amend(InvoiceAmended amended, InvoiceState state) throws RejectedMessageException {
        if (amended.dueOn().isPresent() && amended.dueOn().get().isBefore(state.issuedOn())) {
            throw reject(amended, "due_on: " + amended.dueOn().get() + " is before issued_on " + state.issuedOn());
        }
        boolean changesEmail = amended.contactEmail().isPresent() && !amended.contactEmail().equals(state.contactEmail());
        boolean changesDue = amended.dueOn().isPresent() && !amended.dueOn().get().equals(state.dueOn());
        if (!changesEmail && !changesDue) {
            throw reject(amended, "invoice " + amended.invoice() + " has that contact_email and due_on already: the"
                    + " amendment changes nothing");
        }
        if (state.amendments().size() >= Limits.MAX_AMENDMENTS_PER_INVOICE) {
            throw reject(amended, "invoice " + amended.invoice() + " has " + Limits.MAX_AMENDMENTS_PER_INVOICE
                    + " amendments, the most one invoice may have");
        }
        return new Change.Amended(amended.contactEmail(), amended.dueOn(), amended.reason());
    }

    /** A payment on the invoice, or its excess or a held one refused at issue and now to refund. */
    private static Change reverse(PaymentReversed reversal, InvoiceState state, InvoiceRecord record)
            throws RejectedMessageException {
        Optional<InvoiceState.Payment> payment = state.payment(reversal.paymentMessageId());
        if (payment.isPresent()) {
            if (payment.get().reversed()) {
                throw reject(reversal, "payment_message_id: " + reversal.paymentMessageId() + " was reversed already (log seq "
                        + payment.get().reversal().orElseThrow().seq() + ")");
            }
            return new Change.PaymentReversed(payment.get().seq(), reversal.paymentMessageId(), payment.get().amount(),
                    reversal.reason());
        }
        return reverseHeld(reversal, record);
    }

    private static Change reverseHeld(PaymentReversed reversal, InvoiceRecord record) throws RejectedMessageException {
        HeldPayment held = record.unapplied().stream().filter(h -> h.messageId().equals(reversal.paymentMessageId()))
                .findFirst().orElseThrow(() -> reject(reversal, "payment_message_id: no payment "
                        + reversal.paymentMessageId() + " is recorded for invoice " + reversal.invoice()
                        + " (or it was reversed already)"));
        return new Change.PaymentReversed(held.seq(), reversal.paymentMessageId(), held.amount(), reversal.reason());
    }

    /**
     * The payments held for a new invoice apply in arrival order under the usual rules; one that
     * breaks them was accepted already, so it is not rejected but marked to refund, with the reason.
     */
    private static Change.Issued settleHeld(Change.Issued issued, List<HeldPayment> waiting) {
        if (waiting.isEmpty()) {
            return issued;
        }
        List<Long> applied = new ArrayList<>();
        List<Change.HeldRefusal> refused = new ArrayList<>();
        Money balance = issued.amount();
        for (HeldPayment held : waiting) {
            if (!held.amount().currency().equals(balance.currency())) {
                refused.add(new Change.HeldRefusal(held.seq(), "currency " + held.amount().currency()
                        + " differs from the invoice's " + balance.currency()));
            } else if (balance.isZero()) {
                refused.add(new Change.HeldRefusal(held.seq(), HeldPayment.PAID_OFF));
            } else if (applied.size() >= Limits.MAX_PAYMENTS_PER_INVOICE) {
                refused.add(new Change.HeldRefusal(held.seq(), "the invoice has " + Limits.MAX_PAYMENTS_PER_INVOICE
                        + " payments, the most one invoice may have"));
            } else {
                // One above the balance pays it off, its excess held to refund, as for a payment received now.
                applied.add(held.seq());
                balance = held.amount().compareTo(balance) <= 0 ? balance.minus(held.amount()) : balance.minus(balance);
            }
        }
        return new Change.Issued(issued.amount(), issued.issuedOn(), issued.dueOn(), issued.contactEmail(),
                applied, refused);
    }

    /** A pause or resumption of all of a client's invoices, against the client's pause the log implies. */
    public Change decideForClient(InvoiceMessage message, Optional<DunningHold> clientPause, LocalDate today)
            throws RejectedMessageException {
        if (message instanceof DunningPaused paused) {
            if (paused.until().isPresent() && paused.until().get().isBefore(today)) {
                throw reject(message, "until: " + paused.until().get() + " is over already (today is " + today + ")");
            }
            return new Change.DunningPaused(paused.reason(), paused.until());
        }
        if (message instanceof DunningResumed) {
            if (clientPause.isEmpty()) {
                throw reject(message, "client " + message.invoice().client() + " is not paused as a whole");
            }
            return new Change.DunningResumed();
        }
        throw new IllegalArgumentException("only a pause, a resumption or an erasure is for a whole client: " + message);
    }

    private static DunningStep requireRequest(InvoiceMessage message, InvoiceState state, String requestId)
            throws RejectedMessageException {
        return state.dunningStep(requestId).orElseThrow(() -> reject(message, "request_id: " + requestId
                + " is no request made for invoice " + message.invoice()));
    }

    private static RejectedMessageException reject(InvoiceMessage message, String reason) {
        return new RejectedMessageException(message.messageId(), reason);
    }
}
