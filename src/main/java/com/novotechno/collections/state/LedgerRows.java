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
            case PAID -> LedgerSection.PAID;
            case ESCALATED -> LedgerSection.ESCALATED;
            case CREDITED -> LedgerSection.CREDITED;
            case VOID -> LedgerSection.VOID;
            case WRITTEN_OFF -> LedgerSection.WRITTEN_OFF;
        };
        // An escalated invoice closed later keeps its escalation reason in the state file; its section shows the
        // reason it was closed for, if it has a reason column. A table cell cannot keep spaces at its ends.
        Optional<String> reason = switch (section) {
            case ESCALATED -> state.escalationReason();
            case VOID, WRITTEN_OFF -> state.closingReason();
            case UNPAID, PAID, CREDITED -> Optional.empty();
        };
        Optional<com.novotechno.collections.domain.Money> closedAmount = switch (section) {
            case CREDITED -> state.credited();
            case WRITTEN_OFF -> state.writtenOff();
            default -> Optional.empty();
        };
        // Paid by its last payment still counting: the one that brought the balance to zero.
        Optional<LocalDate> receivedOn = section != LedgerSection.PAID ? Optional.empty() : state.payments().stream()
                .filter(p -> p.reversal().isEmpty()).reduce((first, second) -> second).map(InvoiceState.Payment::receivedOn);
        return new LedgerRow(state.key(), section, state.issuedOn(), state.dueOn(), state.amount(), state.balance(),
                LocalDate.ofInstant(state.statusSince(), zone), reason.map(String::strip), closedAmount, receivedOn);
    }
}
