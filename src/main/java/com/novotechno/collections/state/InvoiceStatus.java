package com.novotechno.collections.state;

import java.util.Arrays;
import java.util.Locale;

/**
 * CONTRACT section 2: an invoice is open (unpaid or escalated) until it is closed: paid, credited
 * (a credit note brought the balance to zero), void (cancelled, issued in error) or written off (a
 * bad debt). Closed invoices owe nothing and live in the archive.
 */
public enum InvoiceStatus {
    UNPAID, ESCALATED, PAID, CREDITED, VOID, WRITTEN_OFF;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isOpen() {
        return this == UNPAID || this == ESCALATED;
    }

    /** Closed by money in or a credit note: a reversed payment can reopen it. */
    public boolean isSettled() {
        return this == PAID || this == CREDITED;
    }

    public static InvoiceStatus fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown status '" + name + "'"));
    }
}
