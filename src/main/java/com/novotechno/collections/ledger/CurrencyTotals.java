package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Money;
import java.util.Currency;
import java.util.Objects;

/** A section's totals in one currency: how many invoices, their amounts and their open balances. */
public record CurrencyTotals(Currency currency, long invoices, Money amount, Money balance) {

    public CurrencyTotals {
        Objects.requireNonNull(currency);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(balance);
        if (invoices < 0 || !amount.currency().equals(currency) || !balance.currency().equals(currency)) {
            throw new IllegalArgumentException("inconsistent totals " + invoices + " " + amount + " " + balance);
        }
    }

    public static CurrencyTotals zero(Currency currency) {
        return new CurrencyTotals(currency, 0, Money.zero(currency), Money.zero(currency));
    }

    public CurrencyTotals plus(LedgerRow row) {
        return new CurrencyTotals(currency, invoices + 1, amount.plus(row.amount()), balance.plus(row.balance()));
    }

    /** Takes a row out again; it must have been added, so nothing goes below zero. */
    public CurrencyTotals minus(LedgerRow row) {
        if (invoices == 0) {
            throw new IllegalStateException("removing " + row.key() + " from empty " + currency + " totals");
        }
        return new CurrencyTotals(currency, invoices - 1, amount.minus(row.amount()), balance.minus(row.balance()));
    }
}
