package com.novotechno.collections.log;

import com.novotechno.collections.storage.Sha256;

/**
 * A line of the log, by its seq and hash and where its bytes lie: what a snapshot records as the
 * point it reflects the log up to, and what the log must still hold there for the snapshot to be used.
 *
 * @param lineOffset where the line starts
 * @param endOffset  where the next line starts (just after this one's newline)
 */
public record LogPosition(long seq, String hash, long lineOffset, long endOffset) {

    /** Before the first line. */
    public static final LogPosition START = new LogPosition(0, Sha256.ZERO, 0, 0);

    public LogPosition {
        if (seq < 0 || lineOffset < 0 || endOffset < lineOffset || (seq == 0) != (endOffset == 0)) {
            throw new IllegalArgumentException("log position seq " + seq + " at bytes " + lineOffset + ".." + endOffset);
        }
        if (!Sha256.isHex(hash)) {
            throw new IllegalArgumentException("log position with hash " + hash);
        }
    }
}
