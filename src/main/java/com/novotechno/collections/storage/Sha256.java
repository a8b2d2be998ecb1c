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

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes(bytes));
    }

    /** The 32 bytes of the digest. */
    public static byte[] bytes(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java runtime has SHA-256", e);
        }
    }

    /** The checksum of a JSON value: SHA-256 of its RFC 8785 canonical form. */
    public static String ofCanonical(JsonNode node) {
        return hex(Jcs.canonicalize(node));
    }

    public static boolean isHex(String value) {
        if (value == null || value.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
