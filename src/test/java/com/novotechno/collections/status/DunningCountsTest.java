package com.novotechno.collections.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.dunning.DunningSchedule;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.state.DunningStanding;
import com.novotechno.collections.state.StateFileScan.Scanned;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DunningCountsTest {

    private static final Currency USD = Currency.getInstance("USD");

    /** An invoice in {@code section} at level reminder, paused, without a contact, one request awaiting acknowledgement. */
    private static Scanned remindedIn(LedgerSection section) {
        LedgerRow row = new LedgerRow(new InvoiceKey("ACME", section.name()), section, LocalDate.parse("2026-01-10"),
                LocalDate.parse("2026-02-09"), Money.ofStored("100.00", USD), Money.ofStored(section.isOpen() ? "40.00" : "0.00", USD),
                LocalDate.parse("2026-03-10"), section.hasReason() ? Optional.of("why") : Optional.empty(),
                section.closedAmountColumn().map(column -> Money.ofStored("60.00", USD)),
                section.hasReceivedColumn() ? Optional.of(LocalDate.parse("2026-03-02")) : Optional.empty());
        return new Scanned(row, 1, new DunningStanding(Optional.of("reminder"), List.of("reminder"), false, 0, true));
    }

    @Test
    void onlyInvoicesInOpenSectionsCountAsOpenInDunning() {
        List<Scanned> invoices = new ArrayList<>();
        for (LedgerSection section : LedgerSection.values()) {
            invoices.add(remindedIn(section));
        }
        DunningCounts counts = DunningCounts.of(invoices, DunningSchedule.parse("7:reminder,30:escalate"));
        assertThat(counts.levels().get("reminder").invoices()).as("Unpaid and Escalated only").isEqualTo(2);
        assertThat(counts.paused()).isEqualTo(2);
        assertThat(counts.noContact()).as("Unpaid only").isEqualTo(1);
        // The emailer still owes an answer for a closed invoice's request.
        assertThat(counts.levels().get("reminder").awaitingAcknowledgement()).isEqualTo(6);
    }
}
