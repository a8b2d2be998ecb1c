package com.novotechno.collections.ledger;

/** Where a held payment stands (CONTRACT section 1): waiting for its invoice, or to be refunded. */
public enum UnappliedStatus {
    HELD("held"),
    TO_REFUND("to refund");

    private final String label;

    UnappliedStatus(String label) {
        this.label = label;
    }

    /** As the ledger and 'status' write it. */
    public String label() {
        return label;
    }

    public static UnappliedStatus ofLabel(String label) {
        for (UnappliedStatus status : values()) {
            if (status.label.equals(label)) {
                return status;
            }
        }
        throw new IllegalArgumentException("status '" + label + "' is neither 'held' nor 'to refund'");
    }
}
