package com.novotechno.collections.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.MessageEnvelope;
import com.novotechno.collections.domain.PersonalData;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.privacy.ClientKeys;
import com.novotechno.collections.privacy.KeyId;
import com.novotechno.collections.privacy.SealedText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Crypto-shredding at the log's edge: the personal values of a change ({@link PersonalData#map})
 * are sealed under their client's key before the change enters the log, and opened when an entry is
 * read back, as {@link PersonalData#ERASED} once the key is destroyed. Everything after the log
 * (the book, state files, ledger) sees clear text or the erased mark, never a sealed value.
 *
 * <p>In the line a sealed value is the string {@code sealed:<key id>:<base64>}; the message id and
 * field name are its AES-GCM associated data, so it cannot be moved to another line or field
 * unnoticed. A value without the prefix was written before sealing existed and reads as it is.
 */
final class SealedChanges {

    private static final String PREFIX = "sealed:";
    private static final int PAD_BYTES = 32;

    private volatile ClientKeys keys;
    /** Keys found missing while reading, not yet explained by an erasure in the log, with the first entry that needed each. */
    private final java.util.Map<String, Long> missing = new java.util.concurrent.ConcurrentHashMap<>();
    /** For a reader beside the service: keys/ read again, which may have a key made after it was first read. */
    private final Optional<KeysReader> reread;
    private final SealedText sealer = new SealedText();

    /** Reads keys/ anew. */
    @FunctionalInterface
    interface KeysReader {
        ClientKeys read() throws IOException;
    }

    /** The writer's: it makes every key itself, so one missing is missing. */
    SealedChanges(ClientKeys keys) {
        this.keys = keys;
        this.reread = Optional.empty();
    }

    /**
     * A reader's beside a running service, which makes a client's key (durably) before the first line
     * sealed under it: a key missing for a line read after the keys were is looked for once more.
     */
    static SealedChanges reader(KeysReader reader) throws IOException {
        return new SealedChanges(reader.read(), reader);
    }

    private SealedChanges(ClientKeys keys, KeysReader reread) {
        this.keys = keys;
        this.reread = Optional.of(reread);
    }

    /** The change as the log stores it. The caller holds the invoice's lock, so a client's erasure cannot interleave. */
    Change seal(MessageEnvelope envelope, Change change) throws IOException {
        String client = envelope.invoice().client();
        try {
            return PersonalData.map(change, (field, value) -> {
                try {
                    String keyId = keys.currentKeyId(client);
                    ObjectNode sealed = sealer.seal(padded(value), keyId, keys.find(keyId).orElseThrow(),
                            context(envelope.messageId(), field));
                    return PREFIX + keyId + ":" + sealed.get(SealedText.DATA_FIELD).asText();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The entry with its personal values opened: clear text, or erased where the key is gone.
     *
     * @throws IllegalArgumentException when a sealed value fails its check with the key present (altered or moved)
     */
    LogEntry open(LogEntry entry) {
        boolean[] sealedAny = {false};
        Change opened = PersonalData.map(entry.change(), (field, value) -> {
            if (!value.startsWith(PREFIX)) {
                return value;
            }
            sealedAny[0] = true;
            int colon = value.indexOf(':', PREFIX.length());
            if (colon < 0) {
                throw new IllegalArgumentException("log entry " + entry.seq() + ": " + field + " is not a sealed value");
            }
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put(SealedText.SEALED_FIELD, value.substring(PREFIX.length(), colon));
            node.put(SealedText.DATA_FIELD, value.substring(colon + 1));
            SealedText.Opened text = open(entry, field, node);
            if (text instanceof SealedText.Opened.Erased gone && !keys.erased(gone.keyId()) && reread.isPresent()) {
                try {
                    keys = reread.get().read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                text = open(entry, field, node);
            }
            if (text instanceof SealedText.Opened.Erased erased) {
                // Only the log can say a key was erased (a mark in keys/ is no proof): explained by an erasure later on.
                missing.putIfAbsent(erased.keyId(), entry.seq());
            }
            return unpadded(text.textOrErased());
        });
        if (!sealedAny[0]) {
            return entry; // nothing sealed: the entry as read, not a copy (a replay opens every entry)
        }
        return new LogEntry(entry.seq(), entry.time(), entry.messageId(), entry.messageSha256(), entry.invoice(), opened,
                entry.prev(), entry.hash());
    }

    private SealedText.Opened open(LogEntry entry, String field, ObjectNode node) {
        try {
            return sealer.open(node, keys::find, context(entry.messageId(), field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log entry " + entry.seq() + ": " + field + ": " + e.getMessage(), e);
        }
    }

    /** Every live key's id (see {@link ClientKeys#liveKeyIds}). */
    List<String> liveKeyIds() {
        return keys.liveKeyIds();
    }

    /** Whether keys/ holds the key with this id. */
    boolean hasKey(String keyId) {
        return keys.find(keyId).isPresent();
    }

    /** The client's key generation an erasure now burns (see {@link ClientKeys#generationToErase}). */
    int generationToErase(String client) throws ClientKeys.Full {
        keys.requireRoomToErase(client);
        return keys.generationToErase(client);
    }

    /** Whether an erasure finished: its key destroyed, which comes last (its mark says so). */
    boolean finished(Change.ClientErased erasure, String client) {
        return erasure.keyGeneration() > 0 && keys.erased(new KeyId(client, erasure.keyGeneration()).toString());
    }

    /** Destroys what an erasure entry names (again, after a crash before it was done); never a newer key. */
    void erased(Change.ClientErased erasure, String client) throws IOException {
        if (erasure.keyGeneration() > 0) {
            keys.markErased(client, erasure.keyGeneration());
        }
    }

    /** A replay read the log's erasure: the values it found unreadable under the client's keys up to it are explained. */
    void explain(Change.ClientErased erasure, String client) {
        missing.keySet().removeIf(keyId -> {
            KeyId id = KeyId.parse(keyId);
            return id.client().equals(client) && id.generation() <= erasure.keyGeneration();
        });
    }

    /**
     * After a whole replay: a value sealed under a key that is gone although the log never erased it
     * means keys/ lost a key (deleted, or a backup without it), and must not pass for an erasure.
     *
     * @return the first such key and the log entry that needed it
     */
    Optional<String> unexplainedMissingKey() {
        return missing.entrySet().stream().min(java.util.Map.Entry.comparingByValue())
                .map(first -> "log entry " + first.getValue() + " is sealed under key " + first.getKey() + ", which is"
                        + " missing from keys/ although the log never erased it: restore keys/ from the backup of this log");
    }

    /**
     * Padded with NULs (which no accepted text holds) to a multiple of {@value #PAD_BYTES} bytes of
     * UTF-8, what is sealed, so that a sealed value's length does not tell the length of an address or
     * a name, nor how many of its characters are not ASCII.
     */
    private static String padded(String value) {
        int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return value + "\0".repeat(PAD_BYTES - bytes % PAD_BYTES);
    }

    private static String unpadded(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == '\0') {
            end--;
        }
        return value.substring(0, end);
    }

    private static String context(String messageId, String field) {
        return messageId + "/" + field;
    }
}
