package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * One invoice as the ledger shows it. The constructor enforces what the file promises: the
 * balance is at most the amount in the same currency, a paid invoice owes nothing, and the
 * reason appears exactly in the Escalated section.
 *
 * @param enteredOn the day the invoice entered its section
 */
public record LedgerRow(InvoiceKey key, LedgerSection section, LocalDate issuedOn, LocalDate dueOn,
                        Money amount, Money balance, LocalDate enteredOn, Optional<String> reason) {

    /**
     * Rows are listed by due date, oldest first, as a collections team works them; the key breaks
     * ties. A row's due date never changes, so its place is stable while it stays in a section.
     */
    public static final Comparator<LedgerRow> ORDER = Comparator.comparing(LedgerRow::dueOn)
            .thenComparing(row -> row.key().client())
            .thenComparing(row -> row.key().invoiceNumber());

    public LedgerRow {
        Objects.requireNonNull(key);
        Objects.requireNonNull(section);
        Objects.requireNonNull(issuedOn);
        Objects.requireNonNull(dueOn);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(balance);
        Objects.requireNonNull(enteredOn);
        Objects.requireNonNull(reason);
        require(amount.currency().equals(balance.currency()), "balance " + balance + " in another currency than " + amount);
        require(!amount.isZero(), "amount is zero");
        require(balance.compareTo(amount) <= 0, "balance " + balance + " exceeds amount " + amount);
        require((section == LedgerSection.PAID) == balance.isZero(), section.heading() + " with balance " + balance);
        require((section == LedgerSection.ESCALATED) == reason.isPresent(), "a reason belongs to Escalated rows only");
        require(!dueOn.isBefore(issuedOn), "due " + dueOn + " before issued " + issuedOn);
    }

    public Currency currency() {
        return amount.currency();
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException("ledger row: " + problem);
        }
    }
}
