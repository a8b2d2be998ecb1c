package com.novotechno.collections.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.state.DunningStanding;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.state.StateFileScan.Scanned;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The overdue report from state files as scanned: which invoices, in which order, with which dunning level. */
class OverdueReportTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-15");

    private static Scanned unpaid(String invoice, String dueOn, String balance, Optional<String> level, boolean contact) {
        LocalDate due = LocalDate.parse(dueOn);
        LedgerRow row = new LedgerRow(new InvoiceKey("ACME", invoice), LedgerSection.UNPAID, due.minusDays(30), due,
                Money.ofStored("500.00", USD), Money.ofStored(balance, USD), due.minusDays(30), Optional.empty(),
                Optional.empty(), Optional.empty());
        return new Scanned(row, 1, new DunningStanding(level, List.of(), contact, 0, false));
    }

    @Test
    void overdueInvoicesCarryTheirHighestDunningLevelAndContactAndTiesGoByInvoice() {
        StateFileScan scan = new StateFileScan(Map.of(
                new InvoiceKey("ACME", "B"), unpaid("B", "2026-02-01", "100.00", Optional.of("final_notice"), true),
                new InvoiceKey("ACME", "A"), unpaid("A", "2026-02-01", "200.00", Optional.of("reminder"), false),
                new InvoiceKey("ACME", "C"), unpaid("C", "2026-03-20", "300.00", Optional.empty(), true)), List.of());

        OverdueReport report = OverdueReport.of(scan, AS_OF);

        assertThat(report.invoices()).extracting(overdue -> overdue.key().invoiceNumber()).containsExactly("A", "B");
        assertThat(report.invoices()).extracting(OverdueReport.Overdue::level)
                .containsExactly(Optional.of("reminder"), Optional.of("final_notice"));
        assertThat(report.invoices()).extracting(OverdueReport.Overdue::hasContact).containsExactly(false, true);
        assertThat(report.invoices()).extracting(OverdueReport.Overdue::daysOverdue).containsExactly(42L, 42L);
        assertThat(report.totals().get(USD)).isEqualTo(new OverdueReport.Totals(2, Money.ofStored("300.00", USD)));
    }
}
