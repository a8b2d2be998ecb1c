package com.novotechno.collections.state;

import com.novotechno.collections.storage.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A 64-bit digest of every message_id the event log holds, built while the log is read at open
 * and grown by each append: 8 to 16 bytes a message. The message index on disk answers "which
 * seq, which content" without memory per message, but a derived file can be deleted or forged;
 * this set, which comes from the log alone, says whether the log has a message at all, so an index
 * entry that went missing can never let a message be applied twice. A digest collision only sends
 * a new message down the slow path (a search of the log), never the wrong way.
 */
final class LoggedMessageIds {

    private static final int INITIAL_CAPACITY = 1 << 12;
    /** Digest 0 marks an empty slot; a message whose digest is 0 is stored as 1 (a harmless collision). */
    private static final long EMPTY = 0;

    private long[] slots = new long[INITIAL_CAPACITY];
    private int size;

    synchronized void add(String messageId) {
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        if (insert(slots, digest(messageId))) {
            size++;
        }
    }

    synchronized boolean mightContain(String messageId) {
        long digest = digest(messageId);
        int mask = slots.length - 1;
        for (int i = spread(digest) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                return false;
            }
            if (slots[i] == digest) {
                return true;
            }
        }
    }

    synchronized int size() {
        return size;
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        for (long digest : slots) {
            if (digest != EMPTY) {
                insert(larger, digest);
            }
        }
        slots = larger;
    }

    private static boolean insert(long[] table, long digest) {
        int mask = table.length - 1;
        for (int i = spread(digest) & mask; ; i = (i + 1) & mask) {
            if (table[i] == EMPTY) {
                table[i] = digest;
                return true;
            }
            if (table[i] == digest) {
                return false;
            }
        }
    }

    private static int spread(long digest) {
        return (int) (digest ^ (digest >>> 32));
    }

    static long digest(String messageId) {
        long digest = ByteBuffer.wrap(Sha256.bytes(messageId.getBytes(StandardCharsets.UTF_8))).getLong();
        return digest == EMPTY ? 1 : digest;
    }
}
