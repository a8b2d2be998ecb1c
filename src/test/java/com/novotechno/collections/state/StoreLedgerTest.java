package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.reminder;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Currency;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLedgerTest {

    @TempDir
    Path data;

    private Path ledger;

    @BeforeEach
    void setUp() {
        ledger = data.resolve("ledger.qmd");
        Stores.NOTICES.clear();
    }

    private static String balanceOf(ParsedLedger parsed, LedgerSection section, String invoice) {
        return parsed.content().rows().get(section).stream().filter(r -> r.key().invoiceNumber().equals(invoice))
                .findFirst().map(r -> r.balance().toPlainString()).orElse("absent");
    }

    private boolean agrees() throws Exception {
        return new Reconciler(new FileSystemStorage(), new DataLayout(data)).reconcile(Reconciler.Mode.AT_REST).agrees();
    }

    @Test
    void invoicesMoveBetweenSectionsWhenPaidOrEscalatedAndPartialPaymentsShowTheBalance() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "1000.00", "USD"));
            store.apply(payment("p1", "ACME", "INV-1", "600.00", "USD"));
            store.flushLedger();
            ParsedLedger partly = Ledgers.parse(data);
            assertThat(balanceOf(partly, LedgerSection.UNPAID, "INV-1")).isEqualTo("400.00");

            store.apply(payment("p2", "ACME", "INV-1", "400.00", "USD"));
            store.apply(issued("i2", "ACME", "INV-2", "300.00", "USD"));
            store.apply(escalated("e2", "ACME", "INV-2", "no answer"));
            store.apply(payment("p3", "ACME", "INV-2", "100.00", "USD"));
            store.flushLedger();
        }
        ParsedLedger parsed = Ledgers.parse(data);
        assertThat(parsed.intact()).isTrue();
        assertThat(parsed.content().rows().get(LedgerSection.UNPAID)).isEmpty();
        assertThat(balanceOf(parsed, LedgerSection.PAID, "INV-1")).isEqualTo("0.00");
        LedgerRow escalatedRow = parsed.content().rows().get(LedgerSection.ESCALATED).get(0);
        assertThat(escalatedRow.key()).isEqualTo(new InvoiceKey("ACME", "INV-2"));
        assertThat(escalatedRow.balance().toPlainString()).isEqualTo("200.00");
        assertThat(escalatedRow.reason()).contains("no answer");
        assertThat(escalatedRow.enteredOn()).isEqualTo(Stores.NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate());
        assertThat(parsed.content().lastSeq()).isEqualTo(6);
        assertThat(agrees()).isTrue();
    }

    @Test
    void eachSectionTotalsEveryCurrencyApart() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("u1", "ACME", "U1", "100.10", "USD"));
            store.apply(issued("u2", "Initech", "U2", "0.20", "USD"));
            store.apply(issued("e1", "ACME", "E1", "250.00", "EUR"));
            store.apply(issued("j1", "ACME", "J1", "150000", "JPY"));
            store.apply(payment("j1p", "ACME", "J1", "50000", "JPY"));
            store.apply(issued("k1", "ACME", "K1", "7.500", "KWD"));
            store.apply(payment("k1p", "ACME", "K1", "7.500", "KWD"));
        }
        Map<Currency, CurrencyTotals> unpaid = Ledgers.parse(data).content().totals().get(LedgerSection.UNPAID);
        assertThat(unpaid.values()).extracting(t -> t.currency() + " " + t.invoices() + " " + t.amount().toPlainString()
                + " " + t.balance().toPlainString()).containsExactly("EUR 1 250.00 250.00", "JPY 1 150000 100000",
                "USD 2 100.30 100.30");
        assertThat(Ledgers.parse(data).content().totals().get(LedgerSection.PAID).values())
                .extracting(t -> t.currency() + " " + t.amount().toPlainString()).containsExactly("KWD 7.500");
    }

    @Test
    void theLedgerFollowsInBatchesWithoutBeingAsked() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
            store.apply(reminder("r1", "ACME", "INV-1", "reminder"));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> Ledgers.parse(data).content().lastSeq() == store.lastSeq());
            assertThat(balanceOf(Ledgers.parse(data), LedgerSection.UNPAID, "INV-1")).isEqualTo("10.00");
        }
    }

    @Test
    void aLedgerLeftBehindByACrashIsBroughtUpToDateOnOpen() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
        }
        byte[] behind = Files.readAllBytes(ledger);
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "ACME", "INV-1", "4.00", "USD"));
            store.apply(issued("i2", "ACME", "INV-2", "20.00", "EUR"));
        }
        byte[] upToDate = Files.readAllBytes(ledger);
        // The state files and log have seqs 2 and 3; the ledger is as a crash before its next batch left it.
        Files.write(ledger, behind);
        assertThat(agrees()).isFalse();
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(Files.readAllBytes(ledger)).isEqualTo(upToDate);
            assertThat(store.ledgerHeld()).isFalse();
        }
        assertThat(Stores.NOTICES).contains("ledger.qmd brought up to date: it reflected log seq 1, the log ends at 3");
        assertThat(agrees()).isTrue();

        Files.delete(ledger);
        Stores.open(data).close();
        assertThat(Files.readAllBytes(ledger)).isEqualTo(upToDate);
    }

    /** A ledger as the service wrote it before section Unapplied: format 1, every checksum of its own intact. */
    @Test
    void aLedgerOfTheFormatBeforeSectionUnappliedIsRewrittenAtStartNotHeld() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
        }
        byte[] current = Files.readAllBytes(ledger);
        String text = new String(current, StandardCharsets.UTF_8);
        String body = text.substring(0, text.lastIndexOf("<!-- sha256 file "))
                .replace("ledger-format: 4\n", "ledger-format: 1\n")
                .replaceAll("(?s)## Credited\n.*?<!-- sha256 section=Unapplied [0-9a-f]{64} -->\n\n", "");
        String formatOne = body + "<!-- sha256 file " + Sha256.hex(body.getBytes(StandardCharsets.UTF_8)) + " -->\n";
        assertThat(formatOne).contains("ledger-format: 1\n", "## Escalated\n").doesNotContain("## Unapplied", "## Credited");
        Files.writeString(ledger, formatOne);
        ParsedLedger old = Ledgers.parse(data);
        assertThat(old.checksumFaults()).isEmpty();
        assertThat(old.ourOlderFormat()).isTrue();

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.ledgerHeld()).isFalse();
        }
        assertThat(Files.readAllBytes(ledger)).isEqualTo(current);
    }

    @Test
    void aLedgerEditedByHandIsNeverOverwrittenUntilMovedAside() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
            store.flushLedger();
            String edited = Files.readString(ledger).replace("| 10.00 | 10.00 | USD |", "| 10.00 | 1.00 | USD |");
            Files.writeString(ledger, edited);

            store.apply(issued("i2", "ACME", "INV-2", "20.00", "USD"));
            store.flushLedger();
            assertThat(Files.readString(ledger)).isEqualTo(edited);
            assertThat(store.ledgerHeld()).isTrue();
        }
        String edited = Files.readString(ledger);
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.ledgerHeld()).isTrue();
            store.apply(issued("i3", "ACME", "INV-3", "30.00", "USD"));
        }
        assertThat(Files.readString(ledger)).isEqualTo(edited);
        assertThat(Stores.NOTICES).anyMatch(n -> n.startsWith("ledger.qmd is left as it is and no longer updated: it was"
                + " edited or damaged (ledger.qmd: section Unpaid was edited"));
        assertThat(agrees()).isFalse();

        Path aside = data.resolve("ledger.qmd.edited");
        Files.move(ledger, aside);
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.ledgerHeld()).isFalse();
        }
        assertThat(Ledgers.parse(data).content().allRows()).hasSize(3);
        assertThat(agrees()).isTrue();
    }

    @Test
    void aLedgerMovedAsideWhileRunningIsWrittenAnew() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
            store.flushLedger();
            Files.writeString(ledger, "scribbled over\n");
            store.apply(issued("i2", "ACME", "INV-2", "10.00", "USD"));
            store.flushLedger();
            assertThat(store.ledgerHeld()).isTrue();
            Files.delete(ledger);
            store.flushLedger();
            assertThat(store.ledgerHeld()).isFalse();
            assertThat(Ledgers.parse(data).content().allRows()).hasSize(2);
        }
    }

    @Test
    void aReasonWithSpacesAtItsEndsStillReconciles() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
            store.apply(escalated("e1", "ACME", "INV-1", "  disputed\u3000"));
        }
        assertThat(Ledgers.parse(data).content().rows().get(LedgerSection.ESCALATED).get(0).reason()).contains("disputed");
        assertThat(agrees()).isTrue();
    }

    @Test
    void closingStopsTheWriterThread() throws Exception {
        long before = writerThreads();
        CollectionsStore store = Stores.open(data);
        store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writerThreads() == before + 1);
        store.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writerThreads() == before);
    }

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("ledger-writer") && t.isAlive()).count();
    }

    @Test
    void rebuildRegeneratesAnEditedLedgerAsTheLogSays() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "ACME", "INV-1", "10.00", "USD"));
            store.apply(escalated("e1", "ACME", "INV-1", "a | pipe"));
        }
        byte[] original = Files.readAllBytes(ledger);
        Files.writeString(ledger, Files.readString(ledger).replace("a \\| pipe", "nothing"));
        StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, Stores.NOTICES::add);
        assertThat(Files.readAllBytes(ledger)).isEqualTo(original);
        assertThat(new String(original, StandardCharsets.UTF_8)).contains("| a \\| pipe |");
    }
}
