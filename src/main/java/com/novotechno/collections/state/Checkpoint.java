package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;

import static com.novotechno.collections.storage.JsonFields.bool;
import static com.novotechno.collections.storage.JsonFields.integer;

/**
 * How far the state files and the message index are known to reflect the log: every entry up
 * to {@code appliedSeq} is applied durably, so recovery replays only the entries after it.
 * {@code cleanShutdown} tells the next start whether a crash may have left tmp files to sweep.
 */
public record Checkpoint(long appliedSeq, boolean cleanShutdown) {

    private static final int MAX_BYTES = 4096;

    public static final Checkpoint EMPTY = new Checkpoint(0, false);

    public Checkpoint {
        if (appliedSeq < 0) {
            throw new IllegalArgumentException("applied_seq is never negative");
        }
    }

    public static Checkpoint read(Storage storage, Path file) throws IOException {
        if (!storage.exists(file)) {
            return EMPTY;
        }
        ObjectNode json = ChecksummedJson.decode(storage.read(file, MAX_BYTES), file);
        try {
            return new Checkpoint(integer(json, "applied_seq"), bool(json, "clean_shutdown"));
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, e.getMessage());
        }
    }

    public void write(Storage storage, Path file) throws IOException {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("applied_seq", appliedSeq);
        json.put("clean_shutdown", cleanShutdown);
        storage.writeAtomically(file, ChecksummedJson.encode(json));
    }
}
