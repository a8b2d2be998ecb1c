package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.JsonNode;
import static com.novotechno.collections.storage.JsonFields.*;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.IsoDates;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.state.InvoiceState.Payment;
import com.novotechno.collections.state.InvoiceState.Reminder;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.CorruptFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/** The state file format (CONTRACT section 2): snake_case keys, amounts as decimal strings, a JCS checksum. */
public final class StateCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StateCodec() {
    }

    public static byte[] encode(InvoiceState state) {
        return encode(state, Keying.NONE);
    }

    /** Sealed under {@code keying} when the state reflects a keyed log line. */
    public static byte[] encode(InvoiceState state, Keying keying) {
        ObjectNode json = NODES.objectNode();
        json.put("client", state.key().client());
        json.put("invoice_number", state.key().invoiceNumber());
        json.put("amount", state.amount().toPlainString());
        json.put("currency", state.amount().currency().getCurrencyCode());
        json.put("balance", state.balance().toPlainString());
        json.put("status", state.status().wireName());
        json.put("status_since", state.statusSince().toString());
        json.put("issued_on", state.issuedOn().toString());
        json.put("due_on", state.dueOn().toString());
        state.contactEmail().ifPresent(email -> json.put("contact_email", email));
        state.escalationReason().ifPresent(reason -> json.put("escalation_reason", reason));
        ArrayNode payments = json.putArray("payments");
        for (Payment payment : state.payments()) {
            ObjectNode p = payments.addObject();
            p.put("seq", payment.seq());
            p.put("message_id", payment.messageId());
            p.put("amount", payment.amount().toPlainString());
            payment.method().ifPresent(method -> p.put("method", method));
            payment.reference().ifPresent(reference -> p.put("reference", reference));
            p.put("received_on", payment.receivedOn().toString());
            payment.reversal().ifPresent(r -> p.putObject("reversed").put("seq", r.seq()).put("reason", r.reason()));
        }
        // The lifecycle's fields are absent while empty, so the files of invoices without them read as they always did.
        if (!state.credits().isEmpty()) {
            ArrayNode credits = json.putArray("credits");
            for (InvoiceState.Credit credit : state.credits()) {
                credits.addObject().put("seq", credit.seq()).put("message_id", credit.messageId())
                        .put("amount", credit.amount().toPlainString()).put("reason", credit.reason());
            }
        }
        state.writtenOff().ifPresent(amount -> json.put("written_off", amount.toPlainString()));
        state.closingReason().ifPresent(reason -> json.put("closing_reason", reason));
        if (!state.amendments().isEmpty()) {
            ArrayNode amendments = json.putArray("amendments");
            for (InvoiceState.Amendment amendment : state.amendments()) {
                ObjectNode a = amendments.addObject().put("seq", amendment.seq());
                amendment.fields().forEach(a.putArray("fields")::add);
                a.put("reason", amendment.reason());
            }
        }
        ArrayNode reminders = json.putArray("reminders");
        for (Reminder reminder : state.reminders()) {
            ObjectNode r = reminders.addObject();
            r.put("seq", reminder.seq());
            r.put("level", reminder.level());
            r.put("sent_at", reminder.sentAt().toString());
        }
        // The highest level requested, for a reader who wants only that (CONTRACT section 3).
        if (!state.dunning().isEmpty()) {
            json.put("dunning_level", state.dunning().get(state.dunning().size() - 1).level());
        }
        ArrayNode dunning = json.putArray("dunning");
        for (DunningStep step : state.dunning()) {
            ObjectNode d = dunning.addObject();
            d.put("seq", step.seq());
            d.put("request_id", step.requestId());
            d.put("type", step.requestType());
            d.put("level", step.level());
            step.contactEmail().ifPresent(email -> d.put("contact_email", email));
            d.put("balance", step.balance().toPlainString());
            d.put("due_on", step.dueOn().toString());
            d.put("days_overdue", step.daysOverdue());
            d.put("late_by_days", step.lateByDays());
            d.put("requested_on", step.asOf().toString());
            d.put("emitted_attempts", step.emittedAttempts());
            step.emittedAt().ifPresent(at -> d.put("emitted_at", at.toString()));
            step.acknowledgedAt().ifPresent(at -> d.put("acknowledged_at", at.toString()));
            step.revokedAt().ifPresent(at -> d.put("revoked_at", at.toString()));
            ArrayNode failures = d.putArray("failures");
            step.failures().forEach(failures::add);
        }
        state.pause().ifPresent(pause -> {
            ObjectNode p = json.putObject("dunning_paused");
            p.put("reason", pause.reason());
            pause.until().ifPresent(until -> p.put("until", until.toString()));
        });
        json.put("last_seq", state.lastSeq());
        json.put("updated_at", state.updatedAt().toString());
        return ChecksummedJson.encode(json, keying.sealFor(state.lastSeq()));
    }

    /** Verifies the checksum and every invariant; any fault is a {@link CorruptFileException} naming the file. */
    public static InvoiceState decode(byte[] bytes, Path file) throws CorruptFileException {
        ObjectNode json = ChecksummedJson.decode(bytes, file);
        try {
            Currency currency = Currencies.parse(text(json, "currency"));
            List<Payment> payments = new ArrayList<>();
            for (JsonNode p : array(json, "payments")) {
                JsonNode reversed = p.get("reversed");
                payments.add(new Payment(integer(p, "seq"), text(p, "message_id"),
                        Money.ofStored(text(p, "amount"), currency), optionalText(p, "method"),
                        optionalText(p, "reference"), IsoDates.date(text(p, "received_on")),
                        reversed == null ? Optional.empty()
                                : Optional.of(new InvoiceState.Reversal(integer(reversed, "seq"), text(reversed, "reason")))));
            }
            List<InvoiceState.Credit> credits = new ArrayList<>();
            for (JsonNode c : optionalArray(json, "credits")) {
                credits.add(new InvoiceState.Credit(integer(c, "seq"), text(c, "message_id"),
                        Money.ofStored(text(c, "amount"), currency), text(c, "reason")));
            }
            List<InvoiceState.Amendment> amendments = new ArrayList<>();
            for (JsonNode a : optionalArray(json, "amendments")) {
                List<String> fields = new ArrayList<>();
                for (JsonNode field : array(a, "fields")) {
                    fields.add(field.textValue());
                }
                amendments.add(new InvoiceState.Amendment(integer(a, "seq"), fields, text(a, "reason")));
            }
            List<Reminder> reminders = new ArrayList<>();
            for (JsonNode r : array(json, "reminders")) {
                reminders.add(new Reminder(integer(r, "seq"), text(r, "level"), IsoDates.instant(text(r, "sent_at"))));
            }
            List<DunningStep> dunning = new ArrayList<>();
            // Absent in state files written before dunning: none requested.
            for (JsonNode d : optionalArray(json, "dunning")) {
                List<String> failures = new ArrayList<>();
                for (JsonNode failure : array(d, "failures")) {
                    failures.add(failure.textValue());
                }
                dunning.add(new DunningStep(integer(d, "seq"), text(d, "request_id"), text(d, "type"), text(d, "level"),
                        optionalText(d, "contact_email"), Money.ofStored(text(d, "balance"), currency),
                        IsoDates.date(text(d, "due_on")), (int) integer(d, "days_overdue"),
                        (int) integer(d, "late_by_days"), IsoDates.date(text(d, "requested_on")),
                        (int) integer(d, "emitted_attempts"), optionalText(d, "emitted_at").map(IsoDates::instant),
                        optionalText(d, "acknowledged_at").map(IsoDates::instant), failures,
                        optionalText(d, "revoked_at").map(IsoDates::instant)));
            }
            return new InvoiceState(
                    new InvoiceKey(text(json, "client"), text(json, "invoice_number")),
                    Money.ofStored(text(json, "amount"), currency),
                    Money.ofStored(text(json, "balance"), currency),
                    InvoiceStatus.fromWireName(text(json, "status")),
                    IsoDates.date(text(json, "issued_on")),
                    IsoDates.date(text(json, "due_on")),
                    optionalText(json, "contact_email"),
                    IsoDates.instant(text(json, "status_since")),
                    optionalText(json, "escalation_reason"),
                    payments, reminders, dunning, pause(json), credits,
                    optionalText(json, "written_off").map(amount -> Money.ofStored(amount, currency)),
                    optionalText(json, "closing_reason"), amendments,
                    integer(json, "last_seq"),
                    IsoDates.instant(text(json, "updated_at")));
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "checksum intact but content invalid: " + e.getMessage());
        }
    }



    /** An array that is absent while empty; present, it must be an array. */
    private static Iterable<JsonNode> optionalArray(ObjectNode json, String key) {
        return json.has(key) ? array(json, key) : List.of();
    }

    private static Optional<DunningHold> pause(ObjectNode json) {
        JsonNode pause = json.get("dunning_paused");
        return pause == null ? Optional.empty()
                : Optional.of(new DunningHold(text(pause, "reason"), optionalText(pause, "until").map(IsoDates::date)));
    }
}
