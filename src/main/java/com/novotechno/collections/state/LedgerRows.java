package com.novotechno.collections.state;

import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/** How an invoice's state shows in the ledger: the one mapping the live path, replay and reconciliation share. */
public final class LedgerRows {

    private LedgerRows() {
    }

    /** @param zone collections.time-zone: the entered date is the day of the status change there */
    public static LedgerRow of(InvoiceState state, ZoneId zone) {
        LedgerSection section = switch (state.status()) {
            case UNPAID -> LedgerSection.UNPAID;
            case PAID, CREDITED, VOID, WRITTEN_OFF -> LedgerSection.PAID; // until the ledger has their sections
            case ESCALATED -> LedgerSection.ESCALATED;
        };
        // An escalated invoice paid off keeps its reason in the state file; the Paid section has no reason column.
        // A table cell cannot keep spaces at its ends, so the ledger shows the reason without them.
        Optional<String> reason = section == LedgerSection.ESCALATED
                ? state.escalationReason().map(String::strip)
                : Optional.empty();
        return new LedgerRow(state.key(), section, state.issuedOn(), state.dueOn(), state.amount(), state.balance(),
                LocalDate.ofInstant(state.statusSince(), zone), reason);
    }
}
