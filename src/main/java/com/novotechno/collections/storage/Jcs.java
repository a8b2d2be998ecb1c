package com.novotechno.collections.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme for the values this service stores: objects, arrays,
 * strings, booleans, null and integers. Every checksum and hash in the data folder is the
 * SHA-256 of this form, so any language with a JCS library can verify them.
 *
 * <p>Non-integer numbers are refused rather than approximated: amounts are stored as decimal
 * strings precisely so that no floating-point formatting ever enters a checksum.
 */
public final class Jcs {

    /** ECMAScript numbers print integers exactly only up to 2^53. */
    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf((1L << 53) - 1);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Jcs() {
    }

    /** A builder per thread, reused: a replay canonicalizes every line of the log. */
    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(1024));
    /** A builder grown past this by one huge value is not kept. */
    private static final int MAX_KEPT_BUILDER_CHARS = 64 * 1024;
    private static final long MAX_SAFE_LONG = (1L << 53) - 1;

    public static byte[] canonicalize(JsonNode node) {
        StringBuilder out = BUILDER.get();
        out.setLength(0);
        try {
            write(node, out);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } finally {
            if (out.capacity() > MAX_KEPT_BUILDER_CHARS) {
                BUILDER.remove();
            }
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(element, out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case NUMBER -> writeInteger(node, out);
            default -> throw new IllegalArgumentException("JCS: cannot canonicalize a " + node.getNodeType() + " node");
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeObject(JsonNode node, StringBuilder out) {
        Map.Entry<String, JsonNode>[] fields = node.properties().toArray(new Map.Entry[0]);
        // RFC 8785 3.2.3: sort by the UTF-16 code units of the names, which is String.compareTo. What was
        // read from a canonical line is in that order already, and needs no sort.
        if (!sorted(fields)) {
            Arrays.sort(fields, Map.Entry.comparingByKey());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : fields) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(field.getKey(), out);
            out.append(':');
            write(field.getValue(), out);
        }
        out.append('}');
    }

    private static boolean sorted(Map.Entry<String, JsonNode>[] fields) {
        for (int i = 1; i < fields.length; i++) {
            if (fields[i - 1].getKey().compareTo(fields[i].getKey()) > 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeInteger(JsonNode node, StringBuilder out) {
        if (!node.isIntegralNumber()) {
            throw new IllegalArgumentException("JCS: only integers are stored as JSON numbers, found " + node);
        }
        if (node.canConvertToLong()) { // the common case, without a BigInteger
            long value = node.longValue();
            if (value >= -MAX_SAFE_LONG && value <= MAX_SAFE_LONG) {
                out.append(value);
                return;
            }
        }
        BigInteger value = node.bigIntegerValue();
        if (value.abs().compareTo(MAX_SAFE_INTEGER) > 0) {
            throw new IllegalArgumentException("JCS: integer " + value + " is beyond 2^53 and would lose precision");
        }
        out.append(value);
    }

    /** RFC 8785 3.2.2.2: the ECMAScript JSON.stringify escapes, nothing more. */
    private static void writeString(String value, StringBuilder out) {
        out.append('"');
        int plainFrom = 0; // characters that need no escape are copied in runs, not one by one
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            out.append(value, plainFrom, i);
            plainFrom = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                        plainFrom = i + 1;
                    } else {
                        throw new IllegalArgumentException("JCS: lone surrogate U+" + Integer.toHexString(c));
                    }
                }
            }
        }
        out.append(value, plainFrom, value.length());
        out.append('"');
    }
}
