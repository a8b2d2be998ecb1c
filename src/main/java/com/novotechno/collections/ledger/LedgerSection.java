package com.novotechno.collections.ledger;

/** The ledger's sections, in the order the file gives them (CONTRACT section 2). */
public enum LedgerSection {
    UNPAID("Unpaid", "Unpaid since"),
    PAID("Paid", "Paid on"),
    ESCALATED("Escalated", "Escalated on");

    private final String heading;
    private final String enteredColumn;

    LedgerSection(String heading, String enteredColumn) {
        this.heading = heading;
        this.enteredColumn = enteredColumn;
    }

    /** The name after "## " in the file. */
    public String heading() {
        return heading;
    }

    /** The header of the column giving the date the invoice entered this section. */
    public String enteredColumn() {
        return enteredColumn;
    }

    /** Whether its balances are still owed, and so count in the ageing. */
    public boolean isOpen() {
        return this != PAID;
    }
}
