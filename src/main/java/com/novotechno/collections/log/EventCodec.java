package com.novotechno.collections.log;

import com.fasterxml.jackson.databind.JsonNode;
import static com.novotechno.collections.storage.JsonFields.*;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.IsoDates;
import com.novotechno.collections.domain.Change.DunningEmitted;
import com.novotechno.collections.domain.Change.DunningPaused;
import com.novotechno.collections.domain.Change.DunningResumed;
import com.novotechno.collections.domain.Change.DunningRevoked;
import com.novotechno.collections.domain.Change.DunningRequested;
import com.novotechno.collections.domain.Change.Escalated;
import com.novotechno.collections.domain.Change.ReminderFailed;
import com.novotechno.collections.domain.Change.HeldExpired;
import com.novotechno.collections.domain.Change.HeldRefusal;
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
import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.MessageType;
import com.novotechno.collections.domain.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of a log line. Field names are the contract's snake_case; amounts are decimal
 * strings; every value is a string or an integer so the line's JCS form is exact.
 */
final class EventCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A payment.received line's disposition when its invoice did not exist yet. */
    private static final String HELD = "held";

    private EventCodec() {
    }

    /** The line without its {@code hash}: the object the hash is computed over. */
    static ObjectNode toJsonWithoutHash(long seq, EventDraft draft, String prev) {
        ObjectNode line = NODES.objectNode();
        line.put("seq", seq);
        line.put("time", draft.time().toString());
        line.put("message_id", draft.message().messageId());
        line.put("message_sha256", draft.message().contentSha256());
        line.put("type", draft.change().type().wireName());
        line.put("client", draft.message().invoice().client());
        line.put("invoice_number", draft.message().invoice().invoiceNumber());
        line.set("data", data(draft.change()));
        line.put("prev", prev);
        return line;
    }

    static ObjectNode data(Change change) {
        ObjectNode data = NODES.objectNode();
        // Java 17 has no pattern switch; the sealed hierarchy keeps this chain complete.
        if (change instanceof Issued issued) {
            putMoney(data, issued.amount());
            data.put("issued_on", issued.issuedOn().toString());
            data.put("due_on", issued.dueOn().toString());
            issued.contactEmail().ifPresent(email -> data.put("contact_email", email));
            // Absent when nothing was held, so lines without held payments read as they always did.
            if (!issued.heldApplied().isEmpty()) {
                ArrayNode applied = data.putArray("held_applied");
                issued.heldApplied().forEach(applied::add);
            }
            if (!issued.heldRefused().isEmpty()) {
                ArrayNode refused = data.putArray("held_refused");
                issued.heldRefused().forEach(r -> refused.addObject().put("seq", r.seq()).put("reason", r.reason()));
            }
        } else if (change instanceof PaymentHeld held) {
            putPayment(data, held.payment());
            data.put("disposition", HELD);
        } else if (change instanceof HeldExpired expired) {
            data.put("held_seq", expired.heldSeq());
            data.put("reason", expired.reason());
        } else if (change instanceof PaymentApplied payment) {
            putPayment(data, payment);
            payment.excess().ifPresent(excess -> data.put("excess", excess.toPlainString()));
        } else if (change instanceof Amended amended) {
            amended.contactEmail().ifPresent(email -> data.put("contact_email", email));
            amended.dueOn().ifPresent(due -> data.put("due_on", due.toString()));
            data.put("reason", amended.reason());
        } else if (change instanceof CreditIssued credit) {
            putMoney(data, credit.amount());
            data.put("reason", credit.reason());
        } else if (change instanceof Voided voided) {
            data.put("reason", voided.reason());
        } else if (change instanceof WrittenOff writtenOff) {
            putMoney(data, writtenOff.amount());
            data.put("reason", writtenOff.reason());
        } else if (change instanceof PaymentReversed reversed) {
            data.put("payment_seq", reversed.paymentSeq());
            data.put("payment_message_id", reversed.paymentMessageId());
            putMoney(data, reversed.amount());
            data.put("reason", reversed.reason());
        } else if (change instanceof ClientErased erased) {
            data.put("key_generation", erased.keyGeneration());
        } else if (change instanceof Escalated escalated) {
            data.put("reason", escalated.reason());
        } else if (change instanceof ReminderRecorded reminder) {
            data.put("level", reminder.level());
            data.put("sent_at", reminder.sentAt().toString());
            reminder.requestId().ifPresent(id -> data.put("request_id", id));
        } else if (change instanceof ReminderFailed failed) {
            data.put("request_id", failed.requestId());
            data.put("reason", failed.reason());
        } else if (change instanceof DunningRequested requested) {
            data.put("request_id", requested.requestId());
            data.put("request_type", requested.requestType());
            data.put("level", requested.level());
            requested.contactEmail().ifPresent(email -> data.put("contact_email", email));
            putMoney(data, requested.balance());
            data.put("due_on", requested.dueOn().toString());
            data.put("days_overdue", requested.daysOverdue());
            data.put("late_by_days", requested.lateByDays());
            data.put("as_of", requested.asOf().toString());
            requested.escalationReason().ifPresent(reason -> data.put("escalation_reason", reason));
        } else if (change instanceof DunningEmitted emitted) {
            data.put("request_id", emitted.requestId());
            data.put("attempt", emitted.attempt());
        } else if (change instanceof DunningPaused paused) {
            data.put("reason", paused.reason());
            paused.until().ifPresent(until -> data.put("until", until.toString()));
        } else if (change instanceof DunningResumed) {
            // nothing of its own
        } else if (change instanceof DunningRevoked revoked) {
            data.put("request_id", revoked.requestId());
            data.put("reason", revoked.reason());
        } else {
            throw new AssertionError("unknown change " + change);
        }
        return data;
    }

    private static void putPayment(ObjectNode data, PaymentApplied payment) {
        putMoney(data, payment.amount());
        payment.method().ifPresent(method -> data.put("method", method));
        payment.reference().ifPresent(reference -> data.put("reference", reference));
        data.put("received_on", payment.receivedOn().toString());
    }

    private static void putMoney(ObjectNode data, Money money) {
        data.put("amount", money.toPlainString());
        data.put("currency", money.currency().getCurrencyCode());
    }

    /** Decodes a line whose hash has been checked already; throws IllegalArgumentException naming the problem. */
    static LogEntry fromJson(JsonNode line) {
        MessageType type = MessageType.fromWireName(text(line, "type"))
                .orElseThrow(() -> new IllegalArgumentException("unknown type " + line.get("type")));
        JsonNode data = line.get("data");
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("missing data object");
        }
        Change change = switch (type) {
            case INVOICE_ISSUED -> new Issued(money(data), date(data, "issued_on"), date(data, "due_on"),
                    optionalText(data, "contact_email"), heldApplied(data), heldRefused(data));
            case PAYMENT_RECEIVED -> {
                PaymentApplied payment = new PaymentApplied(money(data), optionalText(data, "method"),
                        optionalText(data, "reference"), date(data, "received_on"));
                if (HELD.equals(optionalText(data, "disposition").orElse(null))) {
                    yield new PaymentHeld(payment);
                }
                Optional<Money> excess = optionalText(data, "excess").map(a -> Money.ofStored(a, payment.amount().currency()));
                yield new PaymentApplied(payment.amount(), payment.method(), payment.reference(), payment.receivedOn(), excess);
            }
            case INVOICE_AMENDED -> new Amended(optionalText(data, "contact_email"),
                    optionalText(data, "due_on").map(IsoDates::date), text(data, "reason"));
            case CREDIT_ISSUED -> new CreditIssued(money(data), text(data, "reason"));
            case INVOICE_VOIDED -> new Voided(text(data, "reason"));
            case INVOICE_WRITTEN_OFF -> new WrittenOff(money(data), text(data, "reason"));
            case PAYMENT_REVERSED -> new PaymentReversed(integer(data, "payment_seq"), text(data, "payment_message_id"),
                    money(data), text(data, "reason"));
            case CLIENT_ERASED -> new ClientErased((int) integer(data, "key_generation"));
            case UNAPPLIED_EXPIRED -> new HeldExpired(integer(data, "held_seq"), text(data, "reason"));
            case INVOICE_ESCALATED -> new Escalated(text(data, "reason"));
            case REMINDER_SENT -> new ReminderRecorded(text(data, "level"), IsoDates.instant(text(data, "sent_at")),
                    optionalText(data, "request_id"));
            case REMINDER_FAILED -> new ReminderFailed(text(data, "request_id"), text(data, "reason"));
            case DUNNING_REQUESTED -> new DunningRequested(text(data, "request_id"), text(data, "request_type"),
                    text(data, "level"), optionalText(data, "contact_email"), money(data), date(data, "due_on"),
                    (int) integer(data, "days_overdue"), (int) integer(data, "late_by_days"), date(data, "as_of"),
                    optionalText(data, "escalation_reason"));
            case DUNNING_EMITTED -> new DunningEmitted(text(data, "request_id"), (int) integer(data, "attempt"));
            case DUNNING_PAUSED -> new DunningPaused(text(data, "reason"), optionalText(data, "until").map(IsoDates::date));
            case DUNNING_RESUMED -> new DunningResumed();
            case DUNNING_REVOKED -> new DunningRevoked(text(data, "request_id"), text(data, "reason"));
        };
        JsonNode seq = line.get("seq");
        if (seq == null || !seq.isIntegralNumber()) {
            throw new IllegalArgumentException("seq must be an integer");
        }
        return new LogEntry(seq.longValue(), IsoDates.instant(text(line, "time")), text(line, "message_id"),
                text(line, "message_sha256"), new InvoiceKey(text(line, "client"), text(line, "invoice_number")),
                change, text(line, "prev"), text(line, "hash"));
    }

    private static List<Long> heldApplied(JsonNode data) {
        List<Long> seqs = new ArrayList<>();
        if (data.has("held_applied")) {
            for (JsonNode seq : array(data, "held_applied")) {
                if (!seq.isIntegralNumber()) {
                    throw new IllegalArgumentException("held_applied holds a non-integer");
                }
                seqs.add(seq.longValue());
            }
        }
        return seqs;
    }

    private static List<HeldRefusal> heldRefused(JsonNode data) {
        List<HeldRefusal> refusals = new ArrayList<>();
        if (data.has("held_refused")) {
            for (JsonNode refusal : array(data, "held_refused")) {
                refusals.add(new HeldRefusal(integer(refusal, "seq"), text(refusal, "reason")));
            }
        }
        return refusals;
    }

    private static Money money(JsonNode data) {
        Currency currency = Currencies.parse(text(data, "currency"));
        return Money.ofStored(text(data, "amount"), currency);
    }

    private static LocalDate date(JsonNode node, String key) {
        return IsoDates.date(text(node, key));
    }


}
