package com.novotechno.collections.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.storage.Jcs;
import com.novotechno.collections.storage.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Log lines as whoever can write the data folder but cannot read the MAC key forges them: any content,
 * with the seq, prev and hash the service would write, and a MAC only if they have one to copy or invent.
 */
public final class LogForgery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LogForgery() {
    }

    public static List<String> lines(Path data) throws IOException {
        return Files.readAllLines(data.resolve("events.log"));
    }

    public static ObjectNode line(Path data, int index) throws IOException {
        return (ObjectNode) JSON.readTree(lines(data).get(index));
    }

    /** The line in the log's own form (JCS), its hash recomputed over its content, with {@code mac} if given. */
    public static String rehashed(ObjectNode line, Optional<String> mac) {
        ObjectNode forged = line.deepCopy();
        forged.remove(List.of("hash", "mac"));
        forged.put("hash", Sha256.ofCanonical(forged));
        mac.ifPresent(value -> forged.put("mac", value));
        return new String(Jcs.canonicalize(forged), StandardCharsets.UTF_8);
    }

    /** Replaces the log with these lines. */
    public static void write(Path data, List<String> lines) throws IOException {
        Files.write(data.resolve("events.log"), lines);
    }
}
