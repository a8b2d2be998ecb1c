package com.novotechno.collections.ledger;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's sections, in the order the file gives them (CONTRACT section 2). Each invoice stands
 * in exactly one: open (Unpaid, Escalated) or closed one of four ways (Paid, Credited, Void,
 * Written off). The first three keep their place from ledger-format 2, so a reader that looks for
 * them finds them where it did.
 */
public enum LedgerSection {
    UNPAID("Unpaid", "Unpaid since", true, false, null),
    PAID("Paid", "Paid on", false, false, null),
    ESCALATED("Escalated", "Escalated on", true, true, null),
    CREDITED("Credited", "Credited on", false, false, "Credited"),
    VOID("Void", "Voided on", false, true, null),
    WRITTEN_OFF("Written off", "Written off on", false, true, "Written off");

    private final String heading;
    private final String enteredColumn;
    private final boolean open;
    private final boolean reason;
    private final String closedAmountColumn;

    LedgerSection(String heading, String enteredColumn, boolean open, boolean reason, String closedAmountColumn) {
        this.heading = heading;
        this.enteredColumn = enteredColumn;
        this.open = open;
        this.reason = reason;
        this.closedAmountColumn = closedAmountColumn;
    }

    /** The name after "## " in the file. */
    public String heading() {
        return heading;
    }

    /** The header of the column giving the date the invoice entered this section. */
    public String enteredColumn() {
        return enteredColumn;
    }

    /** Whether its balances are still owed, and so count in the ageing; every closed section owes nothing. */
    public boolean isOpen() {
        return open;
    }

    /** Whether its rows end with a Reason column (why it was escalated, voided or written off). */
    public boolean hasReason() {
        return reason;
    }

    /**
     * The header of its column of the amount that closed the invoice, if it has one: the credit notes'
     * sum in Credited, the bad debt in Written off. Its rows and totals give that amount after Balance.
     */
    public Optional<String> closedAmountColumn() {
        return Optional.ofNullable(closedAmountColumn);
    }

    /** Whether its rows end with the received_on of the payment that closed the invoice (Paid). */
    public boolean hasReceivedColumn() {
        return this == PAID;
    }

    /** The closed sections, which leave ledger.qmd for their period's file when the period ends. */
    public static List<LedgerSection> closed() {
        return Arrays.stream(values()).filter(s -> !s.isOpen()).toList();
    }
}
