package com.novotechno.collections.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies an invoice: client and invoice number, both validated here so that no name that
 * could escape a folder ("..", "/", a leading dot) ever reaches a path.
 */
public record InvoiceKey(String client, String invoiceNumber) {

    /**
     * The invoice number of a whole client's key (a pause of all its invoices): no invoice number
     * can be it, since names start with a letter or digit, and no path is ever made of it.
     */
    public static final String WHOLE_CLIENT = "*";

    /** CONTRACT section 1; the leading alphanumeric rules out ".", ".." and hidden files. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (Limits.MAX_NAME_CHARS - 1) + "}");

    public InvoiceKey {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(invoiceNumber, "invoiceNumber");
        if (!isValidName(client) || !(isValidName(invoiceNumber) || WHOLE_CLIENT.equals(invoiceNumber))) {
            throw new IllegalArgumentException("invalid invoice key " + client + "/" + invoiceNumber);
        }
    }

    /** The key under which a message for all of a client's invoices is logged. */
    public static InvoiceKey wholeClient(String client) {
        return new InvoiceKey(client, WHOLE_CLIENT);
    }

    public boolean isWholeClient() {
        return WHOLE_CLIENT.equals(invoiceNumber);
    }

    /**
     * Whether the name matches {@link #NAME}: checked by hand, since a whole-book scan checks millions of
     * names (each file's, each row's) and the regex was a tenth of its CPU; InvoiceKeyTest holds the two equal.
     */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > Limits.MAX_NAME_CHARS || !isAsciiAlphanumeric(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAsciiAlphanumeric(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** The specification of {@link #isValidName}, for the test that holds them equal. */
    static boolean matchesNamePattern(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return client + "/" + invoiceNumber;
    }
}
