package com.novotechno.collections.cli;

import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.storage.BoundedLineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The message files 'import' and 'submit' take: a .jsonl or .ndjson file holds one message a
 * line (blank lines skipped), any other file one message. Each message is read with at most one
 * byte past the limit, so a huge file costs no more memory than a message may have.
 */
final class MessageFiles {

    /** Takes one message and where it came from ({@code FILE:LINE}). */
    @FunctionalInterface
    interface Handler<E extends Exception> {
        void accept(byte[] message, String where) throws E;
    }

    private MessageFiles() {
    }

    /** How many messages the files hold, for a progress line: lines not blank, or 1 a file; 0 for one that cannot be read. */
    static long count(java.util.List<Path> files) {
        long messages = 0;
        for (Path file : files) {
            try {
                long[] inFile = {0};
                read(file, (message, where) -> inFile[0]++);
                messages += inFile[0];
            } catch (IOException unreadable) {
                // reported when it is imported
            }
        }
        return messages;
    }

    /** An IOException is the file's (it cannot be read); the handler's own failures leave as its E. */
    static <E extends Exception> void read(Path file, Handler<E> handler) throws IOException, E {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream in = Files.newInputStream(file)) {
            if (!(name.endsWith(".jsonl") || name.endsWith(".ndjson"))) {
                handler.accept(in.readNBytes(Limits.MAX_MESSAGE_BYTES + 1), file + ":1");
                return;
            }
            BoundedLineReader lines = new BoundedLineReader(in, Limits.MAX_MESSAGE_BYTES + 1);
            long lineNumber = 0;
            BoundedLineReader.Line line;
            while ((line = lines.next()) != null) {
                lineNumber++;
                if (!BoundedLineReader.isBlank(line.bytes())) {
                    handler.accept(line.bytes(), file + ":" + lineNumber);
                }
            }
        }
    }
}
