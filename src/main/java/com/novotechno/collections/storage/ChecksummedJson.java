package com.novotechno.collections.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * JSON files that carry their own {@code _checksum}: the SHA-256 of the RFC 8785 form of the
 * object without that key (and without {@code _mac}, the checksum's HMAC under the folder's key,
 * which files derived from keyed log lines carry). Written pretty-printed with keys sorted, so the same object is always
 * the same bytes (a rebuild reproduces files exactly) and a person can read them.
 */
public final class ChecksummedJson {

    public static final String CHECKSUM_KEY = "_checksum";
    public static final String MAC_KEY = "_mac";

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ChecksummedJson() {
    }

    public static byte[] encode(ObjectNode content) {
        return encode(content, java.util.Optional.empty());
    }

    /** With a key, the file also carries the checksum's MAC, as {@code _mac}. */
    public static byte[] encode(ObjectNode content, java.util.Optional<MacKey> key) {
        if (content.has(CHECKSUM_KEY) || content.has(MAC_KEY)) {
            throw new IllegalArgumentException("content already has a " + CHECKSUM_KEY + " or " + MAC_KEY);
        }
        ObjectNode withChecksum = content.deepCopy();
        String checksum = Sha256.ofCanonical(content);
        withChecksum.put(CHECKSUM_KEY, checksum);
        key.ifPresent(k -> withChecksum.put(MAC_KEY, k.mac(MacKey.Purpose.STATE_FILE, checksum)));
        try {
            return (PRETTY.writeValueAsString(sorted(withChecksum)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("writing a JSON tree to a String cannot fail", e);
        }
    }

    /**
     * The file as it would be without its {@code _mac} member, when it has one where {@link #encode} puts it
     * (the second member, after {@code _checksum}); otherwise the bytes unchanged.
     */
    public static byte[] withoutMac(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        java.util.regex.Matcher member = MAC_MEMBER.matcher(text);
        return member.find() ? (text.substring(0, member.start(1)) + text.substring(member.end(1))).getBytes(StandardCharsets.UTF_8)
                : bytes;
    }

    /** {@code _mac} right after {@code _checksum}, at the top of the object, as {@link #encode} writes it. */
    private static final java.util.regex.Pattern MAC_MEMBER = java.util.regex.Pattern.compile(
            "\\A\\{\\s*\"_checksum\" ?: ?\"[0-9a-f]{64}\",(\\s*\"_mac\" ?: ?\"[0-9a-f:]{1,100}\",)");

    /** Parses and verifies; returns the object without its checksum. */
    public static ObjectNode decode(byte[] bytes, Path file) throws CorruptFileException {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new CorruptFileException(file, "not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new CorruptFileException(file, "not a JSON object");
        }
        ObjectNode object = (ObjectNode) node;
        JsonNode mac = object.remove(MAC_KEY); // checked against the key by whoever has it; never part of the checksum
        if (mac != null && !mac.isTextual()) {
            throw new CorruptFileException(file, MAC_KEY + " is not a string");
        }
        JsonNode stored = object.remove(CHECKSUM_KEY);
        if (stored == null || !stored.isTextual() || !Sha256.isHex(stored.textValue())) {
            throw new CorruptFileException(file, "no " + CHECKSUM_KEY + " of 64 hex characters");
        }
        String computed;
        try {
            computed = Sha256.ofCanonical(object);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(file, e.getMessage());
        }
        if (!computed.equals(stored.textValue())) {
            throw new CorruptFileException(file, "checksum mismatch: stored " + stored.textValue() + ", content hashes to " + computed);
        }
        return object;
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                copy.set(name, sorted(node.get(name)));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }
}
