package com.novotechno.collections.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One client's personal strings (e-mail addresses, free texts) as the erasure sweep looks for them:
 * as decoded text, and as the bytes a file may hold them in, raw UTF-8 or JSON-escaped the ways
 * Jackson and Python write JSON: the short escapes ({@code \"}, {@code \\}, {@code \n}), and
 * backslash-u escapes with hex digits in either case, for control characters always and for
 * non-ASCII characters or not.
 */
final class PersonalStrings {

    /**
     * Shorter strings are ignored: they name nobody, and would match unrelated files. Five is the
     * shortest e-mail address with a dotted domain (a@b.c).
     */
    static final int MIN_CHARS = 5;
    /** Far more addresses and texts than one client has; bounds the needles each byte is checked against. */
    static final int MAX_STRINGS = 10_000;
    /** Bytes read at a time when scanning a file. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final List<String> texts;
    /** Every form, bucketed by its first two bytes so that most positions check no needle at all. */
    private final byte[][][] needlesByPrefix = new byte[1 << 16][][];
    private final int longestNeedle;

    PersonalStrings(Collection<String> strings) {
        if (strings.size() > MAX_STRINGS) {
            throw new IllegalArgumentException(strings.size() + " personal strings, more than the limit of " + MAX_STRINGS);
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String string : strings) {
            if (string.length() > SealedText.MAX_PLAINTEXT_CHARS) {
                throw new IllegalArgumentException("a personal string of " + string.length() + " chars, more than a sealed text's "
                        + SealedText.MAX_PLAINTEXT_CHARS);
            }
            if (string.strip().length() >= MIN_CHARS) {
                kept.add(string);
            }
        }
        texts = List.copyOf(kept);
        Set<String> forms = new LinkedHashSet<>();
        for (String text : texts) {
            forms.add(text);
            for (boolean upperHex : new boolean[] {true, false}) {
                forms.add(jsonEscaped(text, upperHex, false));
                forms.add(jsonEscaped(text, upperHex, true));
            }
        }
        Map<Integer, List<byte[]>> buckets = new HashMap<>();
        int longest = 0;
        for (String form : forms) {
            byte[] needle = form.getBytes(StandardCharsets.UTF_8);
            buckets.computeIfAbsent(prefix(needle, 0), p -> new ArrayList<>()).add(needle);
            longest = Math.max(longest, needle.length);
        }
        buckets.forEach((prefix, needles) -> needlesByPrefix[prefix] = needles.toArray(new byte[0][]));
        longestNeedle = longest;
    }

    boolean isEmpty() {
        return texts.isEmpty();
    }

    /** A decoded string (a JSON value or name) that holds one of the strings. */
    boolean foundInText(String decoded) {
        for (String text : texts) {
            if (decoded.contains(text)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any form occurs in the stream, read to its end in chunks that overlap by a needle's
     * length, so that memory stays bounded for a file of any size and no occurrence is cut in two.
     */
    boolean foundIn(InputStream in) throws IOException {
        if (texts.isEmpty()) {
            return false;
        }
        int overlap = longestNeedle - 1;
        byte[] buffer = new byte[overlap + CHUNK_BYTES];
        int filled = 0;
        while (true) {
            int read = in.readNBytes(buffer, filled, buffer.length - filled);
            filled += read;
            if (contains(buffer, filled)) {
                return true;
            }
            if (filled < buffer.length) {
                return false; // the end of the stream
            }
            System.arraycopy(buffer, filled - overlap, buffer, 0, overlap);
            filled = overlap;
        }
    }

    private boolean contains(byte[] buffer, int length) {
        for (int i = 0; i + 1 < length; i++) {
            byte[][] candidates = needlesByPrefix[prefix(buffer, i)];
            if (candidates == null) {
                continue;
            }
            for (byte[] needle : candidates) {
                if (startsWith(buffer, length, i, needle)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] buffer, int length, int from, byte[] needle) {
        if (from + needle.length > length) {
            return false;
        }
        for (int j = 2; j < needle.length; j++) {
            if (buffer[from + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** Every needle has at least two bytes: MIN_CHARS of text are at least that many. */
    private static int prefix(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
    }

    /**
     * The text as it stands between the quotes of a JSON string: the short escapes where JSON has
     * them, other control characters as \\u00XX, and with {@code asciiOnly} DEL and every non-ASCII
     * UTF-16 unit as \\uXXXX (Python's default ensure_ascii; Jackson's ESCAPE_NON_ASCII leaves DEL).
     */
    static String jsonEscaped(String text, boolean upperHex, boolean asciiOnly) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (asciiOnly && c >= 0x7f)) {
                        String hex = String.format("%04x", (int) c);
                        out.append("\\u").append(upperHex ? hex.toUpperCase(Locale.ROOT) : hex);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
