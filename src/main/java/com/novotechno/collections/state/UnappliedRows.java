package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.UnappliedRow;
import com.novotechno.collections.ledger.UnappliedStatus;
import java.util.List;

/**
 * How held payments show in the ledger's Unapplied section: the one mapping the live path, replay
 * at open and reconciliation (from the held payments files) share, as {@link LedgerRows} is for invoices.
 */
public final class UnappliedRows {

    private UnappliedRows() {
    }

    public static List<UnappliedRow> of(InvoiceKey key, List<HeldPayment> unapplied) {
        // A table cell cannot keep spaces at its ends, so the ledger shows the reason without them.
        return unapplied.stream().map(held -> new UnappliedRow(key, held.messageId(), held.receivedOn(), held.amount(),
                held.toRefund() ? UnappliedStatus.TO_REFUND : UnappliedStatus.HELD,
                held.refundReason().map(String::strip))).toList();
    }

    public static List<UnappliedRow> of(InvoiceRecord record) {
        return of(record.key(), record.unapplied());
    }
}
