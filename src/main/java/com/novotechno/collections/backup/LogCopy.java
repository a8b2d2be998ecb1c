package com.novotechno.collections.backup;

import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardOpenOption;

/**
 * Copies an event log's whole lines into a new file, also while the service appends to it. The log is
 * append-only and a line is whole once its newline is written, so every line before the last newline
 * stays as it is. The source is fsynced after its length is taken: a line still in the page cache could
 * be lost by a power cut, and the service would then write another line of that seq, so a backup must
 * hold only lines the disk holds.
 */
final class LogCopy {

    /** Bytes read and written at a time: a log of millions of lines is copied in bounded memory. */
    static final int CHUNK_BYTES = 1 << 20;

    private LogCopy() {
    }

    /** @return the length copied: that of the source's whole lines when the copy began */
    static long copyWholeLines(Path source, Storage storage, Path target) throws IOException {
        if (storage.exists(target)) {
            throw new IOException(target + " exists already: never appended to");
        }
        try {
            // Made here, exclusively: a second backup into the same folder that passed the check above at the same
            // moment must fail, not append its copy to this one's (openAppend appends to a file it finds).
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            throw new IOException(target + " exists already: never appended to (another backup into the same folder?)",
                    raced);
        }
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             Storage.AppendFile out = storage.openAppend(target)) {
            long length = in.size();
            in.force(false); // fsync works on a descriptor opened to read: every byte below length is now on disk
            long whole = wholeLinesLength(in, length, source);
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
            for (long position = 0; position < whole; ) {
                buffer.clear().limit((int) Math.min(CHUNK_BYTES, whole - position));
                int read = in.read(buffer, position);
                if (read <= 0) {
                    throw new IOException(source + " became shorter while it was copied: it is append-only, so it was"
                            + " changed by something else than the service");
                }
                out.append(java.util.Arrays.copyOf(buffer.array(), read));
                position += read;
            }
            out.force();
            if (out.size() != whole) {
                throw new IOException("copied " + out.size() + " bytes of " + source + " where " + whole + " were meant");
            }
            return whole;
        }
    }

    /** Up to and with the last newline below {@code length}; a log line is at most MAX_LOG_LINE_BYTES, so the search is bounded. */
    private static long wholeLinesLength(FileChannel in, long length, Path source) throws IOException {
        long from = Math.max(0, length - Limits.MAX_LOG_LINE_BYTES - 1);
        ByteBuffer tail = ByteBuffer.allocate((int) (length - from));
        while (tail.hasRemaining() && in.read(tail, from + tail.position()) > 0) {
            // read on: a read may return fewer bytes than asked
        }
        for (int i = tail.position() - 1; i >= 0; i--) {
            if (tail.get(i) == '\n') {
                return from + i + 1;
            }
        }
        if (from > 0) {
            throw new IOException(source + " has no line end in its last " + (length - from) + " bytes, more than a log"
                    + " line may have: it is damaged; run verify");
        }
        return 0;
    }
}
