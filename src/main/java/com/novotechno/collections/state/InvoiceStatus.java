package com.novotechno.collections.state;

import java.util.Arrays;
import java.util.Locale;

/** CONTRACT section 2: an invoice is unpaid, escalated (both open) or paid (archived). */
public enum InvoiceStatus {
    UNPAID, ESCALATED, PAID;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isOpen() {
        return this != PAID;
    }

    public static InvoiceStatus fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown status '" + name + "'"));
    }
}
