package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Money;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Open balances per currency and ageing bucket, as of one day. Equal tables compare equal. */
public final class AgeingTable {

    private final Map<Currency, EnumMap<AgeingBucket, Money>> balances =
            new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));

    /** Ages the balances of the open rows (Unpaid and Escalated); closed rows owe nothing and are skipped. */
    public static AgeingTable of(Iterable<LedgerRow> rows, LocalDate asOf) {
        AgeingTable table = new AgeingTable();
        for (LedgerRow row : rows) {
            if (row.section().isOpen()) {
                table.add(row.currency(), AgeingBucket.of(row.dueOn(), asOf), row.balance());
            }
        }
        return table;
    }

    /** Adds to one cell; a currency's row starts at zero in every bucket. */
    public void add(Currency currency, AgeingBucket bucket, Money balance) {
        EnumMap<AgeingBucket, Money> row = balances.computeIfAbsent(currency, c -> {
            EnumMap<AgeingBucket, Money> zeros = new EnumMap<>(AgeingBucket.class);
            for (AgeingBucket b : AgeingBucket.values()) {
                zeros.put(b, Money.zero(c));
            }
            return zeros;
        });
        row.merge(bucket, balance, Money::plus);
    }

    /** Currency to bucket to balance, currencies in code order. */
    public Map<Currency, Map<AgeingBucket, Money>> balances() {
        Map<Currency, Map<AgeingBucket, Money>> view = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
        balances.forEach((currency, row) -> view.put(currency, Collections.unmodifiableMap(row)));
        return Collections.unmodifiableMap(view);
    }

    public Money total(Currency currency) {
        Money total = Money.zero(currency);
        for (Money cell : balances.getOrDefault(currency, new EnumMap<>(AgeingBucket.class)).values()) {
            total = total.plus(cell);
        }
        return total;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AgeingTable table && balances.equals(table.balances);
    }

    @Override
    public int hashCode() {
        return balances.hashCode();
    }

    @Override
    public String toString() {
        return balances.toString();
    }
}
