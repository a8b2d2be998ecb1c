package com.novotechno.collections.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Typed reads of stored JSON; each failure names the key. Stored files are ours, so a wrong type is corruption. */
public final class JsonFields {

    private JsonFields() {
    }

    public static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return value.textValue();
    }

    public static Optional<String> optionalText(JsonNode node, String key) {
        return node.has(key) ? Optional.of(text(node, key)) : Optional.empty();
    }

    public static long integer(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be an integer");
        }
        return value.longValue();
    }

    public static JsonNode array(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException(key + " must be an array");
        }
        return value;
    }

    public static boolean bool(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false");
        }
        return value.booleanValue();
    }
}
