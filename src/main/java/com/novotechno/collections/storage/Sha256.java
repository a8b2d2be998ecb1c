package com.novotechno.collections.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as 64 lower-case hex characters, the form every checksum in the data folder uses. */
public final class Sha256 {

    public static final int HEX_LENGTH = 64;
    public static final String ZERO = "0".repeat(HEX_LENGTH);

    private Sha256() {
    }

    private static final HexFormat HEX = HexFormat.of();
    /**
     * One digest per thread: a provider look-up per call cost more than hashing a log line. A digest
     * is reset by each {@code digest()}, and one that threw midway is reset before its next use.
     */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java runtime has SHA-256", e);
        }
    });
    /** Which characters a lower-case hex string may hold, by code. */
    private static final boolean[] HEX_CHARS = new boolean[128];

    static {
        for (char c : "0123456789abcdef".toCharArray()) {
            HEX_CHARS[c] = true;
        }
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes(bytes));
    }

    /** The 32 bytes of the digest. */
    public static byte[] bytes(byte[] input) {
        return bytes(input, 0, input.length, input, 0, 0);
    }

    /**
     * The hex digest of two ranges taken as one input, so that a line can be hashed without a member
     * cut out of it and without copying the rest.
     */
    public static String hex(byte[] first, int firstFrom, int firstLength, byte[] second, int secondFrom, int secondLength) {
        return HEX.formatHex(bytes(first, firstFrom, firstLength, second, secondFrom, secondLength));
    }

    private static byte[] bytes(byte[] first, int firstFrom, int firstLength, byte[] second, int secondFrom, int secondLength) {
        MessageDigest digest = DIGEST.get();
        digest.reset();
        digest.update(first, firstFrom, firstLength);
        digest.update(second, secondFrom, secondLength);
        return digest.digest();
    }

    /** The checksum of a JSON value: SHA-256 of its RFC 8785 canonical form. */
    public static String ofCanonical(JsonNode node) {
        return hex(Jcs.canonicalize(node));
    }

    public static boolean isHex(String value) {
        if (value == null || value.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = value.charAt(i);
            if (c >= HEX_CHARS.length || !HEX_CHARS[c]) {
                return false;
            }
        }
        return true;
    }
}
