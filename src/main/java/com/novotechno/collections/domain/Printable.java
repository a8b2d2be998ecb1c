package com.novotechno.collections.domain;

/**
 * Text from a message (or a file name) made safe to echo to a terminal or a log line: control
 * characters (C0, DEL, C1), format characters (bidirectional overrides such as U+202E, zero-width
 * ones) and line and paragraph separators become {@code \u001B}-style escapes, so input can
 * neither drive the terminal (clear the screen, move the cursor) nor forge a line of its own.
 * Everything else, non-ASCII letters included, is left as it is. Backslashes are not escaped:
 * the point is that nothing invisible reaches the reader, not a reversible encoding.
 */
public final class Printable {

    private Printable() {
    }

    /** One line's worth of input: every such character escaped, newlines included. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** Output of several lines: as {@link #escape}, but each newline is kept (a carriage return is not). */
    public static String escapeLines(String text) {
        return escape(text, true);
    }

    public static boolean isUnsafe(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String escape(String text, boolean keepNewlines) {
        if (text == null) {
            return "null";
        }
        if (text.codePoints().noneMatch(c -> isUnsafe(c) && !(keepNewlines && c == '\n'))) {
            return text; // the common case costs one scan and no copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (!isUnsafe(c) || (keepNewlines && c == '\n')) {
                out.appendCodePoint(c);
            } else if (Character.isBmpCodePoint(c)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.append(String.format("\\u{%X}", c));
            }
        });
        return out.toString();
    }
}
