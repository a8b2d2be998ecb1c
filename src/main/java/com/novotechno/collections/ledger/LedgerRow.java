package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One invoice as the ledger shows it. The constructor enforces what the file promises: the
 * balance is at most the amount in the same currency, an open section's invoice owes something and
 * a closed section's nothing (a void invoice keeps its amount, its balance is 0), a reason appears
 * exactly in the sections with a Reason column, and a closed amount exactly in those with one.
 *
 * @param enteredOn the day the invoice entered its section
 * @param closedAmount what closed it, in Credited (the credit notes' sum) and Written off (the bad
 *                     debt): more than zero and at most the amount, in its currency
 * @param receivedOn in Paid only: the received_on of the payment that paid it off, which may be long
 *                   before {@code enteredOn}, the day the service closed it
 */
public record LedgerRow(InvoiceKey key, LedgerSection section, LocalDate issuedOn, LocalDate dueOn,
                        Money amount, Money balance, LocalDate enteredOn, Optional<String> reason,
                        Optional<Money> closedAmount, Optional<LocalDate> receivedOn) {

    /**
     * Rows are listed by due date, oldest first, as a collections team works them; the key breaks
     * ties. An amendment may change a due date: the projection then takes the row out by its old
     * value and puts it back in its new place.
     */
    public static final Comparator<LedgerRow> ORDER = (a, b) -> {
        // Written out rather than Comparator.comparing(...).thenComparing(...): a replay sorts millions of rows in.
        int byDue = a.dueOn().compareTo(b.dueOn());
        if (byDue != 0) {
            return byDue;
        }
        int byClient = a.key().client().compareTo(b.key().client());
        return byClient != 0 ? byClient : a.key().invoiceNumber().compareTo(b.key().invoiceNumber());
    };

    public LedgerRow {
        Objects.requireNonNull(key);
        Objects.requireNonNull(section);
        Objects.requireNonNull(issuedOn);
        Objects.requireNonNull(dueOn);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(balance);
        Objects.requireNonNull(enteredOn);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(closedAmount);
        Objects.requireNonNull(receivedOn);
        require(section.hasReceivedColumn() == receivedOn.isPresent(),
                "a received date belongs to Paid rows only, and each of them has one");
        require(amount.currency().equals(balance.currency()), () -> "balance " + balance + " in another currency than " + amount);
        require(!amount.isZero(), () -> "amount is zero");
        require(balance.compareTo(amount) <= 0, () -> "balance " + balance + " exceeds amount " + amount);
        require(section.isOpen() != balance.isZero(), () -> section.heading() + " with balance " + balance);
        require(section.hasReason() == reason.isPresent(),
                () -> "a reason belongs to Escalated, Void and Written off rows only, and each of them has one");
        require(section.closedAmountColumn().isPresent() == closedAmount.isPresent(),
                () -> "a closed amount belongs to Credited and Written off rows only, and each of them has one");
        closedAmount.ifPresent(closed -> {
            require(closed.currency().equals(amount.currency()), () -> "closed amount " + closed + " in another currency than " + amount);
            require(!closed.isZero(), () -> section.heading() + " amount is zero");
            require(closed.compareTo(amount) <= 0, () -> section.heading() + " amount " + closed + " exceeds amount " + amount);
        });
        require(!dueOn.isBefore(issuedOn), () -> "due " + dueOn + " before issued " + issuedOn);
    }

    /** A row of any section but Paid. */
    public LedgerRow(InvoiceKey key, LedgerSection section, LocalDate issuedOn, LocalDate dueOn, Money amount,
                     Money balance, LocalDate enteredOn, Optional<String> reason, Optional<Money> closedAmount) {
        this(key, section, issuedOn, dueOn, amount, balance, enteredOn, reason, closedAmount, Optional.empty());
    }

    /** A row of a section without a closed-amount column (Unpaid, Escalated, Void). */
    public LedgerRow(InvoiceKey key, LedgerSection section, LocalDate issuedOn, LocalDate dueOn, Money amount,
                     Money balance, LocalDate enteredOn, Optional<String> reason) {
        this(key, section, issuedOn, dueOn, amount, balance, enteredOn, reason, Optional.empty());
    }

    /** A Paid row: closed by the service on {@code paidOn}, by a payment received on {@code receivedOn}. */
    public static LedgerRow paid(InvoiceKey key, LocalDate issuedOn, LocalDate dueOn, Money amount, LocalDate paidOn,
                                 LocalDate receivedOn) {
        return new LedgerRow(key, LedgerSection.PAID, issuedOn, dueOn, amount, Money.zero(amount.currency()), paidOn,
                Optional.empty(), Optional.empty(), Optional.of(receivedOn));
    }

    public Currency currency() {
        return amount.currency();
    }

    /** The problem is said only when there is one: a ledger of a million rows builds none of these texts. */
    private static void require(boolean condition, Supplier<String> problem) {
        if (!condition) {
            throw new IllegalArgumentException("ledger row: " + problem.get());
        }
    }

    private static void require(boolean condition, String problem) {
        require(condition, () -> problem);
    }
}
