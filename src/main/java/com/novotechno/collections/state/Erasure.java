package com.novotechno.collections.state;

import com.novotechno.collections.domain.PersonalData;
import java.util.Optional;

/**
 * A client's records once its personal data is erased: addresses gone, free texts {@link
 * PersonalData#ERASED}, everything else as it was, seqs included. It must equal what a replay of the
 * log gives once the client's key is destroyed, which reads the same fields as erased; that is why
 * the log seals exactly the fields erased here (see the log's EventCodec).
 */
final class Erasure {

    private Erasure() {
    }

    static InvoiceRecord of(InvoiceRecord record) {
        return new InvoiceRecord(record.key(), record.invoice().map(Erasure::of),
                record.unapplied().stream().map(Erasure::of).toList(), record.lastSeq());
    }

    static DunningHold of(DunningHold hold) {
        return new DunningHold(PersonalData.ERASED, hold.until());
    }

    private static InvoiceState of(InvoiceState state) {
        InvoiceState.Next next = state.next(state.lastSeq(), state.updatedAt());
        next.contactEmail = Optional.empty();
        next.escalationReason = text(state.escalationReason());
        next.closingReason = text(state.closingReason());
        next.pause = state.pause().map(Erasure::of);
        next.payments.replaceAll(p -> new InvoiceState.Payment(p.seq(), p.messageId(), p.amount(), text(p.method()),
                text(p.reference()), p.receivedOn(),
                p.reversal().map(r -> new InvoiceState.Reversal(r.seq(), PersonalData.ERASED))));
        next.credits.replaceAll(c -> new InvoiceState.Credit(c.seq(), c.messageId(), c.amount(), PersonalData.ERASED));
        next.amendments.replaceAll(a -> new InvoiceState.Amendment(a.seq(), a.fields(), PersonalData.ERASED));
        next.dunning.replaceAll(Erasure::of);
        return next.build(); // at the state's own seq and time: an erasure changes what is read, not when
    }

    private static DunningStep of(DunningStep step) {
        return new DunningStep(step.seq(), step.requestId(), step.requestType(), step.level(), Optional.empty(),
                step.balance(), step.dueOn(), step.daysOverdue(), step.lateByDays(), step.asOf(), step.emittedAttempts(),
                step.emittedAt(), step.acknowledgedAt(), step.failures().stream().map(f -> PersonalData.ERASED).toList(),
                step.revokedAt());
    }

    private static HeldPayment of(HeldPayment held) {
        return new HeldPayment(held.seq(), held.messageId(), held.amount(), text(held.method()), text(held.reference()),
                held.receivedOn(), held.heldAt(), held.refundReason(), held.refundSeq());
    }

    private static Optional<String> text(Optional<String> text) {
        return text.map(present -> PersonalData.ERASED);
    }
}
