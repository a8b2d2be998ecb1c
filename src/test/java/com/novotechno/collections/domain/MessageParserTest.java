package com.novotechno.collections.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceMessage.InvoiceEscalated;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceIssued;
import com.novotechno.collections.domain.InvoiceMessage.PaymentReceived;
import com.novotechno.collections.domain.InvoiceMessage.ReminderSent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageParserTest {

    private final MessageParser parser = new MessageParser(Currency.getInstance("USD"));

    private static final String ISSUED = """
            {"type":"invoice.issued","message_id":"m-1","client":"ACME","invoice_number":"INV-1",%s}""";

    private InvoiceMessage parse(String json) throws RejectedMessageException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String issued(String extra) {
        return ISSUED.formatted(extra);
    }

    private void assertRejected(String json, String reason) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(RejectedMessageException.class)
                .satisfies(e -> assertThat(((RejectedMessageException) e).reason()).isEqualTo(reason));
    }

    @Test
    void theDunningMessagesAreParsedAndTheServicesOwnEventsAreNoMessagesIn() throws Exception {
        InvoiceMessage.DunningPaused paused = (InvoiceMessage.DunningPaused) parse("{\"type\":\"dunning.paused\","
                + "\"message_id\":\"p\",\"client\":\"ACME\",\"invoice_number\":\"INV-1\",\"reason\":\"dispute\","
                + "\"until\":\"2026-04-01\"}");
        assertThat(paused.until()).contains(java.time.LocalDate.of(2026, 4, 1));
        assertThat(parse("{\"type\":\"dunning.paused\",\"message_id\":\"p\",\"client\":\"ACME\",\"reason\":\"x\"}")
                .invoice().isWholeClient()).as("no invoice_number: the whole client").isTrue();
        assertRejected("{\"type\":\"payment.received\",\"message_id\":\"p\",\"client\":\"ACME\",\"amount\":\"1\"}",
                "invoice_number: is required");
        assertRejected("{\"type\":\"reminder.failed\",\"message_id\":\"f\",\"client\":\"ACME\",\"invoice_number\":\"I\","
                + "\"request_id\":\"dun-XYZ\",\"reason\":\"bounce\"}",
                "request_id: must be dun- and 32 lower-case hex characters, as the request carried it");
        for (String own : new String[] {"dunning.requested", "dunning.emitted", "dunning.revoked", "unapplied.expired"}) {
            assertThatThrownBy(() -> parse("{\"type\":\"" + own + "\",\"message_id\":\"o\",\"client\":\"A\","
                    + "\"invoice_number\":\"1\"}")).isInstanceOf(RejectedMessageException.class)
                    .hasMessageContaining("unknown type '" + own + "'");
        }
    }

    @Test
    void anIssuedInvoiceIsParsedWithItsCurrencyDefaulted() throws Exception {
        InvoiceIssued message = (InvoiceIssued) parse(issued("\"amount\":\"1000.5\",\"contact_email\":\"ap@acme.example\""));
        assertThat(message.messageId()).isEqualTo("m-1");
        assertThat(message.invoice()).isEqualTo(new InvoiceKey("ACME", "INV-1"));
        assertThat(message.amount().toString()).isEqualTo("1000.50 USD");
        assertThat(message.issuedOn()).isEmpty();
        assertThat(message.contactEmail()).contains("ap@acme.example");
    }

    @Test
    void eachTypeIsParsedWithItsOwnFields() throws Exception {
        PaymentReceived payment = (PaymentReceived) parse("""
                {"type":"payment.received","message_id":"p:1","client":"ACME","invoice_number":"INV-1",
                 "amount":12.5,"currency":"EUR","method":"card","reference":"R-9","received_on":"2026-02-28"}""");
        assertThat(payment.amount().toString()).isEqualTo("12.50 EUR");
        assertThat(payment.receivedOn()).contains(LocalDate.of(2026, 2, 28));
        assertThat(payment.reference()).contains("R-9");

        InvoiceEscalated escalated = (InvoiceEscalated) parse("""
                {"type":"invoice.escalated","message_id":"e1","client":"ACME","invoice_number":"INV-1","reason":"no reply"}""");
        assertThat(escalated.reason()).isEqualTo("no reply");

        ReminderSent reminder = (ReminderSent) parse("""
                {"type":"reminder.sent","message_id":"r1","client":"ACME","invoice_number":"INV-1",
                 "level":"final_notice","sent_at":"2026-03-01T10:00:00+01:00"}""");
        assertThat(reminder.sentAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
    }

    @Test
    void theSameContentHasOneChecksumWhateverItsLayout() throws Exception {
        String a = "{\"type\":\"invoice.escalated\",\"message_id\":\"e1\",\"client\":\"A\",\"invoice_number\":\"1\",\"reason\":\"x\"}";
        String b = "{ \"reason\" : \"x\", \"invoice_number\":\"1\", \"client\":\"A\", \"message_id\":\"e1\", \"type\":\"invoice.escalated\" }";
        String c = a.replace("\"x\"", "\"y\"");
        assertThat(parse(a).envelope().contentSha256()).isEqualTo(parse(b).envelope().contentSha256());
        assertThat(parse(a).envelope().contentSha256()).isNotEqualTo(parse(c).envelope().contentSha256());
        assertThat(parse(issued("\"amount\":10.50")).envelope().contentSha256())
                .isEqualTo(parse(issued("\"amount\":\"10.50\"")).envelope().contentSha256());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // the common keys
            "{\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\"}|message_id: is required",
            "{\"type\":\"invoice.issued\",\"message_id\":\"a b\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\"}|message_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -",
            "{\"type\":\"invoice.issued\",\"message_id\":\"\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\"}|message_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -",
            "{\"type\":\"invoice.issued\",\"message_id\":7,\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\"}|message_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -",
            "{\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\"}|type: is required",
            "{\"type\":\"invoice.paid\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\"}|type: unknown type 'invoice.paid'; expected one of invoice.issued, payment.received, invoice.escalated, reminder.sent, reminder.failed, dunning.paused, dunning.resumed, invoice.amended, credit.issued, invoice.voided, invoice.written_off, payment.reversed, client.erased",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"invoice_number\":\"1\",\"amount\":\"1\"}|client: is required",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"../etc\",\"invoice_number\":\"1\",\"amount\":\"1\"}|client: must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\".hidden\",\"invoice_number\":\"1\",\"amount\":\"1\"}|client: must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"a/b\",\"amount\":\"1\"}|invoice_number: must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"amount\":\"1\"}|invoice_number: is required",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"amout\":\"1\"}|amout: not a field of invoice.issued",
            // invoice.issued
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\"}|amount: is required",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":0}|amount: must be above zero, found '0'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":-3}|amount: must be above zero, found '-3'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":1e3}|amount: must be a plain decimal number like 1250.00 (digits, at most one point; no sign, exponent, separator or space), found '1e3'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1000000000001\"}|amount: must be at most 10^12 (1000000000000), found '1000000000001'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1.005\"}|amount: 1.005 has more decimals than USD allows (2)",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"10\",\"currency\":\"JPY\",\"due_on\":null,\"issued_on\":null,\"contact_email\":null,\"amount\":\"10.5\"}|message is not valid JSON: Duplicate field 'amount'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"10.5\",\"currency\":\"JPY\"}|amount: 10.5 has more decimals than JPY allows (0)",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"currency\":\"US\"}|currency: must be an ISO 4217 code of three capital letters, found 'US'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"currency\":\"ABC\"}|currency: 'ABC' is not an ISO 4217 currency",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"issued_on\":\"2026-02-30\"}|issued_on: must be an ISO date like 2026-01-31, found '2026-02-30'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"due_on\":\"31/01/2026\"}|due_on: must be an ISO date like 2026-01-31, found '31/01/2026'",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"issued_on\":\"2026-02-01\",\"due_on\":\"2026-01-31\"}|due_on: 2026-01-31 is before issued_on 2026-02-01",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"contact_email\":\"nobody\"}|contact_email: must be an e-mail address like ap@example.com",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"contact_email\":\"a\\u0000b@x.example\"}|contact_email: must be an e-mail address like ap@example.com",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"contact_email\":\"a\\u0085\\u202eb@x.example\"}|contact_email: must be an e-mail address like ap@example.com",
            "{\"type\":\"invoice.escalated\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"reason\":\"pay \\u202eyug\"}|reason: must not contain control or invisible formatting characters",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"issued_on\":\"1899-12-31\"}|issued_on: 1899-12-31 is before 1900",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"1\",\"due_on\":\"+10000-01-01\"}|due_on: must be an ISO date like 2026-01-31, found '+10000-01-01'",
            // payment.received
            "{\"type\":\"payment.received\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"currency\":\"USD\"}|amount: is required",
            "{\"type\":\"payment.received\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"5\"}|currency: is required",
            "{\"type\":\"payment.received\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"5\",\"currency\":\"USD\",\"received_on\":\"yesterday\"}|received_on: must be an ISO date like 2026-01-31, found 'yesterday'",
            "{\"type\":\"payment.received\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"5\",\"currency\":\"USD\",\"method\":\" \"}|method: must not be blank",
            "{\"type\":\"payment.received\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"5\",\"currency\":\"USD\",\"reference\":\"a\\u0000b\"}|reference: must not contain control or invisible formatting characters",
            "{\"type\":\"payment.received\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"amount\":\"5\",\"currency\":\"USD\",\"reason\":\"x\"}|reason: not a field of payment.received",
            // invoice.escalated
            "{\"type\":\"invoice.escalated\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\"}|reason: is required",
            "{\"type\":\"invoice.escalated\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"reason\":\"\\ud800\"}|reason: contains an unpaired UTF-16 surrogate",
            // reminder.sent
            "{\"type\":\"reminder.sent\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"sent_at\":\"2026-01-01T00:00:00Z\"}|level: is required",
            "{\"type\":\"reminder.sent\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"level\":\"Final Notice\",\"sent_at\":\"2026-01-01T00:00:00Z\"}|level: must be a lower-case name like reminder or final_notice",
            "{\"type\":\"reminder.sent\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"level\":\"reminder\"}|sent_at: is required",
            "{\"type\":\"reminder.sent\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"level\":\"reminder\",\"sent_at\":\"+100000-01-01T00:00:00Z\"}|sent_at: must fall in the years 1900 to 9999",
            "{\"type\":\"reminder.sent\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\",\"level\":\"reminder\",\"sent_at\":\"2026-01-01 09:00\"}|sent_at: must be an ISO timestamp with offset like 2026-01-31T09:00:00Z, found '2026-01-01 09:00'",
            // shape
            "[1,2]|message must be a JSON object",
            "{\"type\":\"invoice.issued\",\"message_id\":\"m\",\"client\":{\"name\":\"A\"}}|client: must be a string or a number, found an object",
            "{\"type\":true}|type: must be a string or a number, found a boolean",
            "{\"type\":\"invoice.issued\"} {}|message has content after its JSON object",
    })
    void everyRuleRejectsWithItsOwnReason(String json, String reason) {
        assertRejected(json, reason);
    }

    /** Every message that carries money: a negative or zero amount is a number, and is told it must be above zero. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "invoice.issued|", "payment.received|,\"currency\":\"USD\"", "credit.issued|,\"currency\":\"USD\",\"reason\":\"r\""})
    void aNegativeOrZeroAmountOfAnyMessageIsToldItMustBeAboveZero(String type, String rest) {
        for (String amount : new String[] {"\"-5.00\"", "-5", "\"0\"", "0.00", "\"-0.00\""}) {
            String json = "{\"type\":\"" + type + "\",\"message_id\":\"m\",\"client\":\"A\",\"invoice_number\":\"1\","
                    + "\"amount\":" + amount + (rest == null ? "" : rest) + "}";
            assertRejected(json, "amount: must be above zero, found '" + amount.replace("\"", "") + "'");
        }
    }

    @Test
    void rejectionsNameTheMessageOnceItsIdIsKnown() {
        assertThatThrownBy(() -> parse(issued("\"amount\":\"0\"")))
                .hasMessage("message m-1 rejected: amount: must be above zero, found '0'");
    }

    @Test
    void malformedJsonIsRejectedNotThrown() {
        assertThatThrownBy(() -> parse("{\"type\":")).isInstanceOf(RejectedMessageException.class)
                .hasMessageStartingWith("message rejected: message is not valid JSON");
    }

    @Test
    void binaryInputIsRejectedAsNotUtf8() {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3};
        assertThatThrownBy(() -> parser.parse(binary)).hasMessageContaining("not UTF-8 text");
    }

    @Test
    void oversizedMessagesAreRejectedBeforeParsing() {
        byte[] big = new byte[8 * 1024 * 1024];
        assertThatThrownBy(() -> parser.parse(big))
                .hasMessageContaining("message is larger than the limit of " + Limits.MAX_MESSAGE_BYTES + " bytes");
    }

    @Test
    void deeplyNestedJsonIsRejectedWithoutRecursion() {
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        assertThatThrownBy(() -> parse(deep)).hasMessageContaining("must be a JSON object");
        String deepField = "{\"type\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
        assertThatThrownBy(() -> parse(deepField)).hasMessageContaining("must be a string or a number, found an array");
    }

    @Test
    void namesAtTheirLimitsAreAccepted() throws Exception {
        String longName = "A" + "b".repeat(63);
        String id = "x".repeat(128);
        InvoiceMessage m = parse("{\"type\":\"invoice.escalated\",\"message_id\":\"" + id + "\",\"client\":\"" + longName
                + "\",\"invoice_number\":\"" + longName + "\",\"reason\":\"r\"}");
        assertThat(m.invoice().client()).hasSize(64);
        assertRejected("{\"type\":\"invoice.escalated\",\"message_id\":\"" + id + "x\",\"client\":\"A\",\"invoice_number\":\"1\",\"reason\":\"r\"}",
                "message_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        assertRejected("{\"type\":\"invoice.escalated\",\"message_id\":\"m\",\"client\":\"" + longName + "c\",\"invoice_number\":\"1\",\"reason\":\"r\"}",
                "client: must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
    }
    @Test
    void anInvoiceInAWithdrawnCurrencyIsRejectedButAPaymentFollowsItsInvoicesCurrency() throws Exception {
        assertRejected(issued("\"amount\":\"100\",\"currency\":\"DEM\""),
                "currency: 'DEM' is not a current ISO 4217 currency (withdrawn, or not in the list of "
                        + Currencies.CURRENT_LIST_DATE + ")");
        PaymentReceived payment = (PaymentReceived) parse("""
                {"type":"payment.received","message_id":"p-1","client":"ACME","invoice_number":"INV-1",
                 "amount":"10.00","currency":"DEM"}""");
        assertThat(payment.amount().currency()).isEqualTo(Currency.getInstance("DEM"));
    }
    @Test
    void aRejectionReasonQuotesBadValuesWithTheirControlCharactersEscaped() {
        String esc = "\\u001b[2J\\u001b[1;1H";
        assertRejected(issued("\"amount\":\"1\",\"type\":\"x" + esc + "\"").replace("\"type\":\"invoice.issued\",", ""),
                "type: unknown type 'x\\u001B[2J\\u001B[1;1H'; expected one of invoice.issued, payment.received,"
                        + " invoice.escalated, reminder.sent, reminder.failed, dunning.paused, dunning.resumed, invoice.amended,"
                        + " credit.issued, invoice.voided, invoice.written_off, payment.reversed, client.erased");
        assertRejected(issued("\"amount\":\"1\",\"currency\":\"" + esc + "\""),
                "currency: must be an ISO 4217 code of three capital letters, found '\\u001B[2J\\u001B[1;1H'");
        assertRejected(issued("\"amount\":\"1\u202e2\""),
                "amount: must be a plain decimal number like 1250.00 (digits, at most one point; no sign, exponent,"
                        + " separator or space), found '1\\u202E2'");
    }
}
