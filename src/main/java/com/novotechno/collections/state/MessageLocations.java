package com.novotechno.collections.state;

import com.novotechno.collections.storage.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where in the event log each accepted message_id's line starts: the deduplication index, in
 * memory, built from the log as it is read at open and grown by each append. It is derived from
 * the log alone, so nothing on disk can be deleted, forged or left stale to fool it, and a message
 * acknowledged just before a power cut is in it after the restart because its line is.
 *
 * <p>An open-addressing table of 64-bit digests (SHA-256's first 8 bytes) beside the lines'
 * offsets, at most three quarters full: 16 to 32 bytes a message, so 3 million messages take 64
 * to 128 MB. A digest is not the id: each candidate is confirmed by reading its line (one pread),
 * so a collision (about one in 2^64 for a given pair) costs a read, never a wrong answer. A new
 * id, the common case, is answered from memory alone.
 */
final class MessageLocations {

    /** 2^28 slots (4 GiB) is far beyond any heap this service runs in: an explicit bound, not a target. */
    private static final int MAX_CAPACITY = 1 << 28;
    private static final int INITIAL_CAPACITY = 1 << 12;
    /** Digest 0 marks an empty slot; an id whose digest is 0 is stored as 1 (a harmless collision). */
    private static final long EMPTY = 0;

    private long[] digests = new long[INITIAL_CAPACITY];
    private long[] offsets = new long[INITIAL_CAPACITY];
    private int size;

    /** Records that {@code messageId}'s line starts at {@code offset}. */
    synchronized void add(String messageId, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("a log offset is never negative: " + offset);
        }
        if ((size + 1) * 4L > digests.length * 3L) {
            grow();
        }
        insert(digests, offsets, digest(messageId), offset);
        size++;
    }

    /** The offsets of every line whose id might be {@code messageId}: to be confirmed against the log. */
    synchronized long[] candidates(String messageId) {
        long digest = digest(messageId);
        long[] found = new long[0];
        int mask = digests.length - 1;
        for (int i = home(digest, digests.length); digests[i] != EMPTY; i = (i + 1) & mask) {
            if (digests[i] == digest) {
                found = Arrays.copyOf(found, found.length + 1);
                found[found.length - 1] = offsets[i];
            }
        }
        return found;
    }

    /** Whether the table holds a message with this digest at this offset: for comparing two tables. */
    synchronized boolean contains(long digest, long offset) {
        int mask = digests.length - 1;
        for (int i = home(digest, digests.length); digests[i] != EMPTY; i = (i + 1) & mask) {
            if (digests[i] == digest && offsets[i] == offset) {
                return true;
            }
        }
        return false;
    }

    /** Whether both tables hold the same messages at the same offsets, whatever slots they sit in. */
    static boolean sameMessages(Table one, Table other) {
        if (one.size() != other.size()) {
            return false;
        }
        MessageLocations first = of(one);
        MessageLocations second = of(other);
        return containsAll(first, other) && containsAll(second, one);
    }

    private static boolean containsAll(MessageLocations table, Table pairs) {
        for (int i = 0; i < pairs.digests().length; i++) {
            if (pairs.digests()[i] != EMPTY && !table.contains(pairs.digests()[i], pairs.offsets()[i])) {
                return false;
            }
        }
        return true;
    }

    synchronized int size() {
        return size;
    }

    /** The table as it is, for a snapshot: both arrays, slot for slot. */
    record Table(long[] digests, long[] offsets, int size) {
    }

    synchronized Table copy() {
        return new Table(digests.clone(), offsets.clone(), size);
    }

    /**
     * The table a snapshot kept, checked for the shape every table has. Its entries are inserted
     * anew rather than trusted in their slots: one misplaced would hide a message from every lookup.
     */
    static MessageLocations of(Table table) {
        int capacity = table.digests().length;
        if (capacity < INITIAL_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1
                || table.offsets().length != capacity || table.size() < 0 || table.size() * 4L > capacity * 3L) {
            throw new IllegalArgumentException("a message table of " + capacity + " slots holding " + table.size());
        }
        MessageLocations locations = new MessageLocations();
        locations.digests = new long[capacity];
        locations.offsets = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            long digest = table.digests()[i];
            if (digest != EMPTY) {
                if (table.offsets()[i] < 0 || locations.size == table.size()) {
                    throw new IllegalArgumentException("a message table with more messages than it says, or a negative offset");
                }
                insert(locations.digests, locations.offsets, digest, table.offsets()[i]);
                locations.size++;
            }
        }
        if (locations.size != table.size()) {
            throw new IllegalArgumentException("a message table says " + table.size() + " messages but holds " + locations.size);
        }
        return locations;
    }

    private void grow() {
        if (digests.length >= MAX_CAPACITY) {
            throw new IllegalStateException("more than " + (MAX_CAPACITY / 4 * 3) + " messages in one log");
        }
        long[] largerDigests = new long[digests.length * 2];
        long[] largerOffsets = new long[digests.length * 2];
        for (int i = 0; i < digests.length; i++) {
            if (digests[i] != EMPTY) {
                insert(largerDigests, largerOffsets, digests[i], offsets[i]);
            }
        }
        digests = largerDigests;
        offsets = largerOffsets;
    }

    private static void insert(long[] digests, long[] offsets, long digest, long offset) {
        int mask = digests.length - 1;
        int i = home(digest, digests.length);
        while (digests[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        digests[i] = digest;
        offsets[i] = offset;
    }

    private static int home(long digest, int capacity) {
        return (int) (digest ^ (digest >>> 32)) & (capacity - 1);
    }

    private static long digest(String messageId) {
        long digest = ByteBuffer.wrap(Sha256.bytes(messageId.getBytes(StandardCharsets.UTF_8))).getLong();
        return digest == EMPTY ? 1 : digest;
    }
}
