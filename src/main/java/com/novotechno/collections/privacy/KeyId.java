package com.novotechno.collections.privacy;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import java.util.Objects;

/**
 * Names one client's key: {@code <client>.<generation>}. A client name may itself hold dots, so
 * the generation is what follows the last dot; it has no leading zero, so each key has one name.
 */
public record KeyId(String client, int generation) {

    /** Far beyond any real count of erasures of one client; keeps a key id short and its parse simple. */
    public static final int MAX_GENERATION = 999_999;
    private static final int MAX_GENERATION_DIGITS = 6;
    /** A client name, the dot and the generation's digits. */
    public static final int MAX_CHARS = Limits.MAX_NAME_CHARS + 1 + MAX_GENERATION_DIGITS;

    public KeyId {
        Objects.requireNonNull(client, "client");
        if (!InvoiceKey.isValidName(client)) {
            throw new IllegalArgumentException("invalid client name '" + client + "'");
        }
        if (generation < 1 || generation > MAX_GENERATION) {
            throw new IllegalArgumentException("key generation " + generation + " is outside 1.." + MAX_GENERATION);
        }
    }

    /** Throws IllegalArgumentException naming what is wrong with {@code text}. */
    public static KeyId parse(String text) {
        if (text == null || text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("not a key id: " + describe(text));
        }
        int dot = text.lastIndexOf('.');
        String digits = dot < 0 ? "" : text.substring(dot + 1);
        if (digits.isEmpty() || digits.length() > MAX_GENERATION_DIGITS || digits.charAt(0) == '0' || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a key id (<client>.<generation>): " + describe(text));
        }
        return new KeyId(text.substring(0, dot), Integer.parseInt(digits));
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return client + "." + generation;
    }

    /** Quotes at most a key id's length of a bad value, so an error message stays bounded. */
    private static String describe(String text) {
        if (text == null) {
            return "null";
        }
        return "'" + (text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text) + "'";
    }
}
