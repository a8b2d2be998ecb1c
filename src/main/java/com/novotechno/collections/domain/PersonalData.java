package com.novotechno.collections.domain;

import java.util.Optional;

/**
 * What {@code client.erased} erases (CONTRACT section 1): contact e-mail addresses, and every free
 * text that may name a person (reasons, a payment's method and reference). Amounts, dates, names of
 * clients and invoices and message ids stay, so the books still add up.
 *
 * <p>{@link #map} is the one list of those fields in a {@link Change}: what the log seals, and so
 * what reads as erased once the client's key is gone.
 */
public final class PersonalData {

    /** What an erased free text reads as, everywhere it used to show; an erased address is simply absent. */
    public static final String ERASED = "[erased]";

    private PersonalData() {
    }

    /** One personal value of a change, by the name of its field: the value to put in its place. */
    @FunctionalInterface
    public interface FieldMap {
        String apply(String field, String value);
    }

    /** An address as a state holds it: an erased one is none (nobody can be written to). */
    public static Optional<String> address(Optional<String> email) {
        return email.filter(value -> !value.equals(ERASED));
    }

    /** The change with each personal value replaced by what {@code map} gives for it; the rest as it was. */
    public static Change map(Change change, FieldMap map) {
        // Java 17 has no pattern switch; the sealed hierarchy keeps this chain complete.
        if (change instanceof Change.Issued c) {
            return new Change.Issued(c.amount(), c.issuedOn(), c.dueOn(), optional(map, "contact_email", c.contactEmail()),
                    c.heldApplied(), c.heldRefused());
        }
        if (change instanceof Change.PaymentApplied c) {
            return new Change.PaymentApplied(c.amount(), optional(map, "method", c.method()),
                    optional(map, "reference", c.reference()), c.receivedOn(), c.excess());
        }
        if (change instanceof Change.PaymentHeld c) {
            return new Change.PaymentHeld((Change.PaymentApplied) map(c.payment(), map));
        }
        if (change instanceof Change.Escalated c) {
            return new Change.Escalated(map.apply("reason", c.reason()));
        }
        if (change instanceof Change.ReminderFailed c) {
            return new Change.ReminderFailed(c.requestId(), map.apply("reason", c.reason()));
        }
        if (change instanceof Change.DunningRequested c) {
            return new Change.DunningRequested(c.requestId(), c.requestType(), c.level(),
                    optional(map, "contact_email", c.contactEmail()), c.balance(), c.dueOn(), c.daysOverdue(),
                    c.lateByDays(), c.asOf(), optional(map, "escalation_reason", c.escalationReason()));
        }
        if (change instanceof Change.DunningPaused c) {
            return new Change.DunningPaused(map.apply("reason", c.reason()), c.until());
        }
        if (change instanceof Change.DunningRevoked c) {
            return new Change.DunningRevoked(c.requestId(), map.apply("reason", c.reason()));
        }
        if (change instanceof Change.Amended c) {
            return new Change.Amended(optional(map, "contact_email", c.contactEmail()), c.dueOn(),
                    map.apply("reason", c.reason()));
        }
        if (change instanceof Change.CreditIssued c) {
            return new Change.CreditIssued(c.amount(), map.apply("reason", c.reason()));
        }
        if (change instanceof Change.Voided c) {
            return new Change.Voided(map.apply("reason", c.reason()));
        }
        if (change instanceof Change.WrittenOff c) {
            return new Change.WrittenOff(c.amount(), map.apply("reason", c.reason()));
        }
        if (change instanceof Change.PaymentReversed c) {
            return new Change.PaymentReversed(c.paymentSeq(), c.paymentMessageId(), c.amount(),
                    map.apply("reason", c.reason()));
        }
        // The service's own texts (why a held payment is to refund) and the rest name nobody.
        if (change instanceof Change.HeldExpired || change instanceof Change.ReminderRecorded
                || change instanceof Change.DunningEmitted || change instanceof Change.DunningResumed
                || change instanceof Change.ClientErased) {
            return change;
        }
        throw new AssertionError("unknown change " + change);
    }

    private static Optional<String> optional(FieldMap map, String field, Optional<String> value) {
        return value.map(present -> map.apply(field, present));
    }
}
