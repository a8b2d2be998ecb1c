package com.novotechno.collections.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The message types of CONTRACT section 1, with the keys each may carry besides the common ones. */
public enum MessageType {
    INVOICE_ISSUED("invoice.issued", Set.of("amount", "currency", "issued_on", "due_on", "contact_email")),
    PAYMENT_RECEIVED("payment.received", Set.of("amount", "currency", "method", "reference", "received_on")),
    INVOICE_ESCALATED("invoice.escalated", Set.of("reason")),
    REMINDER_SENT("reminder.sent", Set.of("level", "sent_at", "request_id")),
    /** From the emailer: a request it could not deliver (a bounce, a refused address). */
    REMINDER_FAILED("reminder.failed", Set.of("request_id", "reason")),
    /** A dispute or a promise to pay: no dunning requests until {@code until} or until resumed. */
    DUNNING_PAUSED("dunning.paused", Set.of("reason", "until")),
    DUNNING_RESUMED("dunning.resumed", Set.of()),
    /** A correction of an open invoice's contact or due date. */
    INVOICE_AMENDED("invoice.amended", Set.of("contact_email", "due_on", "reason")),
    /** A credit note: lowers the balance like a payment, but is no money received. */
    CREDIT_ISSUED("credit.issued", Set.of("amount", "currency", "reason")),
    /** An invoice issued in error, cancelled while nothing was paid or credited on it. */
    INVOICE_VOIDED("invoice.voided", Set.of("reason")),
    /** The remaining balance written off as a bad debt. */
    INVOICE_WRITTEN_OFF("invoice.written_off", Set.of("reason")),
    /** A chargeback or a bounced transfer: an earlier payment undone. */
    PAYMENT_REVERSED("payment.reversed", Set.of("payment_message_id", "reason")),
    /** A client's personal data erased, by destroying the key it is sealed under in the log. */
    CLIENT_ERASED("client.erased", Set.of()),
    /** The service's own, never a message in: a held payment that waited too long for its invoice. */
    UNAPPLIED_EXPIRED("unapplied.expired", Set.of()),
    /** The service's own: a dunning level decided for an invoice (CONTRACT section 3). */
    DUNNING_REQUESTED("dunning.requested", Set.of()),
    /** The service's own: a dunning request written to the outbox and sent to the emailer's queue. */
    DUNNING_EMITTED("dunning.emitted", Set.of()),
    /** The service's own: a revocation of an unacknowledged request emitted, its invoice paid or paused. */
    DUNNING_REVOKED("dunning.revoked", Set.of());

    public static final Set<String> COMMON_KEYS = Set.of("type", "message_id", "client", "invoice_number");

    private final String wireName;
    private final Set<String> ownKeys;

    MessageType(String wireName, Set<String> ownKeys) {
        this.wireName = wireName;
        this.ownKeys = ownKeys;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether producers may send this type; the others are events the service logs itself. */
    public boolean isMessage() {
        return switch (this) {
            case UNAPPLIED_EXPIRED, DUNNING_REQUESTED, DUNNING_EMITTED, DUNNING_REVOKED -> false;
            case INVOICE_ISSUED, PAYMENT_RECEIVED, INVOICE_ESCALATED, REMINDER_SENT, REMINDER_FAILED, DUNNING_PAUSED,
                    DUNNING_RESUMED, INVOICE_AMENDED, CREDIT_ISSUED, INVOICE_VOIDED, INVOICE_WRITTEN_OFF, PAYMENT_REVERSED,
                    CLIENT_ERASED -> true;
        };
    }

    public boolean allows(String key) {
        return COMMON_KEYS.contains(key) || ownKeys.contains(key);
    }

    public static Optional<MessageType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
