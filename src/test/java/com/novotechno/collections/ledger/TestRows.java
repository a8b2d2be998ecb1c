package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Optional;

/** Ledger rows for tests (the service maps invoice states to rows in state.LedgerRows). */
final class TestRows {

    static final LocalDate ISSUED = LocalDate.parse("2026-01-10");
    static final LocalDate DUE = LocalDate.parse("2026-02-09");

    private TestRows() {
    }

    static Money money(String amount, String currency) {
        Currency c = Currencies.parse(currency);
        return Money.parsePositive(amount, c).minus(Money.zero(c));
    }

    static Money zero(String currency) {
        return Money.zero(Currencies.parse(currency));
    }

    static LedgerRow unpaid(String invoice, String amount, String balance, String currency) {
        return new LedgerRow(new InvoiceKey("ACME", invoice), LedgerSection.UNPAID, ISSUED, DUE,
                money(amount, currency), balance.equals("0") ? zero(currency) : money(balance, currency), ISSUED,
                Optional.empty());
    }

    static LedgerRow paid(String invoice, String amount, String currency) {
        return LedgerRow.paid(new InvoiceKey("ACME", invoice), ISSUED, DUE, money(amount, currency),
                LocalDate.parse("2026-03-02"), LocalDate.parse("2026-02-27"));
    }

    static LedgerRow escalated(String invoice, String amount, String balance, String currency, String reason) {
        return new LedgerRow(new InvoiceKey("ACME", invoice), LedgerSection.ESCALATED, ISSUED, DUE,
                money(amount, currency), money(balance, currency), LocalDate.parse("2026-03-01"), Optional.of(reason));
    }

    /** Closed by credit notes of {@code credited} in all; the rest was paid. */
    static LedgerRow credited(String invoice, String amount, String credited, String currency) {
        return new LedgerRow(new InvoiceKey("ACME", invoice), LedgerSection.CREDITED, ISSUED, DUE,
                money(amount, currency), zero(currency), LocalDate.parse("2026-03-05"), Optional.empty(),
                Optional.of(money(credited, currency)));
    }

    /** Voided: it keeps its amount and owes nothing. */
    static LedgerRow voided(String invoice, String amount, String currency, String reason) {
        return new LedgerRow(new InvoiceKey("ACME", invoice), LedgerSection.VOID, ISSUED, DUE,
                money(amount, currency), zero(currency), LocalDate.parse("2026-03-07"), Optional.of(reason));
    }

    /** Written off as bad debt: {@code writtenOff} of it, the rest was paid. */
    static LedgerRow writtenOff(String invoice, String amount, String writtenOff, String currency, String reason) {
        return new LedgerRow(new InvoiceKey("ACME", invoice), LedgerSection.WRITTEN_OFF, ISSUED, DUE,
                money(amount, currency), zero(currency), LocalDate.parse("2026-03-10"), Optional.of(reason),
                Optional.of(money(writtenOff, currency)));
    }

    /** The invoice closed in {@code section} (not Unpaid nor Escalated), owing nothing, with what closed it. */
    static LedgerRow closedIn(LedgerSection section, String invoice, String amount, String closedAmount, String currency) {
        return switch (section) {
            case PAID -> paid(invoice, amount, currency);
            case CREDITED -> credited(invoice, amount, closedAmount, currency);
            case VOID -> voided(invoice, amount, currency, "issued twice");
            case WRITTEN_OFF -> writtenOff(invoice, amount, closedAmount, currency, "insolvent");
            case UNPAID, ESCALATED -> throw new IllegalArgumentException(section + " is open");
        };
    }

    static UnappliedRow held(String invoice, String messageId, String amount, String currency) {
        return new UnappliedRow(new InvoiceKey("ACME", invoice), messageId, ISSUED, money(amount, currency),
                UnappliedStatus.HELD, Optional.empty());
    }

    static UnappliedRow toRefund(String invoice, String messageId, String amount, String currency, String reason) {
        return new UnappliedRow(new InvoiceKey("ACME", invoice), messageId, ISSUED, money(amount, currency),
                UnappliedStatus.TO_REFUND, Optional.of(reason));
    }

    static LedgerRow dueOn(String invoice, LocalDate due, String balance) {
        return new LedgerRow(new InvoiceKey("ACME", invoice), LedgerSection.UNPAID, due.minusDays(30), due,
                money(balance, "USD"), money(balance, "USD"), due.minusDays(30), Optional.empty());
    }
}
