package com.novotechno.collections.ledger;

import static com.novotechno.collections.ledger.TestRows.closedIn;
import static com.novotechno.collections.ledger.TestRows.escalated;
import static com.novotechno.collections.ledger.TestRows.money;
import static com.novotechno.collections.ledger.TestRows.paid;
import static com.novotechno.collections.ledger.TestRows.unpaid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /** Paid, credited, voided or written off, and reopened (a reversed payment): the totals follow each move. */
    @ParameterizedTest(name = "Unpaid to {0} and back")
    @EnumSource(value = LedgerSection.class, names = {"PAID", "CREDITED", "VOID", "WRITTEN_OFF"})
    void aRowMovesBetweenAnOpenAndEachClosedSectionAndTakesItsTotalsAlong(LedgerSection closed) {
        assertThat(closed.isOpen()).isFalse();
        projection.update(unpaid("INV-2", "50.00", "50.00", "USD"), T);
        projection.update(unpaid("INV-1", "1000.00", "400.00", "USD"), T);
        projection.update(closedIn(closed, "INV-1", "1000.00", "600.00", "USD"), T);

        LedgerSnapshot closedOnce = projection.snapshot(3);
        Money closedAmount = closed.closedAmountColumn().isPresent() ? money("600.00", "USD") : TestRows.zero("USD");
        assertThat(closedOnce.rows().get(closed)).extracting(row -> row.key().invoiceNumber()).containsExactly("INV-1");
        assertThat(closedOnce.totals().get(closed)).containsExactly(Map.entry(USD,
                new CurrencyTotals(USD, 1, money("1000.00", "USD"), TestRows.zero("USD"), closedAmount)));
        assertThat(closedOnce.totals().get(LedgerSection.UNPAID)).containsExactly(Map.entry(USD,
                new CurrencyTotals(USD, 1, money("50.00", "USD"), money("50.00", "USD"))));
        assertThat(closedOnce.ageing().total(USD)).as("a closed invoice is not aged").isEqualTo(money("50.00", "USD"));

        projection.update(unpaid("INV-1", "1000.00", "400.00", "USD"), T);
        LedgerSnapshot reopened = projection.snapshot(4);
        assertThat(reopened.rows().get(closed)).isEmpty();
        assertThat(reopened.totals().get(closed)).isEmpty();
        assertThat(reopened.totals().get(LedgerSection.UNPAID)).containsExactly(Map.entry(USD,
                new CurrencyTotals(USD, 2, money("1050.00", "USD"), money("450.00", "USD"))));
        assertThat(reopened.ageing().total(USD)).isEqualTo(money("450.00", "USD"));
    }

    @Test
    void theClosedAmountsOfASectionAreSummedPerCurrencyAndTakenOutWithTheirRows() {
        projection.update(TestRows.credited("C1", "100.00", "30.00", "USD"), T);
        projection.update(TestRows.credited("C2", "200.00", "200.00", "USD"), T);
        projection.update(TestRows.writtenOff("W1", "150000", "90000", "JPY", "insolvent"), T);
        projection.update(TestRows.writtenOff("W2", "10.00", "10.00", "EUR", "gone"), T);
        projection.update(TestRows.voided("V1", "70.00", "USD", "issued twice"), T);

        LedgerSnapshot snapshot = projection.snapshot(5);
        assertThat(snapshot.totals().get(LedgerSection.CREDITED)).containsExactly(Map.entry(USD,
                new CurrencyTotals(USD, 2, money("300.00", "USD"), TestRows.zero("USD"), money("230.00", "USD"))));
        assertThat(snapshot.totals().get(LedgerSection.WRITTEN_OFF).keySet()).containsExactly(EUR, JPY);
        assertThat(snapshot.totals().get(LedgerSection.WRITTEN_OFF).get(JPY).closedAmount()).isEqualTo(money("90000", "JPY"));
        assertThat(snapshot.totals().get(LedgerSection.VOID)).containsExactly(Map.entry(USD,
                new CurrencyTotals(USD, 1, money("70.00", "USD"), TestRows.zero("USD"))));

        projection.update(TestRows.credited("C2", "200.00", "150.00", "USD"), T);
        assertThat(projection.snapshot(6).totals().get(LedgerSection.CREDITED).get(USD).closedAmount())
                .isEqualTo(money("180.00", "USD"));
        projection.update(unpaid("C1", "100.00", "70.00", "USD"), T);
        assertThat(projection.snapshot(7).totals().get(LedgerSection.CREDITED)).containsExactly(Map.entry(USD,
                new CurrencyTotals(USD, 1, money("200.00", "USD"), TestRows.zero("USD"), money("150.00", "USD"))));
    }

    /** An amendment (invoice.amended with due_on) moves the row to its new place; nothing else changes. */
    @Test
    void aChangedDueDateMovesTheRowToItsPlaceInOrder() {
        projection.update(TestRows.dueOn("A", LocalDate.parse("2026-01-01"), "1.00"), T);
        projection.update(TestRows.dueOn("B", LocalDate.parse("2026-02-01"), "2.00"), T);
        projection.update(TestRows.dueOn("C", LocalDate.parse("2026-03-01"), "4.00"), T);
        LedgerSnapshot before = projection.snapshot(3);

        projection.update(TestRows.dueOn("A", LocalDate.parse("2026-04-01"), "1.00"), T);
        LedgerSnapshot later = projection.snapshot(4);
        assertThat(later.rows().get(LedgerSection.UNPAID)).extracting(row -> row.key().invoiceNumber())
                .containsExactly("B", "C", "A");
        assertThat(later.rows().get(LedgerSection.UNPAID).get(2).dueOn()).isEqualTo(LocalDate.parse("2026-04-01"));
        assertThat(later.totals()).isEqualTo(before.totals());
        assertThat(projection.invoices()).isEqualTo(3);

        projection.update(TestRows.dueOn("C", LocalDate.parse("2026-01-15"), "4.00"), T);
        assertThat(projection.snapshot(5).rows().get(LedgerSection.UNPAID)).extracting(row -> row.key().invoiceNumber())
                .containsExactly("C", "B", "A");
    }

    @Test
    void aChangedCurrencyIsRefusedAndChangesNothing() {
        projection.update(unpaid("INV-1", "10.00", "10.00", "USD"), T);
        LedgerSnapshot before = projection.snapshot(1);
        assertThatThrownBy(() -> projection.update(unpaid("INV-1", "10.00", "10.00", "EUR"), T))
                .isInstanceOf(IllegalStateException.class).hasMessage("invoice ACME/INV-1 changed its currency from USD to EUR");
        assertThatThrownBy(() -> projection.update(TestRows.writtenOff("INV-1", "10.00", "10.00", "EUR", "x"), T))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("currency");
        assertThat(projection.snapshot(1)).isEqualTo(before);
        assertThat(projection.updates()).isEqualTo(1);
    }

    @Test
    void aClosedAmountBelongsToCreditedAndWrittenOffRowsAndIsWithinTheAmount() {
        LedgerRow credited = TestRows.credited("X", "100.00", "30.00", "USD");
        assertThatThrownBy(() -> withClosed(credited, Optional.empty())).hasMessageContaining("closed amount belongs");
        assertThatThrownBy(() -> withClosed(credited, Optional.of(money("0.01", "EUR")))).hasMessageContaining("another currency");
        assertThatThrownBy(() -> withClosed(credited, Optional.of(TestRows.zero("USD")))).hasMessageContaining("Credited amount is zero");
        assertThatThrownBy(() -> withClosed(credited, Optional.of(money("100.01", "USD"))))
                .hasMessageContaining("Credited amount 100.01 USD exceeds amount 100.00 USD");
        assertThat(withClosed(credited, Optional.of(money("100.00", "USD"))).closedAmount()).contains(money("100.00", "USD"));
        LedgerRow voided = TestRows.voided("X", "100.00", "USD", "issued twice");
        assertThatThrownBy(() -> withClosed(voided, Optional.of(money("1.00", "USD")))).hasMessageContaining("closed amount belongs");
        LedgerRow writtenOff = TestRows.writtenOff("X", "100.00", "100.00", "USD", "insolvent");
        assertThatThrownBy(() -> new LedgerRow(writtenOff.key(), writtenOff.section(), writtenOff.issuedOn(),
                writtenOff.dueOn(), writtenOff.amount(), writtenOff.balance(), writtenOff.enteredOn(), Optional.empty(),
                writtenOff.closedAmount())).hasMessageContaining("reason");
    }

    @Test
    void everyClosedSectionOwesNothingAndEveryOpenOneSomething() {
        LedgerRow voided = TestRows.voided("X", "100.00", "USD", "issued twice");
        assertThat(voided.amount()).isEqualTo(money("100.00", "USD"));
        assertThatThrownBy(() -> new LedgerRow(voided.key(), LedgerSection.VOID, voided.issuedOn(), voided.dueOn(),
                voided.amount(), money("100.00", "USD"), voided.enteredOn(), voided.reason()))
                .hasMessageContaining("Void with balance 100.00 USD");
        assertThatThrownBy(() -> new LedgerRow(voided.key(), LedgerSection.ESCALATED, voided.issuedOn(), voided.dueOn(),
                voided.amount(), TestRows.zero("USD"), voided.enteredOn(), voided.reason()))
                .hasMessageContaining("Escalated with balance 0.00 USD");
        assertThat(LedgerSection.values()).filteredOn(LedgerSection::isOpen)
                .containsExactly(LedgerSection.UNPAID, LedgerSection.ESCALATED);
    }

    private static LedgerRow withClosed(LedgerRow row, Optional<Money> closedAmount) {
        return new LedgerRow(row.key(), row.section(), row.issuedOn(), row.dueOn(), row.amount(), row.balance(),
                row.enteredOn(), row.reason(), closedAmount);
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

    private static final Instant APRIL = Instant.parse("2026-04-03T09:00:00Z");

    @Test
    void anEntryOfALaterMonthClosesThePeriodAndItsClosedRowsLeaveMemory() {
        projection.update(paid("P1", "5.00", "USD"), T);
        projection.update(unpaid("U1", "7.00", "7.00", "USD"), T);
        projection.update(unpaid("U2", "9.00", "9.00", "USD"), APRIL);

        List<PeriodLedger> closed = projection.takeClosedPeriods();
        assertThat(closed).singleElement().satisfies(march -> {
            assertThat(march.period()).hasToString("2026-03");
            assertThat(march.rows().get(LedgerSection.PAID)).containsExactly(paid("P1", "5.00", "USD"));
        });
        assertThat(projection.takeClosedPeriods()).isEmpty();
        assertThat(projection.invoices()).isEqualTo(2);
        LedgerSnapshot april = projection.snapshot(3);
        assertThat(april.rows().get(LedgerSection.PAID)).isEmpty();
        assertThat(april.carried().get(LedgerSection.PAID).get(USD).invoices()).isEqualTo(1);
    }

    /** The entry that reopens it is the one that closes its period: the period takes it as it was, closed. */
    @Test
    void anInvoiceReopenedByTheEntryThatClosesItsPeriodIsInThePeriodAndOpenNowCountedOnce() {
        projection.update(paid("P1", "5.00", "USD"), T);
        projection.update(unpaid("P1", "5.00", "5.00", "USD"), APRIL);

        assertThat(projection.takeClosedPeriods()).singleElement()
                .satisfies(march -> assertThat(march.rows().get(LedgerSection.PAID)).containsExactly(paid("P1", "5.00", "USD")));
        LedgerSnapshot april = projection.snapshot(2);
        assertThat(april.rows().get(LedgerSection.UNPAID)).containsExactly(unpaid("P1", "5.00", "5.00", "USD"));
        assertThat(april.carried().get(LedgerSection.PAID)).isEmpty();
    }

    @Test
    void theClockClosesAPeriodOnlyAMinuteAfterItsEnd() {
        projection.update(paid("P1", "5.00", "USD"), T);
        projection.advanceTo(Instant.parse("2026-04-01T00:00:59.999Z"));
        assertThat(projection.takeClosedPeriods()).isEmpty();
        assertThat(LedgerProjection.CLOSE_GRACE).hasMinutes(1);
        projection.advanceTo(Instant.parse("2026-04-01T00:01:00Z"));
        assertThat(projection.takeClosedPeriods()).extracting(PeriodLedger::period).extracting(Object::toString)
                .containsExactly("2026-03");
    }

    @Test
    void aRowClosedBeforeTheLogsFirstPeriodIsRefused() {
        projection.update(unpaid("U1", "7.00", "7.00", "USD"), APRIL);
        assertThatThrownBy(() -> projection.update(paid("P1", "5.00", "USD"), APRIL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the log's first period 2026-04");
    }

    @Test
    void anErasureReachesAClosedPeriodWhetherItsFileIsWrittenOrNot() {
        LedgerRow voided = TestRows.voided("V1", "60.00", "EUR", "Ms Smith's twin");
        LedgerRow erased = TestRows.voided("V1", "60.00", "EUR", com.novotechno.collections.domain.PersonalData.ERASED);
        projection.update(voided, T);
        projection.update(unpaid("U1", "7.00", "7.00", "USD"), APRIL);
        // Not yet taken (a replay): the period's rows change in memory, and nothing waits for the writer.
        projection.update(erased, APRIL);
        assertThat(projection.takeClosedPeriods()).singleElement()
                .satisfies(march -> assertThat(march.rows().get(LedgerSection.VOID)).containsExactly(erased));
        assertThat(projection.takeErasures()).isEmpty();
        // Taken already (written): the writer is handed the row for that period's file.
        projection.update(voided, APRIL);
        projection.update(erased, APRIL);
        assertThat(projection.takeErasures()).containsOnlyKeys(java.time.YearMonth.parse("2026-03"))
                .hasEntrySatisfying(java.time.YearMonth.parse("2026-03"),
                        rows -> assertThat(rows.values()).containsExactly(erased));
        assertThat(projection.snapshot(5).carried().get(LedgerSection.VOID).get(EUR).invoices()).isEqualTo(1);
    }
}
