package com.novotechno.collections.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream at '\n' with a cap on a line's length, so that one huge or binary
 * "line" cannot exhaust memory. Keeps the raw bytes: hashes and offsets are over bytes.
 */
public final class BoundedLineReader {

    /**
     * One line without its '\n'. {@code complete} is false for a last line with no newline;
     * {@code tooLong} means the line exceeded the cap and {@code bytes} holds only its start.
     */
    public record Line(byte[] bytes, boolean complete, boolean tooLong, long byteLength) {
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkLen;

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the stream. */
    public Line next() throws IOException {
        buffer.reset();
        long length = 0;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    return length == 0 ? null : new Line(buffer.toByteArray(), false, length > maxLineBytes, length);
                }
            }
            int start = chunkPos;
            int newline = -1;
            for (int i = chunkPos; i < chunkLen; i++) {
                if (chunk[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline >= 0 ? newline : chunkLen;
            int room = Math.max(0, Math.min(end - start, maxLineBytes - buffer.size()));
            buffer.write(chunk, start, room);
            length += end - start;
            if (newline >= 0) {
                chunkPos = newline + 1;
                return new Line(buffer.toByteArray(), true, length > maxLineBytes, length + 1);
            }
            chunkPos = chunkLen;
        }
    }

    /** True when a line holds nothing but spaces, tabs and a carriage return. */
    public static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

}
