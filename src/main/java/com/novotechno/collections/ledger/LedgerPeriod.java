package com.novotechno.collections.ledger;

/**
 * {@code collections.ledger.period}: how long a period of the ledger is, after which its closed invoices
 * leave ledger.qmd for their period's file. A month (in collections.time-zone) is the one length: the
 * files are named by it (ledger/paid-YYYY-MM.qmd) and a collections team closes its books by it.
 */
public enum LedgerPeriod {
    MONTH("month");

    private final String value;

    LedgerPeriod(String value) {
        this.value = value;
    }

    /** The setting's value, or a message naming the key and the values it takes. */
    public static LedgerPeriod parse(String key, String value) {
        for (LedgerPeriod period : values()) {
            if (period.value.equals(value)) {
                return period;
            }
        }
        throw new IllegalArgumentException(key + " must be 'month' (the one period the ledger closes), found '"
                + value + "'");
    }

    public String value() {
        return value;
    }
}
