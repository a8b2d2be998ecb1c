package com.novotechno.collections.status;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.state.StateFileScan.Scanned;
import com.novotechno.collections.state.StateFileScan.Unreadable;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code overdue} reports, from the state files as {@code status} reads them: the open
 * invoices past due on a day (due before it: the day after the due date is one day overdue, as in
 * the ageing), oldest due date first, and their balances per currency.
 *
 * @param invoices the overdue ones, in {@link LedgerRow#ORDER}: by due date, then client and invoice number
 * @param totals   per currency, code order: how many are overdue and what they still owe
 */
public record OverdueReport(LocalDate asOf, List<Overdue> invoices, Map<Currency, Totals> totals,
                            List<Unreadable> unreadable) {

    /**
     * @param level the highest dunning level requested for it (the state file's dunning_level); empty: none yet
     */
    public record Overdue(InvoiceKey key, LedgerSection section, LocalDate dueOn, long daysOverdue, Money balance,
                          Optional<String> level, boolean hasContact) {
    }

    public record Totals(long invoices, Money balance) {
        Totals plus(Money more) {
            return new Totals(invoices + 1, balance.plus(more));
        }
    }

    public static OverdueReport of(StateFileScan scan, LocalDate asOf) {
        List<Scanned> overdue = scan.rows().values().stream()
                .filter(scanned -> scanned.row().section().isOpen() && scanned.row().dueOn().isBefore(asOf))
                .sorted(Comparator.comparing(Scanned::row, LedgerRow.ORDER))
                .toList();
        Map<Currency, Totals> totals = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
        List<Overdue> invoices = new ArrayList<>(overdue.size());
        for (Scanned scanned : overdue) {
            LedgerRow row = scanned.row();
            totals.merge(row.currency(), new Totals(1, row.balance()), (sum, one) -> sum.plus(one.balance()));
            invoices.add(new Overdue(row.key(), row.section(), row.dueOn(), ChronoUnit.DAYS.between(row.dueOn(), asOf),
                    row.balance(), scanned.dunning().level(), scanned.dunning().hasContact()));
        }
        return new OverdueReport(asOf, List.copyOf(invoices), Collections.unmodifiableMap(totals), List.copyOf(scan.unreadable()));
    }
}
