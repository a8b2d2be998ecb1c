package com.novotechno.collections.ledger;

import static com.novotechno.collections.ledger.TestRows.escalated;
import static com.novotechno.collections.ledger.TestRows.money;
import static com.novotechno.collections.ledger.TestRows.paid;
import static com.novotechno.collections.ledger.TestRows.unpaid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.Currencies;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LedgerProjectionTest {

    private static final Instant T = Instant.parse("2026-03-15T10:00:00Z");
    private static final Currency USD = Currencies.parse("USD");
    private static final Currency EUR = Currencies.parse("EUR");
    private static final Currency JPY = Currencies.parse("JPY");

    private final LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);

    @Test
    void aRowMovesBetweenSectionsAndTakesItsTotalsAlong() {
        projection.update(unpaid("INV-1", "1000.00", "1000.00", "USD"), T);
        projection.update(unpaid("INV-1", "1000.00", "400.00", "USD"), T);
        LedgerSnapshot partly = projection.snapshot(2);
        assertThat(partly.rows().get(LedgerSection.UNPAID)).containsExactly(unpaid("INV-1", "1000.00", "400.00", "USD"));
        assertThat(partly.totals().get(LedgerSection.UNPAID))
                .containsExactly(Map.entry(USD, new CurrencyTotals(USD, 1, money("1000.00", "USD"), money("400.00", "USD"))));

        projection.update(escalated("INV-1", "1000.00", "400.00", "USD", "disputed"), T);
        LedgerSnapshot escalated = projection.snapshot(3);
        assertThat(escalated.rows().get(LedgerSection.UNPAID)).isEmpty();
        assertThat(escalated.totals().get(LedgerSection.UNPAID)).isEmpty();
        assertThat(escalated.rows().get(LedgerSection.ESCALATED)).extracting(LedgerRow::balance)
                .containsExactly(money("400.00", "USD"));

        projection.update(paid("INV-1", "1000.00", "USD"), T);
        LedgerSnapshot paidOff = projection.snapshot(4);
        assertThat(paidOff.rows().get(LedgerSection.ESCALATED)).isEmpty();
        assertThat(paidOff.rows().get(LedgerSection.PAID)).hasSize(1);
        assertThat(paidOff.allRows()).hasSize(1);
        assertThat(projection.invoices()).isEqualTo(1);
    }

    @Test
    void totalsAreKeptPerSectionAndCurrencyExactly() {
        projection.update(unpaid("U1", "0.10", "0.10", "USD"), T);
        projection.update(unpaid("U2", "0.20", "0.20", "USD"), T);
        projection.update(unpaid("E1", "999999999999.99", "0.01", "EUR"), T);
        projection.update(unpaid("J1", "150000", "150000", "JPY"), T);
        projection.update(paid("P1", "5.55", "EUR"), T);

        Map<Currency, CurrencyTotals> unpaid = projection.snapshot(5).totals().get(LedgerSection.UNPAID);
        assertThat(unpaid.keySet()).containsExactly(EUR, JPY, USD);
        assertThat(unpaid.get(USD)).isEqualTo(new CurrencyTotals(USD, 2, money("0.30", "USD"), money("0.30", "USD")));
        assertThat(unpaid.get(EUR).balance()).isEqualTo(money("0.01", "EUR"));
        assertThat(unpaid.get(JPY).amount().toPlainString()).isEqualTo("150000");
        assertThat(projection.snapshot(5).totals().get(LedgerSection.PAID))
                .containsExactly(Map.entry(EUR, new CurrencyTotals(EUR, 1, money("5.55", "EUR"), TestRows.zero("EUR"))));
    }

    @Test
    void applyingTheSameStateTwiceChangesNothing() {
        projection.update(unpaid("INV-1", "10.00", "10.00", "USD"), T);
        LedgerSnapshot once = projection.snapshot(1);
        projection.update(unpaid("INV-1", "10.00", "10.00", "USD"), T);
        assertThat(projection.snapshot(1)).isEqualTo(once);
    }

    @Test
    void rowsAreListedOldestDueFirst() {
        projection.update(TestRows.dueOn("B", LocalDate.parse("2026-03-01"), "1.00"), T);
        projection.update(TestRows.dueOn("A", LocalDate.parse("2026-04-01"), "1.00"), T);
        projection.update(TestRows.dueOn("C", LocalDate.parse("2026-01-01"), "1.00"), T);
        assertThat(projection.snapshot(3).rows().get(LedgerSection.UNPAID))
                .extracting(row -> row.key().invoiceNumber()).containsExactly("C", "B", "A");
    }

    @Test
    void asOfIsTheDayOfTheLatestEvent() {
        assertThat(projection.snapshot(0).asOf()).isEmpty();
        projection.update(unpaid("INV-1", "10.00", "10.00", "USD"), Instant.parse("2026-03-15T23:59:59Z"));
        projection.update(unpaid("INV-2", "10.00", "10.00", "USD"), Instant.parse("2026-03-14T08:00:00Z"));
        assertThat(projection.snapshot(2).asOf()).contains(LocalDate.parse("2026-03-15"));
    }

    @Test
    void anImpossibleChangeFailsLoudly() {
        projection.update(unpaid("INV-1", "10.00", "10.00", "USD"), T);
        assertThatThrownBy(() -> projection.update(unpaid("INV-1", "10.00", "10.00", "EUR"), T))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("currency");
        assertThatThrownBy(() -> unpaid("X", "10.00", "0", "USD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unpaid with balance 0.00");
        assertThatThrownBy(() -> new LedgerRow(unpaid("X", "1.00", "1.00", "USD").key(), LedgerSection.UNPAID,
                TestRows.ISSUED, TestRows.DUE, money("1.00", "USD"), money("1.00", "USD"), TestRows.ISSUED,
                Optional.of("why"))).hasMessageContaining("reason");
        assertThat(List.of(projection.updates())).containsExactly(1L);
    }
}
