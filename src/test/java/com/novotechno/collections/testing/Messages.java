package com.novotechno.collections.testing;

import java.nio.charset.StandardCharsets;

/** Message JSON for tests, built the way a sender would write it. */
public final class Messages {

    private Messages() {
    }

    public static byte[] issued(String id, String client, String invoice, String amount, String currency) {
        return json("{\"type\":\"invoice.issued\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"amount\":\"%s\",\"currency\":\"%s\",\"issued_on\":\"2026-01-10\",\"due_on\":\"2026-02-09\"}",
                id, client, invoice, amount, currency);
    }

    /** An invoice with its own dates and a contact address, for dunning: due when the test needs it due. */
    public static byte[] issuedDue(String id, String client, String invoice, String amount, String currency,
                                   java.time.LocalDate issuedOn, java.time.LocalDate dueOn, String contactEmail) {
        return json("{\"type\":\"invoice.issued\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"amount\":\"%s\",\"currency\":\"%s\",\"issued_on\":\"%s\",\"due_on\":\"%s\",\"contact_email\":\"%s\"}",
                id, client, invoice, amount, currency, issuedOn, dueOn, contactEmail);
    }

    public static byte[] payment(String id, String client, String invoice, String amount, String currency) {
        return json("{\"type\":\"payment.received\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"amount\":\"%s\",\"currency\":\"%s\",\"method\":\"bank_transfer\",\"reference\":\"REF-%s\","
                + "\"received_on\":\"2026-02-01\"}", id, client, invoice, amount, currency, id);
    }

    public static byte[] escalated(String id, String client, String invoice, String reason) {
        return json("{\"type\":\"invoice.escalated\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"reason\":\"%s\"}", id, client, invoice, reason);
    }

    public static byte[] reminder(String id, String client, String invoice, String level) {
        return json("{\"type\":\"reminder.sent\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"level\":\"%s\",\"sent_at\":\"2026-02-16T09:00:00Z\"}", id, client, invoice, level);
    }

    public static byte[] amended(String id, String client, String invoice, String contactEmail, String dueOn) {
        return json("{\"type\":\"invoice.amended\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "%s%s\"reason\":\"typo in the PDF\"}", id, client, invoice,
                contactEmail == null ? "" : "\"contact_email\":\"" + contactEmail + "\",",
                dueOn == null ? "" : "\"due_on\":\"" + dueOn + "\",");
    }

    public static byte[] credit(String id, String client, String invoice, String amount, String currency) {
        return json("{\"type\":\"credit.issued\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"amount\":\"%s\",\"currency\":\"%s\",\"reason\":\"goods returned\"}", id, client, invoice, amount, currency);
    }

    public static byte[] voided(String id, String client, String invoice) {
        return json("{\"type\":\"invoice.voided\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"reason\":\"issued in error\"}", id, client, invoice);
    }

    public static byte[] writtenOff(String id, String client, String invoice) {
        return json("{\"type\":\"invoice.written_off\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"reason\":\"customer insolvent\"}", id, client, invoice);
    }

    public static byte[] reversed(String id, String client, String invoice, String paymentMessageId) {
        return json("{\"type\":\"payment.reversed\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"payment_message_id\":\"%s\",\"reason\":\"chargeback\"}", id, client, invoice, paymentMessageId);
    }

    /** Invoices INV-000, INV-001, ... of 100.00 USD each, message ids i0, i1, ..., for the client {@code clientOf} names. */
    public static java.util.List<byte[]> issuedMany(int count, java.util.function.IntFunction<String> clientOf) {
        java.util.List<byte[]> issued = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            issued.add(issued("i" + i, clientOf.apply(i), String.format("INV-%03d", i), "100.00", "USD"));
        }
        return issued;
    }

    /** An invoice of 100.00 USD with a contact address: personal data, sealed in the log. */
    public static byte[] issuedTo(String id, String client, String invoice, String address) {
        return json("{\"type\":\"invoice.issued\",\"message_id\":\"%s\",\"client\":\"%s\",\"invoice_number\":\"%s\","
                + "\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2026-01-10\",\"due_on\":\"2026-02-09\","
                + "\"contact_email\":\"%s\"}", id, client, invoice, address);
    }

    public static byte[] erased(String id, String client) {
        return json("{\"type\":\"client.erased\",\"message_id\":\"%s\",\"client\":\"%s\"}", id, client);
    }

    public static byte[] json(String format, Object... args) {
        return String.format(format, args).getBytes(StandardCharsets.UTF_8);
    }
}
