package com.novotechno.collections.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies an invoice: client and invoice number, both validated here so that no name that
 * could escape a folder ("..", "/", a leading dot) ever reaches a path.
 */
public record InvoiceKey(String client, String invoiceNumber) {

    /** CONTRACT section 1; the leading alphanumeric rules out ".", ".." and hidden files. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (Limits.MAX_NAME_CHARS - 1) + "}");

    public InvoiceKey {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(invoiceNumber, "invoiceNumber");
        if (!isValidName(client) || !isValidName(invoiceNumber)) {
            throw new IllegalArgumentException("invalid invoice key " + client + "/" + invoiceNumber);
        }
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    @Override
    public String toString() {
        return client + "/" + invoiceNumber;
    }
}
