package com.novotechno.collections.dunning;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Tells the emailer not to send a request it has not acknowledged: its invoice was paid or paused
 * since (CONTRACT section 3, "Revocation"). Field for field as the contract lists them.
 */
@JsonPropertyOrder({"schema", "type", "request_id", "client", "invoice_number", "reason"})
public record DunningRevocation(
        @JsonProperty("schema") int schema,
        @JsonProperty("type") String type,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("client") String client,
        @JsonProperty("invoice_number") String invoiceNumber,
        @JsonProperty("reason") String reason) {

    public static final String REMINDER_REVOKED = "reminder.revoked";
}
