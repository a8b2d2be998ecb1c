package com.novotechno.collections.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.JsonFields;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One client key on disk, {@code keys/<client>.<generation>.key}: a checksummed JSON object, so a
 * damaged key is refused rather than mistaken for an erased one (that would show a client's data
 * as erased when it is not, and the next key would reuse the generation).
 */
record KeyFile(KeyId id, Instant createdAt, SecretKey key) {

    static final String SUFFIX = ".key";
    /** AES-256. */
    static final int KEY_BYTES = 32;
    /** A key file is about 250 bytes; anything far bigger is not one. */
    static final int MAX_BYTES = 4096;
    static final String ALGORITHM = "AES";

    private static final Set<String> FIELDS = Set.of("key_id", "client", "generation", "created_at", "key");

    KeyFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!ALGORITHM.equals(key.getAlgorithm()) || key.getEncoded() == null || key.getEncoded().length != KEY_BYTES) {
            throw new IllegalArgumentException("a client key is " + KEY_BYTES + " bytes of AES");
        }
    }

    String fileName() {
        return id + SUFFIX;
    }

    /** The key id a key file's name claims, or null if the name is not a key file's. */
    static KeyId idOfFileName(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return null;
        }
        String id = fileName.substring(0, fileName.length() - SUFFIX.length());
        return KeyId.isValid(id) ? KeyId.parse(id) : null;
    }

    byte[] encode() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("key_id", id.toString());
        node.put("client", id.client());
        node.put("generation", id.generation());
        node.put("created_at", createdAt.toString());
        node.put("key", Base64.getEncoder().encodeToString(key.getEncoded()));
        return ChecksummedJson.encode(node);
    }

    /** Checks the checksum, every field, and that the content is the key its file name says. */
    static KeyFile decode(byte[] bytes, Path file) throws CorruptFileException {
        ObjectNode node = ChecksummedJson.decode(bytes, file);
        Set<String> names = new TreeSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        if (!names.equals(FIELDS)) {
            throw new CorruptFileException(file, "a key file has exactly the fields " + new TreeSet<>(FIELDS) + ", found " + names);
        }
        try {
            KeyId id = KeyId.parse(JsonFields.text(node, "key_id"));
            JsonNode generation = node.get("generation");
            if (!id.client().equals(JsonFields.text(node, "client")) || !generation.isInt() || generation.intValue() != id.generation()) {
                throw new IllegalArgumentException("key_id " + id + " disagrees with client and generation");
            }
            if (!file.getFileName().toString().equals(id + SUFFIX)) {
                throw new IllegalArgumentException("holds key " + id + ", not the one its name says");
            }
            byte[] key = Base64.getDecoder().decode(JsonFields.text(node, "key"));
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("key is " + key.length + " bytes, not " + KEY_BYTES);
            }
            return new KeyFile(id, Instant.parse(JsonFields.text(node, "created_at")), new SecretKeySpec(key, ALGORITHM));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CorruptFileException(file, e.getMessage());
        }
    }
}
