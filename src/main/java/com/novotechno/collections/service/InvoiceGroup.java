package com.novotechno.collections.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * The JMS message group of a message: its invoice, {@code client/invoice_number}. A broker
 * delivers one group's messages to one consumer at a time, in order, which is what keeps an
 * invoice's messages in order when several consumers share the queue.
 */
public final class InvoiceGroup {

    public static final String PROPERTY = "JMSXGroupID";
    private static final ObjectMapper JSON = new ObjectMapper();

    private InvoiceGroup() {
    }

    /** Empty when the body names no invoice; the service will say why when it refuses it. */
    public static Optional<String> of(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.path("client").isTextual() && node.path("invoice_number").isTextual()) {
                return Optional.of(node.get("client").asText() + "/" + node.get("invoice_number").asText());
            }
        } catch (IOException | RuntimeException notJson) {
            // no group: the message is sent anyway, and rejected by the service with its reason
        }
        return Optional.empty();
    }
}
