package com.novotechno.collections.privacy;

import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-client keys that seal personal data in the log, kept outside it in {@code keys/} (owner
 * only), so that destroying a client's key erases its data while every log line, and so the hash
 * chain, stays as written.
 *
 * <p>A client has at most one live key. Generation N+1 is created only after generation N was
 * erased: an old key id never names a new key. Erasures are known from the log (the caller replays
 * them into {@link #markErased}) and from the client's {@link ErasureMark} file here.
 *
 * <p>A temporary file left here by a crashed write is ignored: its key was never handed out (the
 * write that made it did not return), so nothing is sealed under it.
 *
 * <p>Thread-safe: every method holds this object's lock, so writer threads asking for a client's
 * first key together get one key. Creating one costs a durable write; later calls a map lookup.
 */
public final class ClientKeys {

    /**
     * Files in keys/ (a key and at most one erasure mark per client): room for 50,000 clients or
     * more, while bounding what {@link #open} reads and keeps (about half a KiB of heap a key).
     */
    public static final int MAX_KEY_FILES = 100_000;
    /**
     * Keys and marks together: room beyond {@link #MAX_KEY_FILES} for the erasure marks of clients
     * erased once keys/ refuses new keys, so that an erasure never makes the folder refuse to open.
     */
    public static final int MAX_FILES = 2 * MAX_KEY_FILES;

    /** No room for one more client's key: a limit of the folder, not a fault of the disk. */
    public static final class Full extends IOException {
        Full(String message) {
            super(message);
        }
    }

    private final int maxKeyFiles;
    private final Storage storage;
    private final Path dir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** The one live key of each client that has one. */
    private final Map<String, KeyFile> live = new HashMap<>();
    /** The highest destroyed generation of each client that had one destroyed. */
    private final Map<String, Integer> erasedThrough = new HashMap<>();

    private ClientKeys(Storage storage, Path dir, Clock clock, int maxKeyFiles) {
        this.maxKeyFiles = maxKeyFiles;
        this.storage = storage;
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * Loads every key and erasure mark in {@code keysDir} (absent: none yet). A damaged or unknown
     * file is a CorruptFileException naming it: treating it as erased would hide data that is not.
     */
    public static ClientKeys open(Storage storage, Path keysDir) throws IOException {
        return open(storage, keysDir, Clock.systemUTC());
    }

    /** As {@link #open(Storage, Path)}, with the clock that dates new keys and erasure marks. */
    public static ClientKeys open(Storage storage, Path keysDir, Clock clock) throws IOException {
        return open(storage, keysDir, clock, MAX_KEY_FILES);
    }

    /** With a smaller limit than {@link #MAX_KEY_FILES}, for tests of what happens at the limit. */
    static ClientKeys open(Storage storage, Path keysDir, Clock clock, int maxKeyFiles) throws IOException {
        ClientKeys keys = new ClientKeys(Objects.requireNonNull(storage), keysDir.toAbsolutePath(), Objects.requireNonNull(clock),
                maxKeyFiles);
        List<Path> entries = storage.list(keys.dir);
        if (entries.size() > keys.maxFiles()) {
            throw new IOException(keys.dir + ": " + entries.size() + " entries, more than the limit of " + keys.maxFiles());
        }
        for (Path entry : entries) {
            keys.load(entry);
        }
        keys.finishInterruptedErasures();
        return keys;
    }

    private void load(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (FileSystemStorage.isTemporaryFile(file)) {
            return;
        }
        if (KeyFile.idOfFileName(name) != null) {
            KeyFile key = KeyFile.decode(storage.read(file, KeyFile.MAX_BYTES), file);
            KeyFile other = live.putIfAbsent(key.id().client(), key);
            if (other != null) {
                throw new CorruptFileException(file, "a second live key of client " + key.id().client()
                        + " beside " + other.fileName() + ": a generation is created only after the one before was erased");
            }
        } else if (ErasureMark.clientOfFileName(name) != null) {
            ErasureMark mark = ErasureMark.decode(storage.read(file, ErasureMark.MAX_BYTES), file);
            erasedThrough.put(mark.client(), mark.erasedThrough());
        } else {
            throw new CorruptFileException(file, "neither a key (<client>.<generation>" + KeyFile.SUFFIX
                    + ") nor an erasure mark (<client>" + ErasureMark.SUFFIX + ")");
        }
    }

    /** A key at or below its client's mark survived a destroy that crashed after writing the mark. */
    private void finishInterruptedErasures() throws IOException {
        for (KeyFile key : List.copyOf(live.values())) {
            if (key.id().generation() <= erasedThrough.getOrDefault(key.id().client(), 0)) {
                storage.deleteIfExists(dir.resolve(key.fileName()));
                live.remove(key.id().client());
            }
        }
    }

    /** The id of every live key, sorted: what a snapshot records, so that a start from it finds any since lost. */
    public synchronized List<String> liveKeyIds() {
        return live.values().stream().map(key -> key.id().toString()).sorted().toList();
    }

    /**
     * The key id new personal data of {@code client} is sealed under, creating that key durably
     * on first use: one generation above the client's highest erased one.
     */
    public synchronized String currentKeyId(String client) throws IOException {
        KeyFile key = live.get(client);
        if (key == null) {
            // Refused before the file exists: one more would make keys/ refuse every later start.
            if (live.size() + erasedThrough.size() + 1 > maxKeyFiles) {
                throw new Full("keys/ holds the keys and erasure marks of " + (live.size() + erasedThrough.size())
                        + " clients, the most it may (" + maxKeyFiles + "): no key for a new client " + client);
            }
            int generation = erasedThrough.getOrDefault(client, 0) + 1;
            if (generation > KeyId.MAX_GENERATION) {
                throw new IllegalStateException("client " + client + " has used all " + KeyId.MAX_GENERATION + " key generations");
            }
            byte[] secret = new byte[KeyFile.KEY_BYTES];
            random.nextBytes(secret);
            key = new KeyFile(new KeyId(client, generation), clock.instant(), new SecretKeySpec(secret, KeyFile.ALGORITHM));
            storage.createDirectories(dir);
            // Durable before the id is handed out: a value sealed under a key that a crash lost would
            // read as erased without ever having been erased.
            storage.writeAtomically(dir.resolve(key.fileName()), key.encode());
            live.put(client, key);
        }
        return key.id().toString();
    }

    /**
     * Whether the key named {@code keyId} was erased (a mark says so); a key that is neither live nor
     * erased was lost, and what it sealed must not pass for erased.
     */
    public synchronized boolean erased(String keyId) {
        KeyId id = KeyId.parse(keyId);
        return id.generation() <= erasedThrough.getOrDefault(id.client(), 0);
    }

    /** The generation of {@code client}'s live key, 0 when it has none (never sealed anything, or erased since). */
    public synchronized int liveGeneration(String client) {
        KeyFile key = live.get(client);
        return key == null ? 0 : key.id().generation();
    }

    /** The key named {@code keyId}; empty when it was destroyed or never existed (either way its data is unreadable). */
    public synchronized Optional<SecretKey> find(String keyId) {
        KeyId id = KeyId.parse(keyId);
        KeyFile key = live.get(id.client());
        return key != null && key.id().equals(id) ? Optional.of(key.key()) : Optional.empty();
    }

    /**
     * Records, from the log, that {@code client}'s generations up to {@code upToGeneration} were
     * erased. A key file of such a generation still on disk (a crash between logging the erasure
     * and destroying the key) is destroyed now: the log decides.
     */
    public synchronized void markErased(String client, int upToGeneration) throws IOException {
        KeyId erased = new KeyId(client, upToGeneration);
        KeyFile key = live.get(client);
        // The mark is written (durably) whenever it moves: it is how a restart tells a finished erasure.
        if ((key != null && key.id().generation() <= erased.generation())
                || erased.generation() > erasedThrough.getOrDefault(client, 0)) {
            eraseThrough(client, erased.generation());
        }
    }

    /** Refuses an erasure whose mark would be one file more than keys/ may hold. */
    public synchronized void requireRoomToErase(String client) throws Full {
        if (!erasedThrough.containsKey(client) && live.size() + erasedThrough.size() + 1 > maxFiles()) {
            throw new Full("keys/ holds the keys and erasure marks of " + (live.size() + erasedThrough.size())
                    + " clients, the most it may (" + maxFiles() + "): no room for the erasure mark of client " + client);
        }
    }

    private int maxFiles() {
        return 2 * maxKeyFiles;
    }

    /**
     * The generation an erasure of {@code client} now burns: its live key's, or, with none, the next
     * one, so that every erasure leaves a mark saying it finished and no later key reuses a generation.
     */
    public synchronized int generationToErase(String client) {
        KeyFile key = live.get(client);
        int generation = key != null ? key.id().generation() : erasedThrough.getOrDefault(client, 0) + 1;
        if (generation > KeyId.MAX_GENERATION) {
            throw new IllegalStateException("client " + client + " has used all " + KeyId.MAX_GENERATION + " key generations");
        }
        return generation;
    }

    /**
     * Destroys {@code client}'s key, so everything sealed under it is unreadable for good, and the
     * next {@link #currentKeyId} creates the next generation. Idempotent.
     *
     * @return the highest erased generation of the client, 0 if it never had a key
     */
    public synchronized int destroy(String client) throws IOException {
        KeyFile key = live.get(client);
        if (key != null) {
            eraseThrough(client, key.id().generation());
        }
        return erasedThrough.getOrDefault(client, 0);
    }

    /** The mark first, durably, then the key: a crash between the two leaves a key the next open deletes. */
    private void eraseThrough(String client, int generation) throws IOException {
        int through = Math.max(generation, erasedThrough.getOrDefault(client, 0));
        storage.createDirectories(dir);
        ErasureMark mark = new ErasureMark(client, through, clock.instant());
        storage.writeAtomically(dir.resolve(mark.fileName()), mark.encode());
        erasedThrough.put(client, through);
        KeyFile key = live.get(client);
        if (key != null && key.id().generation() <= through) {
            storage.deleteIfExists(dir.resolve(key.fileName())); // syncs the folder: the deletion is durable
            live.remove(client);
        }
    }
}
