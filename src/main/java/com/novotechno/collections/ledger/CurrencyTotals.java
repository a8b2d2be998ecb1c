package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Money;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A section's totals in one currency: how many invoices, their amounts, their open balances, and the
 * sum of their closed amounts (credited in Credited, written off in Written off; zero in the sections
 * without that column).
 */
public record CurrencyTotals(Currency currency, long invoices, Money amount, Money balance, Money closedAmount) {

    public CurrencyTotals {
        Objects.requireNonNull(currency);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(balance);
        Objects.requireNonNull(closedAmount);
        if (invoices < 0 || !amount.currency().equals(currency) || !balance.currency().equals(currency)
                || !closedAmount.currency().equals(currency)) {
            throw new IllegalArgumentException("inconsistent totals " + invoices + " " + amount + " " + balance + " "
                    + closedAmount);
        }
    }

    /** Totals of a section without a closed-amount column. */
    public CurrencyTotals(Currency currency, long invoices, Money amount, Money balance) {
        this(currency, invoices, amount, balance, Money.zero(currency));
    }

    public static CurrencyTotals zero(Currency currency) {
        return new CurrencyTotals(currency, 0, Money.zero(currency), Money.zero(currency), Money.zero(currency));
    }

    /** Each section's totals per currency, currencies in code order; a section without rows has none. */
    public static Map<LedgerSection, Map<Currency, CurrencyTotals>> bySection(Iterable<LedgerRow> rows) {
        Map<LedgerSection, Map<Currency, CurrencyTotals>> totals = new EnumMap<>(LedgerSection.class);
        for (LedgerSection section : LedgerSection.values()) {
            totals.put(section, new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode)));
        }
        for (LedgerRow row : rows) {
            totals.get(row.section()).compute(row.currency(),
                    (currency, sum) -> (sum == null ? zero(currency) : sum).plus(row));
        }
        return totals;
    }

    public CurrencyTotals plus(LedgerRow row) {
        return new CurrencyTotals(currency, invoices + 1, amount.plus(row.amount()), balance.plus(row.balance()),
                closedAmount.plus(closedAmountOf(row)));
    }

    /** These totals and {@code other}'s, of the same currency: two files' sums together. */
    public CurrencyTotals plus(CurrencyTotals other) {
        if (!other.currency.equals(currency)) {
            throw new IllegalArgumentException(other.currency + " totals added to " + currency + " totals");
        }
        return new CurrencyTotals(currency, Math.addExact(invoices, other.invoices), amount.plus(other.amount),
                balance.plus(other.balance), closedAmount.plus(other.closedAmount));
    }

    /** Takes a row out again; it must have been added, so nothing goes below zero. */
    public CurrencyTotals minus(LedgerRow row) {
        if (invoices == 0) {
            throw new IllegalStateException("removing " + row.key() + " from empty " + currency + " totals");
        }
        return new CurrencyTotals(currency, invoices - 1, amount.minus(row.amount()), balance.minus(row.balance()),
                closedAmount.minus(closedAmountOf(row)));
    }

    private Money closedAmountOf(LedgerRow row) {
        return row.closedAmount().orElseGet(() -> Money.zero(currency));
    }
}
