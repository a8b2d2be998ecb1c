package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.erased;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.reversed;
import static com.novotechno.collections.testing.Messages.voided;
import static com.novotechno.collections.testing.Messages.writtenOff;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.testing.MovableClock;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.domain.PersonalData;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.ledger.ParsedPeriodLedger;
import com.novotechno.collections.ledger.PeriodLedger;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A month's close: its closed invoices leave ledger.qmd for ledger/paid-YYYY-MM.qmd, on a clock the test moves. */
class PeriodCloseTest {

    private static final Currency USD = Currencies.parse("USD");
    private static final String MARCH = "paid-2026-03.qmd";

    @TempDir
    Path data;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-10T09:00:00Z"));

    @BeforeEach
    void setUp() {
        Stores.NOTICES.clear();
    }

    private StoreSettings settings() {
        return new StoreSettings(USD, 30, clock);
    }

    private CollectionsStore open() throws IOException {
        return CollectionsStore.open(data, settings(), Stores.NOTICES::add);
    }

    private Path periodFile() {
        return data.resolve("ledger").resolve(MARCH);
    }

    private ParsedPeriodLedger march() throws IOException {
        return LedgerParser.parsePeriod("ledger/" + MARCH, Files.readAllBytes(periodFile()));
    }

    private static List<String> keys(List<LedgerRow> rows) {
        return rows.stream().map(row -> row.key().invoiceNumber()).toList();
    }

    private ReconcileReport reconcile() throws IOException {
        return new Reconciler(new FileSystemStorage(), new DataLayout(data)).reconcile(Reconciler.Mode.AT_REST);
    }

    private List<String> verify() throws IOException {
        return new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults();
    }

    /** Every file rebuild derives from the log that this test looks at: ledger.qmd and ledger/*, name to bytes. */
    private Map<String, byte[]> ledgerFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("ledger.qmd", Files.readAllBytes(data.resolve("ledger.qmd")));
        try (Stream<Path> periods = Files.list(data.resolve("ledger"))) {
            for (Path file : periods.toList()) {
                files.put("ledger/" + file.getFileName(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    /** ledger.qmd and every period file, byte for byte as {@code written}, and no other. */
    private void assertLedgerFilesAre(Map<String, byte[]> written) throws IOException {
        Map<String, byte[]> now = ledgerFiles();
        assertThat(now.keySet()).isEqualTo(written.keySet());
        written.forEach((name, bytes) -> assertThat(now.get(name)).as(name).isEqualTo(bytes));
    }

    /** Moves the clock to a later month after a checkpoint (a pass that spans a month's end is tested on its own). */
    private void nextMonth(CollectionsStore store, String instant) throws IOException {
        store.checkpointNow();
        clock.set(instant);
    }

    /**
     * March: INV-1 paid, INV-2 voided, INV-4 written off in the month's last second, INV-3 left unpaid;
     * the store stays open as the clock passes into April.
     */
    private CollectionsStore closeMarchOnTheClock() throws Exception {
        CollectionsStore store = open();
        store.apply(issued("i1", "ACME", "INV-1", "100.00", "USD"));
        store.apply(issued("i2", "ACME", "INV-2", "50.00", "USD"));
        store.apply(issued("i3", "ACME", "INV-3", "70.00", "USD"));
        store.apply(issued("i4", "ACME", "INV-4", "30.00", "USD"));
        clock.set("2026-03-20T12:00:00Z");
        store.apply(payment("p1", "ACME", "INV-1", "100.00", "USD"));
        store.apply(voided("v2", "ACME", "INV-2"));
        clock.set("2026-03-31T23:59:59.500Z");
        store.apply(writtenOff("w4", "ACME", "INV-4"));
        store.checkpointNow();
        return store;
    }

    @Test
    void aMonthClosesAMinuteAfterItsEndAndItsClosedInvoicesMoveToTheirPeriodFile() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            // Within the grace the month stays open: its last checkpoint's entries may still be on their way.
            clock.set("2026-04-01T00:00:59Z");
            store.flushLedger();
            assertThat(periodFile()).doesNotExist();
            ParsedLedger open = Ledgers.parse(data);
            assertThat(open.content().period()).contains(YearMonth.parse("2026-03"));
            assertThat(keys(open.content().rows().get(LedgerSection.PAID))).containsExactly("INV-1");

            clock.set("2026-04-01T00:01:00Z");
            store.flushLedger();
            assertThat(periodFile()).exists();
        }
        ParsedPeriodLedger march = march();
        assertThat(march.faults()).isEmpty();
        PeriodLedger content = march.content().orElseThrow();
        assertThat(content.period()).isEqualTo(YearMonth.parse("2026-03"));
        assertThat(keys(content.rows().get(LedgerSection.PAID))).containsExactly("INV-1");
        assertThat(keys(content.rows().get(LedgerSection.VOID))).containsExactly("INV-2");
        assertThat(keys(content.rows().get(LedgerSection.WRITTEN_OFF))).containsExactly("INV-4");
        assertThat(content.rows().get(LedgerSection.PAID).get(0).receivedOn()).isPresent();

        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.intact()).isTrue();
        assertThat(ledger.content().period()).contains(YearMonth.parse("2026-04"));
        assertThat(ledger.content().firstPeriod()).contains(YearMonth.parse("2026-03"));
        // The render holds the open invoices only; the closed ones count on as carried totals.
        assertThat(ledger.content().allRows()).extracting(row -> row.key().invoiceNumber()).containsExactly("INV-3");
        assertThat(new String(Files.readAllBytes(data.resolve("ledger.qmd")), StandardCharsets.UTF_8))
                .doesNotContain("`INV-1`", "issued in error");
        assertThat(ledger.content().carried().get(LedgerSection.PAID).get(USD).invoices()).isEqualTo(1);
        assertThat(ledger.content().carried().get(LedgerSection.PAID).get(USD).amount().toPlainString()).isEqualTo("100.00");
        assertThat(ledger.content().carried().get(LedgerSection.WRITTEN_OFF).get(USD).closedAmount().toPlainString())
                .isEqualTo("30.00");
        assertThat(reconcile().differences()).isEmpty();
        assertThat(verify()).isEmpty();
    }

    @Test
    void anInvoiceReopenedAfterItsPeriodClosedLeavesTheFileAsItWasAndCountsOnce() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            clock.set("2026-04-02T09:00:00Z");
            store.flushLedger();
        }
        byte[] closed = Files.readAllBytes(periodFile());
        try (CollectionsStore store = open()) {
            clock.set("2026-04-03T09:00:00Z");
            store.apply(reversed("r1", "ACME", "INV-1", "p1"));
        }
        assertThat(Files.readAllBytes(periodFile())).isEqualTo(closed);
        assertThat(keys(march().content().orElseThrow().rows().get(LedgerSection.PAID))).containsExactly("INV-1");
        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(keys(ledger.content().rows().get(LedgerSection.UNPAID))).containsExactly("INV-1", "INV-3");
        // Counted once, where it is now: in Unpaid, and no more in the totals carried from March.
        assertThat(ledger.content().carried().get(LedgerSection.PAID)).isEmpty();
        assertThat(ledger.content().totals().get(LedgerSection.UNPAID).get(USD).invoices()).isEqualTo(2);
        assertThat(ledger.content().carried().get(LedgerSection.VOID).get(USD).invoices()).isEqualTo(1);
        assertThat(reconcile().differences()).isEmpty();
        assertThat(verify()).isEmpty();
    }

    @Test
    void rebuildReproducesEveryPeriodFileAndTheLedgerByteForByte() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            clock.set("2026-04-03T09:00:00Z");
            store.apply(reversed("r1", "ACME", "INV-1", "p1"));
            nextMonth(store, "2026-05-02T09:00:00Z");
            store.apply(payment("p3", "ACME", "INV-3", "70.00", "USD"));
        }
        Map<String, byte[]> written = ledgerFiles();
        assertThat(written.keySet()).containsExactly("ledger.qmd", "ledger/paid-2026-03.qmd", "ledger/paid-2026-04.qmd");
        Files.delete(periodFile());

        StoreRebuilder.rebuild(new FileSystemStorage(), data, settings(), n -> { });

        assertLedgerFilesAre(written);
        assertThat(verify()).isEmpty();
    }

    @Test
    void aCheckpointThatSpansAMonthsEndGivesTheFilesAReplayOfTheLogGives() throws Exception {
        // Checkpoints far apart: one pass hands the ledger changes from both sides of the month's end.
        try (CollectionsStore store = CollectionsStore.open(data, settings().withCheckpointPeriod(Duration.ofSeconds(50)),
                Stores.NOTICES::add)) {
            store.apply(issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(issued("i2", "ACME", "INV-2", "50.00", "USD"));
            store.apply(issued("i3", "ACME", "INV-3", "70.00", "USD"));
            store.checkpointNow();
            clock.set("2026-03-31T23:59:59.200Z");
            store.apply(payment("p1", "ACME", "INV-1", "100.00", "USD")); // paid in March...
            store.apply(voided("v2", "ACME", "INV-2"));
            clock.set("2026-04-01T00:00:10Z");
            store.apply(reversed("r1", "ACME", "INV-1", "p1"));            // ...and reopened in April, same pass
            store.apply(payment("p3", "ACME", "INV-3", "70.00", "USD"));
            clock.set("2026-04-01T00:02:00Z");
            store.flushLedger();
        }
        assertThat(keys(march().content().orElseThrow().rows().get(LedgerSection.PAID))).containsExactly("INV-1");
        assertThat(keys(march().content().orElseThrow().rows().get(LedgerSection.VOID))).containsExactly("INV-2");
        Map<String, byte[]> written = ledgerFiles();

        // A start from the snapshot the stop left, then a rebuild from the log: the same bytes both times.
        try (CollectionsStore store = open()) {
            store.flushLedger();
        }
        assertThat(Stores.NOTICES).noneMatch(notice -> notice.contains("set aside"));
        assertLedgerFilesAre(written);
        Files.delete(periodFile());
        StoreRebuilder.rebuild(new FileSystemStorage(), data, settings(), n -> { });
        assertLedgerFilesAre(written);
        assertThat(verify()).isEmpty();
    }

    @Test
    void aSnapshotIsSetAsideWhenAClosedPeriodsFileIsMissingAndTheWholeLogWritesIt() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            clock.set("2026-04-02T09:00:00Z");
            store.apply(payment("p3", "ACME", "INV-3", "70.00", "USD"));
        }
        byte[] march = Files.readAllBytes(periodFile());
        Files.delete(periodFile());
        try (CollectionsStore store = open()) {
            assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("snapshot.bin set aside")
                    && notice.contains("ledger/paid-2026-03.qmd is missing"));
            store.flushLedger();
        }
        assertThat(periodFile()).hasBinaryContent(march);
    }

    @Test
    void verifyNamesAnEditedAndAMissingPeriodFile() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            clock.set("2026-05-02T09:00:00Z");
            store.flushLedger();
        }
        assertThat(verify()).isEmpty();
        Path april = data.resolve("ledger").resolve("paid-2026-04.qmd");
        assertThat(april).exists();
        String text = Files.readString(periodFile());
        Files.writeString(periodFile(), text.replace("issued in error", "issued in errol"));
        Files.delete(april);

        assertThat(verify()).containsExactlyInAnyOrder(
                "ledger/paid-2026-03.qmd: section Void was edited: its checksum (line "
                        + (text.substring(0, text.indexOf("<!-- sha256 section=Void ")).split("\n", -1).length)
                        + ") does not match",
                "ledger/paid-2026-04.qmd: missing: period 2026-04 is closed (rebuild writes it anew)");
    }

    @Test
    void reconcileFindsAPeriodFileRowThatDisagreesWithTheStateFile() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            clock.set("2026-04-02T09:00:00Z");
            store.flushLedger();
        }
        // Consistent in itself (checksums recomputed), but not what the state says: only reconcile can tell.
        PeriodLedger content = march().content().orElseThrow();
        LedgerRow voidRow = content.rows().get(LedgerSection.VOID).get(0);
        LedgerRow doctored = new LedgerRow(voidRow.key(), voidRow.section(), voidRow.issuedOn(), voidRow.dueOn(),
                voidRow.amount(), voidRow.balance(), voidRow.enteredOn(), Optional.of("paid in cash"));
        Files.write(periodFile(), LedgerRenderer.render(content.withRow(doctored)));
        assertThat(march().intact()).isTrue();

        assertThat(reconcile().differences()).singleElement().satisfies(difference -> {
            assertThat(difference.kind()).isEqualTo(Difference.Kind.ROW_DIFFERS);
            assertThat(difference.subject()).isEqualTo(new InvoiceKey("ACME", "INV-2").toString());
            assertThat(difference.detail()).contains("ledger/paid-2026-03.qmd", "paid in cash", "issued in error");
        });
    }

    @Test
    void anErasureRewritesItsClientsReasonsInAClosedPeriodsFileAsARebuildWould() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            clock.set("2026-04-02T09:00:00Z");
            store.flushLedger();
            assertThat(Files.readString(periodFile())).contains("issued in error", "customer insolvent");

            clock.set("2026-04-05T09:00:00Z");
            store.apply(erased("x1", "ACME"));
            // At once, as the state files: no file may keep the client's texts after the erasure.
            assertThat(Files.readString(periodFile())).doesNotContain("issued in error", "customer insolvent");
        }
        ParsedPeriodLedger march = march();
        assertThat(march.faults()).isEmpty();
        assertThat(march.content().orElseThrow().rows().get(LedgerSection.VOID).get(0).reason()).contains(PersonalData.ERASED);
        assertThat(march.content().orElseThrow().rows().get(LedgerSection.WRITTEN_OFF).get(0).reason())
                .contains(PersonalData.ERASED);
        // The totals stand: only the reasons changed.
        assertThat(march.content().orElseThrow().totals().get(LedgerSection.WRITTEN_OFF).get(USD))
                .isEqualTo(new CurrencyTotals(USD, 1, usd("30.00"), usd("0.00"), usd("30.00")));
        assertThat(verify()).isEmpty();
        assertThat(reconcile().differences()).isEmpty();

        Map<String, byte[]> written = ledgerFiles();
        StoreRebuilder.rebuild(new FileSystemStorage(), data, settings(), n -> { });
        Map<String, byte[]> rebuilt = ledgerFiles();
        written.forEach((name, bytes) -> assertThat(rebuilt.get(name)).as(name).isEqualTo(bytes));
    }

    /** Rendered again from an edited file, the edit would pass for the service's own: the file goes instead. */
    @Test
    void anErasureRemovesAnEditedPeriodFileRatherThanRewriteTheEdit() throws Exception {
        try (CollectionsStore store = closeMarchOnTheClock()) {
            clock.set("2026-04-02T09:00:00Z");
            store.flushLedger();
            Files.writeString(periodFile(), Files.readString(periodFile()).replace("| 50.00 | 0.00 |", "| 50.00 | 0.01 |"));

            clock.set("2026-04-05T09:00:00Z");
            store.apply(erased("x1", "ACME"));
        }
        assertThat(periodFile()).doesNotExist();
        assertThat(Stores.NOTICES).anySatisfy(notice -> assertThat(notice)
                .startsWith("ledger/paid-2026-03.qmd was removed, not rewritten, to erase a client's texts"));
        assertThat(verify()).contains("ledger/paid-2026-03.qmd: missing: period 2026-03 is closed (rebuild writes it anew)");

        StoreRebuilder.rebuild(new FileSystemStorage(), data, settings(), n -> { });
        assertThat(Files.readString(periodFile())).doesNotContain("issued in error", "customer insolvent");
        assertThat(march().content().orElseThrow().rows().get(LedgerSection.VOID).get(0).reason()).contains(PersonalData.ERASED);
        assertThat(verify()).isEmpty();
    }

    private static Money usd(String amount) {
        return Money.ofStored(amount, USD);
    }

    @Test
    void theClockAloneNeverClosesAPeriodBeforeTheFirstEntryOpensOne() {
        LedgerProjection projection = new LedgerProjection(ZoneOffset.UTC);
        projection.advanceTo(Instant.parse("2026-05-01T00:00:00Z"));
        assertThat(projection.takeClosedPeriods()).isEmpty();
        assertThat(projection.snapshot(0).period()).isEmpty();
    }
}
