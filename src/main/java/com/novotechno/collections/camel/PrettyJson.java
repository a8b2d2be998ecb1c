package com.novotechno.collections.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The indented JSON of the files and messages the routes write for people: rejection reports and alerts. */
final class PrettyJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private PrettyJson() {
    }

    static String of(ObjectNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain values always serialises
        }
    }
}
