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
 * One client's e-mail addresses as the erasure sweep looks for them: as decoded text, and as the
 * bytes a file may hold them in, raw UTF-8 or JSON-escaped the ways Jackson and Python write JSON:
 * the short escapes ({@code \"}, {@code \\}, {@code \n}), and backslash-u escapes with hex digits
 * in either case, for control characters always and for non-ASCII characters or not.
 *
 * <p>An address counts only as a whole, never inside a longer address ({@code bob@x.example} is
 * not in {@code jimbob@x.example} nor in {@code bob@x.example.org}): the character before it must
 * not be an address character {@code [A-Za-z0-9._%+-]} (nor {@code _}, which local parts use too),
 * or it is at the start; the character after it must not be one either, or it is at the end, except
 * that a {@code .} followed by a non-address character or the end (a full stop) is a boundary. In
 * bytes, a JSON escape just before the address stands for the character it escapes: {@code \n},
 * {@code \t}, {@code \r}, {@code \b}, {@code \f} for a control character (a boundary), {@code \}u
 * and four hex digits for that UTF-16 unit; a backslash escaped itself ({@code \\}) escapes nothing.
 * Characters outside ASCII are no address characters here: the service accepts them in addresses,
 * but matching them would hide an address quoted in, say, {@code «»}.
 */
final class PersonalStrings {

    /**
     * Shorter strings are ignored: they name nobody, and would match unrelated files. Five is the
     * shortest e-mail address with a dotted domain (a@b.c).
     */
    static final int MIN_CHARS = 5;
    /** Far more addresses than one client has; bounds the needles each byte is checked against. */
    static final int MAX_STRINGS = 10_000;
    /** Bytes read at a time when scanning a file. */
    static final int CHUNK_BYTES = 64 * 1024;
    /**
     * Bytes kept before an occurrence to judge its boundary: enough for a backslash-u escape and the
     * backslashes before it. A run of {@code LOOK_BACK_BYTES - 6} backslashes or more is taken as odd.
     */
    static final int LOOK_BACK_BYTES = 32;

    /** {@code [A-Za-z0-9._%+-]} and {@code _}: a neighbour from this set makes an occurrence part of a longer address. */
    private static final boolean[] ADDRESS_CHARS = new boolean[128];

    static {
        for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-_".toCharArray()) {
            ADDRESS_CHARS[c] = true;
        }
    }

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

    /** A decoded string (a JSON value or name) that holds one of the addresses, as a whole. */
    boolean foundInText(String decoded) {
        for (String text : texts) {
            for (int at = decoded.indexOf(text); at >= 0; at = decoded.indexOf(text, at + 1)) {
                int end = at + text.length();
                if ((at == 0 || !isAddressChar(decoded.charAt(at - 1)))
                        && boundaryAfter(end == decoded.length() ? -1 : decoded.charAt(end),
                                end + 1 >= decoded.length() ? -1 : decoded.charAt(end + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether any form occurs, as a whole, in the stream, read to its end in chunks. Each position is
     * judged once, with {@value #LOOK_BACK_BYTES} bytes kept before it and a needle's length and two
     * bytes read after it (or the end of the stream), so that memory stays bounded for a file of any
     * size and no occurrence or its boundary is cut in two.
     */
    boolean foundIn(InputStream in) throws IOException {
        if (texts.isEmpty()) {
            return false;
        }
        int ahead = longestNeedle + 2;
        byte[] buffer = new byte[LOOK_BACK_BYTES + ahead + CHUNK_BYTES];
        int filled = 0;
        int from = 0; // positions before it were judged already; buffer[0] is the stream's first byte until the first shift
        while (true) {
            int read = in.readNBytes(buffer, filled, buffer.length - filled);
            filled += read;
            boolean ended = filled < buffer.length;
            int until = ended ? filled : filled - ahead;
            if (contains(buffer, filled, from, until)) {
                return true;
            }
            if (ended) {
                return false;
            }
            int shift = until - LOOK_BACK_BYTES;
            System.arraycopy(buffer, shift, buffer, 0, filled - shift);
            filled -= shift;
            from = LOOK_BACK_BYTES;
        }
    }

    /** An occurrence, bounded, starting in [from, until); when {@code from} is 0, buffer[0] is the start of the stream. */
    private boolean contains(byte[] buffer, int length, int from, int until) {
        for (int i = from; i < until && i + 1 < length; i++) {
            byte[][] candidates = needlesByPrefix[prefix(buffer, i)];
            if (candidates == null) {
                continue;
            }
            for (byte[] needle : candidates) {
                if (startsWith(buffer, length, i, needle) && boundedBefore(buffer, i, needle[0] == '\\')) {
                    int end = i + needle.length;
                    if (boundaryAfter(end < length ? buffer[end] & 0xff : -1, end + 1 < length ? buffer[end + 1] & 0xff : -1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether what precedes {@code at} ends a word: the start, a non-address byte, or a JSON escape of
     * a non-address character. An occurrence that starts with a backslash is no escape when that
     * backslash is escaped itself.
     */
    private static boolean boundedBefore(byte[] buffer, int at, boolean startsWithBackslash) {
        if (at == 0) {
            return true;
        }
        int backslashes = backslashesBefore(buffer, at);
        if (startsWithBackslash && backslashes % 2 == 1) {
            return false; // the needle's backslash is the second of an escaped one
        }
        int before = buffer[at - 1] & 0xff;
        if (!isAddressChar(before)) {
            return true;
        }
        // An address character: a letter that ends a short escape, or a hex digit that ends a backslash-u escape?
        if (at >= 2 && buffer[at - 2] == '\\' && "bfnrt".indexOf(before) >= 0 && backslashesBefore(buffer, at - 1) % 2 == 1) {
            return true;
        }
        if (at >= 6 && buffer[at - 6] == '\\' && buffer[at - 5] == 'u' && backslashesBefore(buffer, at - 5) % 2 == 1) {
            int unit = 0;
            for (int k = at - 4; k < at; k++) {
                int digit = Character.digit(buffer[k] & 0xff, 16);
                if (digit < 0) {
                    return false;
                }
                unit = unit << 4 | digit;
            }
            return !isAddressChar(unit);
        }
        return false;
    }

    /** The backslashes just before {@code at}; a run of {@code LOOK_BACK_BYTES - 6} or more counts as odd. */
    private static int backslashesBefore(byte[] buffer, int at) {
        int count = 0;
        for (int k = at - 1; k >= 0 && buffer[k] == '\\'; k--) {
            if (++count >= LOOK_BACK_BYTES - 6) {
                return count | 1;
            }
        }
        return count;
    }

    /** The two characters after an occurrence (-1 past the end) leave it whole: no address character, or a full stop. */
    private static boolean boundaryAfter(int next, int afterNext) {
        return next < 0 || !isAddressChar(next) || (next == '.' && (afterNext < 0 || !isAddressChar(afterNext)));
    }

    private static boolean isAddressChar(int c) {
        return c >= 0 && c < ADDRESS_CHARS.length && ADDRESS_CHARS[c];
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
