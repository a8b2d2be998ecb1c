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

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    @Override
    public String toString() {
        return client + "/" + invoiceNumber;
    }
}
