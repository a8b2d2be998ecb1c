package com.novotechno.collections.dunning;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * A request to the emailer (CONTRACT section 3), field for field and in the contract's order, so
 * that Jackson marshals it as is. Dates are ISO strings and the balance a decimal string at the
 * currency's scale, as in state files, so the JSON depends on no Jackson module or setting.
 *
 * @param contactEmail null only in an escalation of an invoice that has none
 */
@JsonPropertyOrder({"schema", "type", "request_id", "client", "invoice_number", "contact_email", "balance",
        "currency", "due_on", "days_overdue", "level", "late_by_days", "as_of", "group_key"})
public record DunningRequest(
        @JsonProperty("schema") int schema,
        @JsonProperty("type") String type,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("client") String client,
        @JsonProperty("invoice_number") String invoiceNumber,
        @JsonProperty("contact_email") String contactEmail,
        @JsonProperty("balance") String balance,
        @JsonProperty("currency") String currency,
        @JsonProperty("due_on") String dueOn,
        @JsonProperty("days_overdue") int daysOverdue,
        @JsonProperty("level") String level,
        @JsonProperty("late_by_days") int lateByDays,
        @JsonProperty("as_of") String asOf,
        @JsonProperty("group_key") String groupKey) {

    public static final int SCHEMA = 1;
    public static final String REMINDER_REQUESTED = "reminder.requested";
    public static final String ESCALATION_REQUESTED = "escalation.requested";
    public static final String REQUEST_ID_PREFIX = "dun-";
    /** 128 bits of the hash: no two invoice levels collide in practice, and the id stays short. */
    public static final int REQUEST_ID_HEX_CHARS = 32;

    /** {@code dun-} + the first 32 hex characters of SHA-256 of {@code <client>/<invoice_number>/<level>}: forever the same. */
    public static String idFor(InvoiceKey key, String level) {
        String hash = Sha256.hex((key.client() + "/" + key.invoiceNumber() + "/" + level).getBytes(StandardCharsets.UTF_8));
        return REQUEST_ID_PREFIX + hash.substring(0, REQUEST_ID_HEX_CHARS);
    }

    /** The run's "today" as a date. */
    public LocalDate asOfDate() {
        return LocalDate.parse(asOf);
    }
}
