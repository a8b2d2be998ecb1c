package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Writes a ledger of a few dozen invoices in every section, in two currencies, with held payments and a
 * closed period, for a look at it as a person sees it ({@code tools/ledger-preview}). Not a test.
 *
 * <p>Usage: {@code java -cp target/classes:target/test-classes com.novotechno.collections.ledger.SampleLedger DIR}
 * writes DIR/ledger.qmd and DIR/ledger/paid-2026-02.qmd.
 */
public final class SampleLedger {

    private static final String[] CLIENTS = {"ACME", "Initech", "Globex-Corporation-EMEA", "Umbrella", "Hooli"};
    private static final String[] REASONS = {"no answer after three reminders", "disputed: goods arrived damaged",
            "issued twice", "customer insolvent, proceedings opened 2026-02-11", "wrong client | see ticket #4471"};

    private SampleLedger() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/ledger-sample");
        LedgerProjection projection = projection();
        Files.createDirectories(dir.resolve("ledger"));
        for (PeriodLedger period : projection.takeClosedPeriods()) {
            Files.write(dir.resolve("ledger").resolve(period.fileName()), LedgerRenderer.render(period));
        }
        Files.write(dir.resolve("ledger.qmd"), LedgerRenderer.render(projection.snapshot(SEQ)));
        System.out.println(dir.resolve("ledger.qmd"));
    }

    /** The ledger's last seq. */
    static final long SEQ = 4242;

    /** The sample's projection: February closed (its file waits in {@link LedgerProjection#takeClosedPeriods}), March open. */
    static LedgerProjection projection() {
        LedgerProjection projection = new LedgerProjection(ZoneOffset.UTC);
        Instant february = Instant.parse("2026-02-20T10:00:00Z");
        Instant march = Instant.parse("2026-03-18T10:00:00Z");
        for (int i = 0; i < 12; i++) {
            projection.update(row(i, i % 4 == 0 ? LedgerSection.VOID : LedgerSection.PAID, "2026-02-1" + (i % 9)), february);
        }
        for (int i = 12; i < 48; i++) {
            LedgerSection section = LedgerSection.values()[i % LedgerSection.values().length];
            projection.update(row(i, section, "2026-03-0" + (1 + i % 9)), march);
        }
        projection.updateUnapplied(new InvoiceKey("Initech", "INV-2026-0990"), List.of(
                new UnappliedRow(new InvoiceKey("Initech", "INV-2026-0990"), "bank-2026-03-0001", LocalDate.parse("2026-03-02"),
                        Money.ofStored("1250.00", Currencies.parse("EUR")), UnappliedStatus.HELD, Optional.empty()),
                new UnappliedRow(new InvoiceKey("Initech", "INV-2026-0990"), "bank-2026-03-0002", LocalDate.parse("2026-03-03"),
                        Money.ofStored("80.00", Currencies.parse("USD")), UnappliedStatus.TO_REFUND,
                        Optional.of("the currency differs from the invoice's"))), march);
        return projection;
    }

    private static LedgerRow row(int i, LedgerSection section, String entered) {
        Currency currency = Currencies.parse((i / 6) % 2 == 0 ? "USD" : "EUR");
        Money amount = Money.ofStored((1000 + 137 * i) + "." + (10 + i), currency);
        Money balance = section.isOpen() ? Money.ofStored((400 + 37 * i) + ".00", currency) : Money.zero(currency);
        LocalDate issued = LocalDate.parse("2025-11-01").plusDays(3L * i);
        InvoiceKey key = new InvoiceKey(CLIENTS[i % CLIENTS.length], String.format("INV-2026-%04d", i));
        Optional<String> reason = section.hasReason() ? Optional.of(REASONS[i % REASONS.length]) : Optional.empty();
        Optional<Money> closed = section.closedAmountColumn().map(c -> Money.ofStored((200 + i) + ".50", currency));
        Optional<LocalDate> received = section.hasReceivedColumn()
                ? Optional.of(LocalDate.parse(entered).minusDays(i % 40)) : Optional.empty();
        return new LedgerRow(key, section, issued, issued.plusDays(30), amount, balance, LocalDate.parse(entered), reason,
                closed, received);
    }
}
