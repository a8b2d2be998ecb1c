package com.novotechno.collections.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceMessage.DunningPaused;
import com.novotechno.collections.domain.InvoiceMessage.DunningResumed;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceEscalated;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceIssued;
import com.novotechno.collections.domain.InvoiceMessage.PaymentReceived;
import com.novotechno.collections.domain.InvoiceMessage.ReminderSent;
import com.novotechno.collections.domain.InvoiceMessage.ReminderFailed;
import com.novotechno.collections.domain.InvoiceMessage.ClientErased;
import com.novotechno.collections.domain.InvoiceMessage.CreditIssued;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceAmended;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceVoided;
import com.novotechno.collections.domain.InvoiceMessage.InvoiceWrittenOff;
import com.novotechno.collections.domain.InvoiceMessage.PaymentReversed;
import com.novotechno.collections.storage.Sha256;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the bytes of one message into a validated {@link InvoiceMessage}, or a rejection whose
 * reason names the field. Messages are flat JSON objects of scalars, read with a streaming
 * parser so that size and nesting are bounded before anything is built.
 */
public final class MessageParser {

    private static final Pattern REQUEST_ID = Pattern.compile("dun-[0-9a-f]{32}");
    private static final int REQUEST_ID_CHARS = 36;

    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + Limits.MAX_MESSAGE_ID_CHARS + "}");
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    /** local@domain.tld without spaces; invisible characters are refused separately (see isInvisible). */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** Dates and times are ISO with four-digit years, which every reader (the emailer's Python too) parses. */
    private static final int FIRST_YEAR = 1900;
    private static final int LAST_YEAR = 9999;
    private static final Pattern LEVEL = Pattern.compile("[a-z][a-z0-9_]{0," + (Limits.MAX_LEVEL_CHARS - 1) + "}");

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Limits.MAX_JSON_NESTING_DEPTH)
                    .maxStringLength(Limits.MAX_MESSAGE_BYTES)
                    .maxNumberLength(Limits.MAX_NUMBER_CHARS)
                    .build())
            .build();

    /** For the rejection of an unknown type: every type a producer or the emailer may send. */
    private static final String MESSAGE_TYPES = String.join(", ", java.util.Arrays.stream(MessageType.values())
            .filter(MessageType::isMessage).map(MessageType::wireName).toList());

    private final Currency defaultCurrency;

    public MessageParser(Currency defaultCurrency) {
        this.defaultCurrency = Objects.requireNonNull(defaultCurrency);
    }

    public InvoiceMessage parse(byte[] bytes) throws RejectedMessageException {
        if (bytes.length > Limits.MAX_MESSAGE_BYTES) {
            // Callers read at most one byte past the limit, so the true size is not known here.
            throw new RejectedMessageException(null, "message is larger than the limit of " + Limits.MAX_MESSAGE_BYTES + " bytes");
        }
        Map<String, Scalar> fields = readFlatObject(decodeUtf8(bytes));
        String messageId = messageId(fields);
        return new Fields(messageId, fields).toMessage();
    }

    private static String decodeUtf8(byte[] bytes) throws RejectedMessageException {
        return Utf8.decode(bytes).orElseThrow(() -> new RejectedMessageException(null, "message is not UTF-8 text"));
    }

    /** A JSON scalar as written: numbers keep their exact text so amounts are never rounded. */
    private record Scalar(String text, boolean isNumber) {
    }

    private static Map<String, Scalar> readFlatObject(String text) throws RejectedMessageException {
        Map<String, Scalar> fields = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RejectedMessageException(null, "message must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = wellFormed("a field name", parser.currentName());
                if (fields.size() >= Limits.MAX_MESSAGE_FIELDS) {
                    throw new RejectedMessageException(null, "message has more than " + Limits.MAX_MESSAGE_FIELDS + " fields");
                }
                JsonToken value = parser.nextToken();
                switch (value) {
                    case VALUE_STRING -> fields.put(name, new Scalar(wellFormed(name, parser.getText()), false));
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fields.put(name, new Scalar(parser.getText(), true));
                    case VALUE_NULL -> fields.put(name, null); // null means absent, but still a declared key
                    default -> throw new RejectedMessageException(null, name + ": must be a string or a number, found " + describe(value));
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new RejectedMessageException(null, "message is not valid JSON");
            }
            if (parser.nextToken() != null) {
                throw new RejectedMessageException(null, "message has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new RejectedMessageException(null, "message is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new AssertionError("reading from a String cannot fail with I/O", e);
        }
        return fields;
    }

    /** JSON escapes can spell a lone UTF-16 surrogate, which no UTF-8 file, and so no checksum, can hold. */
    private static String wellFormed(String field, String text) throws RejectedMessageException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new RejectedMessageException(null, field + ": contains an unpaired UTF-16 surrogate");
            }
        }
        return text;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> token.toString();
        };
    }

    private static String messageId(Map<String, Scalar> fields) throws RejectedMessageException {
        Scalar id = fields.get("message_id");
        if (id == null) {
            throw new RejectedMessageException(null, "message_id: is required");
        }
        if (id.isNumber() || !MESSAGE_ID.matcher(id.text()).matches()) {
            throw new RejectedMessageException(null,
                    "message_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        return id.text();
    }

    /** Field access that turns every problem into a rejection naming the message and the field. */
    private final class Fields {
        private final String messageId;
        private final Map<String, Scalar> fields;

        Fields(String messageId, Map<String, Scalar> fields) {
            this.messageId = messageId;
            this.fields = fields;
        }

        InvoiceMessage toMessage() throws RejectedMessageException {
            String typeName = requiredText("type");
            MessageType type = MessageType.fromWireName(typeName).filter(MessageType::isMessage)
                    .orElseThrow(() -> reject("type: unknown type '" + typeName
                            + "'; expected one of " + MESSAGE_TYPES));
            for (String key : fields.keySet()) {
                if (!type.allows(key)) {
                    throw reject(key + ": not a field of " + type);
                }
            }
            // A pause or resumption without an invoice number is for all of the client's invoices (CONTRACT section 3).
            // An erasure is always for the whole client: personal data is the client's, not one invoice's.
            boolean wholeClient = (type == MessageType.DUNNING_PAUSED || type == MessageType.DUNNING_RESUMED)
                    && fields.get("invoice_number") == null;
            if (type == MessageType.CLIENT_ERASED) {
                if (fields.get("invoice_number") != null) {
                    throw reject("invoice_number: client.erased is for a whole client and names no invoice");
                }
                wholeClient = true;
            }
            InvoiceKey invoice = wholeClient ? InvoiceKey.wholeClient(name("client"))
                    : new InvoiceKey(name("client"), name("invoice_number"));
            MessageEnvelope envelope = new MessageEnvelope(type, messageId, invoice, contentSha256());
            return switch (type) {
                case INVOICE_ISSUED -> {
                    // Only a new invoice must be in a current currency; its payments follow it, whatever ISO says since.
                    Currency currency = optionalText("currency").isPresent() ? currency(Currencies::parseCurrent)
                            : defaultCurrency;
                    Optional<LocalDate> issuedOn = optionalDate("issued_on");
                    Optional<LocalDate> dueOn = optionalDate("due_on");
                    if (issuedOn.isPresent() && dueOn.isPresent() && dueOn.get().isBefore(issuedOn.get())) {
                        throw reject("due_on: " + dueOn.get() + " is before issued_on " + issuedOn.get());
                    }
                    yield new InvoiceIssued(envelope, amount(currency), issuedOn, dueOn, optionalEmail());
                }
                case PAYMENT_RECEIVED -> new PaymentReceived(envelope, amount(currency(Currencies::parse)),
                        optionalFreeText("method", Limits.MAX_METHOD_CHARS),
                        optionalFreeText("reference", Limits.MAX_REFERENCE_CHARS),
                        optionalDate("received_on"));
                case INVOICE_ESCALATED -> new InvoiceEscalated(envelope,
                        optionalFreeText("reason", Limits.MAX_REASON_CHARS).orElseThrow(() -> reject("reason: is required")));
                case REMINDER_SENT -> new ReminderSent(envelope, level(), sentAt(), optionalRequestId());
                case REMINDER_FAILED -> new ReminderFailed(envelope, optionalRequestId()
                        .orElseThrow(() -> reject("request_id: is required")),
                        optionalFreeText("reason", Limits.MAX_REASON_CHARS).orElseThrow(() -> reject("reason: is required")));
                case DUNNING_PAUSED -> new DunningPaused(envelope,
                        optionalFreeText("reason", Limits.MAX_REASON_CHARS).orElseThrow(() -> reject("reason: is required")),
                        optionalDate("until"));
                case DUNNING_RESUMED -> new DunningResumed(envelope);
                case INVOICE_AMENDED -> amended(envelope);
                case CREDIT_ISSUED -> new CreditIssued(envelope, amount(currency(Currencies::parse)), reason());
                case INVOICE_VOIDED -> new InvoiceVoided(envelope, reason());
                case INVOICE_WRITTEN_OFF -> new InvoiceWrittenOff(envelope, reason());
                case PAYMENT_REVERSED -> new PaymentReversed(envelope, paymentMessageId(), reason());
                case CLIENT_ERASED -> new ClientErased(envelope);
                case UNAPPLIED_EXPIRED, DUNNING_REQUESTED, DUNNING_EMITTED, DUNNING_REVOKED ->
                        throw new AssertionError("filtered out above: " + type);
            };
        }

        private InvoiceAmended amended(MessageEnvelope envelope) throws RejectedMessageException {
            Optional<String> contactEmail = optionalEmail();
            Optional<LocalDate> dueOn = optionalDate("due_on");
            String reason = reason();
            if (contactEmail.isEmpty() && dueOn.isEmpty()) {
                throw reject("invoice.amended: names neither contact_email nor due_on, so it changes nothing");
            }
            return new InvoiceAmended(envelope, contactEmail, dueOn, reason);
        }

        private String reason() throws RejectedMessageException {
            return optionalFreeText("reason", Limits.MAX_REASON_CHARS).orElseThrow(() -> reject("reason: is required"));
        }

        /** A producer's message_id, by the rule every message_id follows. */
        private String paymentMessageId() throws RejectedMessageException {
            String id = requiredText("payment_message_id");
            if (!MESSAGE_ID.matcher(id).matches()) {
                throw reject("payment_message_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -, the message_id of"
                        + " the payment.received it reverses");
            }
            return id;
        }

        /**
         * The canonical content: every present field, numbers as their exact text, so that
         * {"amount": 10.50} and {"amount": "10.50"} are one content, key order is irrelevant, and
         * any other change of a value is a different content.
         */
        private String contentSha256() {
            ObjectNode canonical = JsonNodeFactory.instance.objectNode();
            fields.forEach((key, value) -> {
                if (value != null) {
                    canonical.put(key, value.text());
                }
            });
            return Sha256.ofCanonical(canonical);
        }

        private String requiredText(String key) throws RejectedMessageException {
            return optionalText(key).orElseThrow(() -> reject(key + ": is required"));
        }

        private Optional<String> optionalText(String key) throws RejectedMessageException {
            Scalar value = fields.get(key);
            if (value == null) {
                return Optional.empty();
            }
            if (value.isNumber()) {
                throw reject(key + ": must be a string");
            }
            return Optional.of(value.text());
        }

        private String name(String key) throws RejectedMessageException {
            String value = requiredText(key);
            if (!InvoiceKey.isValidName(value)) {
                throw reject(key + ": must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
            }
            return value;
        }

        private Currency currency(Function<String, Currency> parse) throws RejectedMessageException {
            String code = requiredText("currency");
            try {
                return parse.apply(code);
            } catch (IllegalArgumentException e) {
                throw reject("currency: " + e.getMessage());
            }
        }

        private Money amount(Currency currency) throws RejectedMessageException {
            Scalar value = fields.get("amount");
            if (value == null) {
                throw reject("amount: is required");
            }
            try {
                return Money.parsePositive(value.text(), currency);
            } catch (IllegalArgumentException e) {
                throw reject("amount: " + e.getMessage());
            }
        }

        private Optional<LocalDate> optionalDate(String key) throws RejectedMessageException {
            Optional<String> text = optionalText(key);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            String value = text.get();
            try {
                if (!ISO_DATE.matcher(value).matches()) {
                    throw new DateTimeParseException("not yyyy-mm-dd", value, 0);
                }
                LocalDate date = LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE);
                if (date.getYear() < FIRST_YEAR) {
                    throw reject(key + ": " + value + " is before " + FIRST_YEAR);
                }
                return Optional.of(date);
            } catch (DateTimeParseException e) {
                throw reject(key + ": must be an ISO date like 2026-01-31, found '" + abbreviate(value) + "'");
            }
        }

        private Optional<String> optionalEmail() throws RejectedMessageException {
            Optional<String> email = optionalText("contact_email");
            if (email.isPresent() && (email.get().length() > Limits.MAX_EMAIL_CHARS || !EMAIL.matcher(email.get()).matches()
                    || email.get().chars().anyMatch(MessageParser::isInvisible))) {
                throw reject("contact_email: must be an e-mail address like ap@example.com");
            }
            return email;
        }

        private Optional<String> optionalFreeText(String key, int maxChars) throws RejectedMessageException {
            Optional<String> text = optionalText(key);
            if (text.isEmpty()) {
                return text;
            }
            String value = text.get();
            if (value.isBlank()) {
                throw reject(key + ": must not be blank");
            }
            // Characters as a person counts them (code points), not the UTF-16 units Java stores them in.
            if (value.codePointCount(0, value.length()) > maxChars) {
                throw reject(key + ": must be at most " + maxChars + " characters");
            }
            if (value.chars().anyMatch(MessageParser::isInvisible)) {
                throw reject(key + ": must not contain control or invisible formatting characters");
            }
            return text;
        }

        /** A request_id the service issues: dun- and 32 lower-case hex characters (CONTRACT section 3). */
        private Optional<String> optionalRequestId() throws RejectedMessageException {
            Optional<String> id = optionalFreeText("request_id", REQUEST_ID_CHARS);
            if (id.isPresent() && !REQUEST_ID.matcher(id.get()).matches()) {
                throw reject("request_id: must be dun- and 32 lower-case hex characters, as the request carried it");
            }
            return id;
        }

        private String level() throws RejectedMessageException {
            String level = requiredText("level");
            if (!LEVEL.matcher(level).matches()) {
                throw reject("level: must be a lower-case name like reminder or final_notice");
            }
            return level;
        }

        private Instant sentAt() throws RejectedMessageException {
            String value = requiredText("sent_at");
            Instant instant;
            try {
                instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw reject("sent_at: must be an ISO timestamp with offset like 2026-01-31T09:00:00Z, found '"
                        + abbreviate(value) + "'");
            }
            int year = instant.atOffset(ZoneOffset.UTC).getYear();
            if (year < FIRST_YEAR || year > LAST_YEAR) {
                throw reject("sent_at: must fall in the years " + FIRST_YEAR + " to " + LAST_YEAR);
            }
            return instant;
        }

        private RejectedMessageException reject(String reason) {
            return new RejectedMessageException(messageId, reason);
        }
    }

    /**
     * Control characters, line and paragraph separators and format characters (bidirectional
     * overrides, zero-width joiners): text a person reads in the ledger must show what it says.
     */
    static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
