package com.novotechno.collections.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.JsonFields;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code keys/<client>.erased}: the highest generation of the client's keys that was destroyed.
 * Written before a key file is deleted, so that a generation is never created twice even when the
 * erasure never reached the log (a crash between the two, or a destroy whose logging failed): a
 * second key under an old key id would make every value sealed under the first fail its tag,
 * which readers must report as tampering. It holds no secret, only the client name the log
 * already holds in clear.
 */
record ErasureMark(String client, int erasedThrough, Instant erasedAt) {

    static final String SUFFIX = ".erased";
    static final int MAX_BYTES = 4096;

    private static final Set<String> FIELDS = Set.of("client", "erased_through", "erased_at");

    ErasureMark {
        Objects.requireNonNull(erasedAt, "erasedAt");
        if (!InvoiceKey.isValidName(client) || erasedThrough < 1 || erasedThrough > KeyId.MAX_GENERATION) {
            throw new IllegalArgumentException("invalid erasure mark " + client + " through " + erasedThrough);
        }
    }

    String fileName() {
        return client + SUFFIX;
    }

    /** The client an erasure mark's file name names, or null if the name is not a mark's. */
    static String clientOfFileName(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return null;
        }
        String client = fileName.substring(0, fileName.length() - SUFFIX.length());
        return InvoiceKey.isValidName(client) ? client : null;
    }

    byte[] encode() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("client", client);
        node.put("erased_through", erasedThrough);
        node.put("erased_at", erasedAt.toString());
        return ChecksummedJson.encode(node);
    }

    static ErasureMark decode(byte[] bytes, Path file) throws CorruptFileException {
        ObjectNode node = ChecksummedJson.decode(bytes, file);
        Set<String> names = new TreeSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        if (!names.equals(FIELDS)) {
            throw new CorruptFileException(file, "an erasure mark has exactly the fields " + new TreeSet<>(FIELDS) + ", found " + names);
        }
        try {
            JsonNode through = node.get("erased_through");
            if (!through.isInt()) {
                throw new IllegalArgumentException("erased_through must be an integer");
            }
            ErasureMark mark = new ErasureMark(JsonFields.text(node, "client"), through.intValue(),
                    Instant.parse(JsonFields.text(node, "erased_at")));
            if (!file.getFileName().toString().equals(mark.fileName())) {
                throw new IllegalArgumentException("marks client " + mark.client() + ", not the one its name says");
            }
            return mark;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CorruptFileException(file, e.getMessage());
        }
    }
}
