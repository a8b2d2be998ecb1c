package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceMessage;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceEscalated;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceIssued;
import com.novotechno.collections.domain.InvoiceMessage.PaymentReceived;
import com.novotechno.collections.domain.InvoiceMessage.ReminderSent;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.RejectedMessageException;
import java.time.LocalDate;
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
            return new Change.Issued(issued.amount(), issuedOn, dueOn, issued.contactEmail());
        }
        InvoiceState state = current.orElseThrow(() -> reject(message, "invoice " + message.invoice() + " does not exist"));
        if (!state.status().isOpen()) {
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
            return new Change.ReminderRecorded(reminder.level(), reminder.sentAt());
        }
        throw new AssertionError("unknown message " + message);
    }

    private static RejectedMessageException reject(InvoiceMessage message, String reason) {
        return new RejectedMessageException(message.messageId(), reason);
    }
}
