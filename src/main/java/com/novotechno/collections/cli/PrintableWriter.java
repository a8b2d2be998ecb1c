package com.novotechno.collections.cli;

import com.novotechno.collections.domain.Printable;
import java.io.IOException;
import java.io.Writer;

/**
 * What every command prints passes through here, so that no file name, message field or
 * exception text can put a raw control character on the operator's terminal: each is escaped
 * with {@link Printable}, newlines kept. JSON output stays valid (an escape such as
 * {@code \u202E} is one inside a JSON string too).
 */
final class PrintableWriter extends Writer {

    private final Writer out;

    PrintableWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        out.write(Printable.escapeLines(new String(chars, offset, length)));
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        out.write(Printable.escapeLines(text.substring(offset, offset + length)));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
