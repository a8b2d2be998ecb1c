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
        InvoiceState state = current.orElseThrow(() -> reject(message, "invoice " + message.invoice() + " does not exist"));
        // The emailer's feedback is recorded even for an invoice paid since the request (CONTRACT section 1).
        boolean feedback = message instanceof ReminderSent || message instanceof ReminderFailed;
        if (!state.status().isOpen() && !feedback) {
            throw reject(message, "invoice " + message.invoice() + " is paid and archived; it takes no further messages");
        }
        if (message instanceof PaymentReceived payment) {
            if (!payment.amount().currency().equals(state.amount().currency())) {
                throw reject(message, "currency: " + payment.amount().currency() + " differs from the invoice's "
                        + state.amount().currency());
            }
            if (payment.amount().compareTo(state.balance()) > 0) {
                throw reject(message, "amount: " + payment.amount() + " exceeds the balance of " + state.balance());
            }
            if (state.payments().size() >= Limits.MAX_PAYMENTS_PER_INVOICE) {
                throw reject(message, "invoice " + message.invoice() + " has " + Limits.MAX_PAYMENTS_PER_INVOICE
                        + " payments, the most one invoice may have");
            }
            return new Change.PaymentApplied(payment.amount(), payment.method(), payment.reference(),
                    payment.receivedOn().orElse(today));
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
            } else if (held.amount().compareTo(balance) > 0) {
                refused.add(new Change.HeldRefusal(held.seq(), "amount " + held.amount() + " exceeds the balance of "
                        + balance + " when it came to apply"));
            } else if (applied.size() >= Limits.MAX_PAYMENTS_PER_INVOICE) {
                refused.add(new Change.HeldRefusal(held.seq(), "the invoice has " + Limits.MAX_PAYMENTS_PER_INVOICE
                        + " payments, the most one invoice may have"));
            } else {
                applied.add(held.seq());
                balance = balance.minus(held.amount());
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
        throw new IllegalArgumentException("only a pause or resumption is for a whole client: " + message);
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
