package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import static com.novotechno.collections.storage.JsonFields.array;
import static com.novotechno.collections.storage.JsonFields.integer;
import static com.novotechno.collections.storage.JsonFields.optionalText;
import static com.novotechno.collections.storage.JsonFields.text;

/**
 * The payments held under one invoice key, as a file beside the state files:
 * {@code state/unapplied/<client>/<invoice_number>.json}, present while the key has any (waiting
 * or to refund). Derived from the log like a state file, checksummed the same way.
 */
public final class UnappliedFiles {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private UnappliedFiles() {
    }

    public static Path path(DataLayout layout, InvoiceKey key) {
        if (key.isWholeClient()) {
            throw new IllegalArgumentException("a whole client's key " + key + " holds no payments");
        }
        Path root = layout.unappliedState();
        Path path = root.resolve(key.client()).resolve(key.invoiceNumber() + ".json").normalize();
        if (!path.getParent().getParent().equals(root)) {
            throw new IllegalStateException("held payments path escapes " + root + ": " + path);
        }
        return path;
    }

    /** Sealed under {@code keying} when the last entry the file reflects is keyed. */
    public static byte[] encode(InvoiceKey key, List<HeldPayment> unapplied, Keying keying) {
        if (unapplied.isEmpty()) {
            throw new IllegalArgumentException("no file for a key without held payments: " + key);
        }
        ObjectNode json = NODES.objectNode();
        json.put("client", key.client());
        json.put("invoice_number", key.invoiceNumber());
        ArrayNode payments = json.putArray("payments");
        for (HeldPayment held : unapplied) {
            ObjectNode p = payments.addObject();
            p.put("seq", held.seq());
            p.put("message_id", held.messageId());
            p.put("amount", held.amount().toPlainString());
            p.put("currency", held.amount().currency().getCurrencyCode());
            held.method().ifPresent(method -> p.put("method", method));
            held.reference().ifPresent(reference -> p.put("reference", reference));
            p.put("received_on", held.receivedOn().toString());
            p.put("held_at", held.heldAt().toString());
            p.put("status", held.toRefund() ? "to_refund" : "held");
            held.refundReason().ifPresent(reason -> p.put("reason", reason));
            if (held.toRefund()) {
                p.put("refund_seq", held.refundSeq());
            }
        }
        long lastSeq = unapplied.stream().mapToLong(held -> Math.max(held.seq(), held.toRefund() ? held.refundSeq() : 0))
                .max().orElseThrow();
        return ChecksummedJson.encode(json, keying.sealFor(lastSeq));
    }

    /** Verifies the checksum and the content; any fault is a {@link CorruptFileException} naming the file. */
    public static List<HeldPayment> decode(byte[] bytes, Path file) throws CorruptFileException {
        ObjectNode json = ChecksummedJson.decode(bytes, file);
        try {
            List<HeldPayment> unapplied = new ArrayList<>();
            for (JsonNode p : array(json, "payments")) {
                Currency currency = Currencies.parse(text(p, "currency"));
                String status = text(p, "status");
                if (!status.equals("held") && !status.equals("to_refund")) {
                    throw new IllegalArgumentException("status " + status);
                }
                unapplied.add(new HeldPayment(integer(p, "seq"), text(p, "message_id"),
                        Money.ofStored(text(p, "amount"), currency), optionalText(p, "method"),
                        optionalText(p, "reference"), LocalDate.parse(text(p, "received_on")),
                        Instant.parse(text(p, "held_at")), optionalText(p, "reason"),
                        p.has("refund_seq") ? integer(p, "refund_seq") : 0));
            }
            return unapplied;
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "checksum intact but content invalid: " + e.getMessage());
        }
    }
}
