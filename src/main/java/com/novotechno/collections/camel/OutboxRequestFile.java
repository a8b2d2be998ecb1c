package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Printable;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file the relay wrote in outbox/ (CONTRACT section 3): {@code <request_id>.json}, or
 * {@code <request_id>.revoked.json} for its revocation; which request it is and for which invoice.
 */
record OutboxRequestFile(String requestId, boolean revocation, InvoiceKey key) {

    /** A request's file and its revocation's; anything else in the folder is not the service's to touch. */
    private static final Pattern NAME = Pattern.compile("(dun-[0-9a-f]{32})(\\.revoked)?\\.json");
    /** A request is a few hundred bytes; a larger file is not one the relay wrote. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    /** The request id a file's name gives, if it is named as the relay names its files. */
    static Optional<String> requestIdOf(Path file) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        return name.matches() ? Optional.of(name.group(1)) : Optional.empty();
    }

    /** Whether the name is one the relay gives a revocation's file. */
    static boolean isRevocation(Path file) {
        return file.getFileName().toString().endsWith(".revoked.json");
    }

    /**
     * Reads a file named as the relay names them.
     *
     * @throws IllegalArgumentException when it is not one the relay wrote: named otherwise, not JSON, or
     *                                  holding another request than its name says (so that a file cannot
     *                                  have another request's files removed or revoked)
     */
    static OutboxRequestFile read(Storage storage, Path file) throws IOException {
        String requestId = requestIdOf(file).orElseThrow(() -> new IllegalArgumentException("not named as a request"));
        JsonNode json = PrettyJson.JSON.readTree(storage.read(file, MAX_FILE_BYTES));
        if (!requestId.equals(json.path("request_id").asText())) {
            throw new IllegalArgumentException("it holds request " + Printable.escape(json.path("request_id").asText())
                    + ", not the one its name says");
        }
        return new OutboxRequestFile(requestId, isRevocation(file),
                new InvoiceKey(json.path("client").asText(), json.path("invoice_number").asText()));
    }
}
