package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * One held payment as the ledger's Unapplied section shows it. A payment's message_id is unique in
 * the log, so it names the row; the reason appears exactly on a row to refund.
 */
public record UnappliedRow(InvoiceKey key, String messageId, LocalDate receivedOn, Money amount,
                           UnappliedStatus status, Optional<String> reason) {

    /** By invoice key, then message id: the same order whichever way the rows were gathered. */
    public static final Comparator<UnappliedRow> ORDER = Comparator.<UnappliedRow, String>comparing(r -> r.key().client())
            .thenComparing(r -> r.key().invoiceNumber())
            .thenComparing(UnappliedRow::messageId);

    public UnappliedRow {
        Objects.requireNonNull(key);
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(receivedOn);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(status);
        Objects.requireNonNull(reason);
        if (amount.isZero() || messageId.isEmpty()) {
            throw new IllegalArgumentException("unapplied row of " + key + ": an id and an amount above zero");
        }
        if ((status == UnappliedStatus.TO_REFUND) != reason.isPresent()) {
            throw new IllegalArgumentException("unapplied row of " + key + ": a reason belongs to payments to refund only");
        }
    }

    public Currency currency() {
        return amount.currency();
    }

    /** How reconciliation and the parser name the row. */
    public String subject() {
        return key + " payment " + messageId;
    }
}
