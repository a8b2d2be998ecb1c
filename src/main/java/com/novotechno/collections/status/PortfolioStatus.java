package com.novotechno.collections.status;

import com.novotechno.collections.dunning.DunningSchedule;
import com.novotechno.collections.ledger.AgeingTable;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.UnappliedStatus;
import com.novotechno.collections.ledger.UnappliedTotals;
import com.novotechno.collections.state.HeldPaymentScan;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.state.StateFileScan.Scanned;
import com.novotechno.collections.state.StateFileScan.Unreadable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} reports, from the state files (the truth, not the ledger): invoices per
 * section, totals per section and currency, the open balances aged as of a given day
 * (today, unlike the ledger, whose ageing is as of its latest event), and the held payments
 * (waiting for their invoice, or to refund) per currency, from their files, and where the
 * invoices stand in dunning.
 */
public record PortfolioStatus(LocalDate asOf, Map<LedgerSection, Map<Currency, CurrencyTotals>> totals,
                              AgeingTable ageing, List<UnappliedTotals> unapplied, DunningCounts dunning,
                              List<Unreadable> unreadable) {

    /** @param schedule the configured dunning levels, the order in which they are reported */
    public static PortfolioStatus of(StateFileScan scan, HeldPaymentScan held, LocalDate asOf, DunningSchedule schedule) {
        List<LedgerRow> rows = scan.rows().values().stream().map(Scanned::row).toList();
        List<Unreadable> unreadable = new ArrayList<>(scan.unreadable());
        unreadable.addAll(held.unreadable());
        return new PortfolioStatus(asOf, CurrencyTotals.bySection(rows), AgeingTable.of(rows, asOf),
                UnappliedTotals.of(held.rows()), DunningCounts.of(scan.rows().values(), schedule), List.copyOf(unreadable));
    }

    /** Held payments waiting for their invoice ({@link UnappliedStatus#HELD}) or to refund. */
    public long heldCount(UnappliedStatus status) {
        return unapplied.stream().filter(t -> t.status() == status).mapToLong(UnappliedTotals::payments).sum();
    }

    public long count(LedgerSection section) {
        return totals.get(section).values().stream().mapToLong(CurrencyTotals::invoices).sum();
    }

    /** Invoices still owed: those in the open sections (Unpaid, Escalated). */
    public long openCount() {
        return Arrays.stream(LedgerSection.values()).filter(LedgerSection::isOpen).mapToLong(this::count).sum();
    }
}
