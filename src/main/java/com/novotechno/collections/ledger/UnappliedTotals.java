package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Money;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The held payments of one currency and status: how many, and their sum. Exact at any size: the
 * 10^12 limit is on one message's amount, not on a sum of them.
 */
public record UnappliedTotals(Currency currency, UnappliedStatus status, long payments, Money amount) {

    /** Currency code first, then held before to refund: the order the ledger lists them in. */
    public static final Comparator<UnappliedTotals> ORDER = Comparator.<UnappliedTotals, String>comparing(
            t -> t.currency().getCurrencyCode()).thenComparing(UnappliedTotals::status);

    public UnappliedTotals {
        Objects.requireNonNull(currency);
        Objects.requireNonNull(status);
        Objects.requireNonNull(amount);
        if (payments < 0 || !amount.currency().equals(currency)) {
            throw new IllegalArgumentException("inconsistent unapplied totals " + payments + " " + amount);
        }
    }

    public static UnappliedTotals zero(Currency currency, UnappliedStatus status) {
        return new UnappliedTotals(currency, status, 0, Money.zero(currency));
    }

    /** The totals per currency and status of some rows, in {@link #ORDER}; none for a pair without rows. */
    public static List<UnappliedTotals> of(Iterable<UnappliedRow> rows) {
        TreeMap<String, UnappliedTotals> sums = new TreeMap<>();
        for (UnappliedRow row : rows) {
            sums.compute(keyOf(row.currency(), row.status()),
                    (k, sum) -> (sum == null ? zero(row.currency(), row.status()) : sum).plus(row));
        }
        return sums.values().stream().sorted(ORDER).toList();
    }

    /** A key that sorts as {@link #ORDER} does. */
    static String keyOf(Currency currency, UnappliedStatus status) {
        return currency.getCurrencyCode() + "/" + status.ordinal();
    }

    public UnappliedTotals plus(UnappliedRow row) {
        require(row);
        return new UnappliedTotals(currency, status, payments + 1, amount.plus(row.amount()));
    }

    /** Takes a row out again; it must have been added, so nothing goes below zero. */
    public UnappliedTotals minus(UnappliedRow row) {
        require(row);
        if (payments == 0) {
            throw new IllegalStateException("removing " + row.subject() + " from empty " + currency + " totals");
        }
        return new UnappliedTotals(currency, status, payments - 1, amount.minus(row.amount()));
    }

    private void require(UnappliedRow row) {
        if (!row.currency().equals(currency) || row.status() != status) {
            throw new IllegalArgumentException(row.subject() + " does not count in " + currency + " " + status.label());
        }
    }
}
