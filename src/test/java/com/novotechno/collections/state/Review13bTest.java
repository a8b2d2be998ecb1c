package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.erased;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.reversed;
import static com.novotechno.collections.testing.Messages.voided;
import static com.novotechno.collections.testing.Messages.writtenOff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.testing.MovableClock;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.ledger.ParsedPeriodLedger;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review 13b: the period close attacked as a hostile user would (files planted, clocks moved, sums at the limits). */
class Review13bTest {

    private static final Currency USD = Currencies.parse("USD");

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

    private Path period(String month) {
        return data.resolve("ledger").resolve("paid-" + month + ".qmd");
    }

    private List<Difference> reconcile() throws IOException {
        return new Reconciler(new FileSystemStorage(), new DataLayout(data)).reconcile(Reconciler.Mode.AT_REST).differences();
    }

    private List<String> verify() throws IOException {
        return new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults();
    }

    private void rebuild() throws IOException {
        StoreRebuilder.rebuild(new FileSystemStorage(), data, settings(), n -> { });
    }

    private Map<String, byte[]> ledgerFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("ledger.qmd", Files.readAllBytes(data.resolve("ledger.qmd")));
        try (Stream<Path> periods = Files.list(data.resolve("ledger"))) {
            for (Path file : periods.toList()) {
                if (Files.isRegularFile(file)) {
                    files.put("ledger/" + file.getFileName(), Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    private void assertRebuildGivesTheSameBytes() throws IOException {
        Map<String, byte[]> written = ledgerFiles();
        rebuild();
        Map<String, byte[]> rebuilt = ledgerFiles();
        assertThat(rebuilt.keySet()).isEqualTo(written.keySet());
        written.forEach((name, bytes) -> assertThat(new String(rebuilt.get(name))).as(name).isEqualTo(new String(bytes)));
    }

    /** March closed (INV-1 paid, INV-2 void, INV-4 written off, INV-3 open), the store stopped on 2 April. */
    private void closeMarch() throws Exception {
        try (CollectionsStore store = open()) {
            store.apply(issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(issued("i2", "ACME", "INV-2", "50.00", "USD"));
            store.apply(issued("i3", "ACME", "INV-3", "70.00", "USD"));
            store.apply(issued("i4", "ACME", "INV-4", "30.00", "USD"));
            clock.set("2026-03-20T12:00:00Z");
            store.apply(payment("p1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(voided("v2", "ACME", "INV-2"));
            store.apply(writtenOff("w4", "ACME", "INV-4"));
            store.checkpointNow();
            clock.set("2026-04-02T09:00:00Z");
            store.flushLedger();
        }
        assertThat(period("2026-03")).exists();
    }

    private static boolean names(List<Difference> differences, String file) {
        return differences.stream().anyMatch(d -> d.subject().contains(file) || d.detail().contains(file));
    }

    // --- planted and replaced period files -------------------------------------------------------------

    /** DEFECT: a file named for a period still to come is taken for one written "ahead" and never reported. */
    @Test
    void aStrayFileOfAFarFuturePeriodIsReportedByReconcile() throws Exception {
        closeMarch();
        Files.copy(period("2026-03"), period("2099-01"));
        assertThat(reconcile()).as("reconcile names ledger/paid-2099-01.qmd").anySatisfy(d ->
                assertThat(d.subject()).isEqualTo("ledger/paid-2099-01.qmd"));
    }

    @Test
    void aStrayNotesFileAndAPeriodFileBeforeTheLogsFirstEntryAreReportedByReconcile() throws Exception {
        closeMarch();
        Files.writeString(data.resolve("ledger").resolve("notes.txt"), "hello");
        Files.copy(period("2026-03"), period("2026-01"));
        List<Difference> differences = reconcile();
        assertThat(differences).anySatisfy(d -> assertThat(d.subject()).isEqualTo("ledger/notes.txt"));
        assertThat(differences).anySatisfy(d -> assertThat(d.subject()).isEqualTo("ledger/paid-2026-01.qmd"));
        // The log is the truth: a start and a rebuild leave the planted files alone and write March as the log says.
        byte[] march = Files.readAllBytes(period("2026-03"));
        rebuild();
        assertThat(period("2026-03")).hasBinaryContent(march);
        assertThat(verify()).isEmpty();
    }

    /** DEFECT if it throws: a directory where a period file should be makes reconcile fail instead of naming it. */
    @Test
    void aPeriodFileReplacedByADirectoryIsNamedByVerifyAndReconcile() throws Exception {
        closeMarch();
        Files.delete(period("2026-03"));
        Files.createDirectory(period("2026-03"));
        assertThat(verify()).anySatisfy(f -> assertThat(f).startsWith("ledger/paid-2026-03.qmd"));
        assertThat(reconcile()).anySatisfy(d -> assertThat(d.subject()).isEqualTo("ledger/paid-2026-03.qmd"));
    }

    /** A start and a rebuild with a directory where March's file belongs: a clear message naming it, or the file written anew. */
    @Test
    void aStartAndARebuildWithADirectoryInPlaceOfAPeriodFileNameIt() throws Exception {
        closeMarch();
        Files.delete(period("2026-03"));
        Files.createDirectory(period("2026-03"));
        try (CollectionsStore store = open()) {
            store.apply(payment("p3", "ACME", "INV-3", "70.00", "USD"));
            store.flushLedger();
        } catch (Exception e) {
            assertThat(e).hasMessageContaining("paid-2026-03.qmd");
        }
        try {
            rebuild();
            assertThat(period("2026-03")).isRegularFile();
            assertThat(verify()).isEmpty();
        } catch (Exception e) {
            assertThat(e).hasMessageContaining("paid-2026-03.qmd");
        }
    }

    @Test
    void aPeriodFileReplacedByAFifoNeverHangsVerifyOrReconcile() throws Exception {
        closeMarch();
        Files.delete(period("2026-03"));
        Process mkfifo = new ProcessBuilder("mkfifo", period("2026-03").toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThat(verify()).anySatisfy(f -> assertThat(f).startsWith("ledger/paid-2026-03.qmd"));
            assertThat(reconcile()).anySatisfy(d -> assertThat(d.subject()).isEqualTo("ledger/paid-2026-03.qmd"));
        });
    }

    /** A symlink to a copy of the right bytes elsewhere: the service's file is not a link it may follow out of the folder. */
    @Test
    void aPeriodFileReplacedByASymlinkIsRebuiltAsARegularFile() throws Exception {
        closeMarch();
        byte[] march = Files.readAllBytes(period("2026-03"));
        Path elsewhere = Files.createTempFile("march", ".qmd");
        Files.write(elsewhere, march);
        Files.delete(period("2026-03"));
        Files.createSymbolicLink(period("2026-03"), elsewhere);
        rebuild();
        assertThat(Files.isSymbolicLink(period("2026-03"))).isFalse();
        assertThat(period("2026-03")).hasBinaryContent(march);
        Files.delete(elsewhere);
    }

    @Test
    void aPeriodFileEditedWhileStoppedIsNotTrustedByAStartAndRebuildWritesItAnew() throws Exception {
        closeMarch();
        byte[] march = Files.readAllBytes(period("2026-03"));
        Files.writeString(period("2026-03"), Files.readString(period("2026-03")).replace("| 100.00 |", "| 10.00 |"));
        try (CollectionsStore store = open()) {
            store.flushLedger();
        }
        assertThat(verify()).anySatisfy(f -> assertThat(f).startsWith("ledger/paid-2026-03.qmd"));
        assertThat(reconcile()).isNotEmpty();
        rebuild();
        assertThat(period("2026-03")).hasBinaryContent(march);
        assertThat(verify()).isEmpty();
        assertThat(reconcile()).isEmpty();
    }

    // --- clocks ----------------------------------------------------------------------------------------

    @Test
    void twoMonthsPassingWhileStoppedCloseBothMonthsTheSecondWithNoClosures() throws Exception {
        try (CollectionsStore store = open()) {
            store.apply(issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(issued("i2", "ACME", "INV-2", "50.00", "USD"));
            clock.set("2026-03-20T12:00:00Z");
            store.apply(payment("p1", "ACME", "INV-1", "100.00", "USD"));
        }
        clock.set("2026-05-15T09:00:00Z");
        try (CollectionsStore store = open()) {
            store.flushLedger();
        }
        assertThat(period("2026-03")).exists();
        assertThat(period("2026-04")).exists();
        ParsedPeriodLedger april = LedgerParser.parsePeriod("ledger/paid-2026-04.qmd", Files.readAllBytes(period("2026-04")));
        assertThat(april.faults()).isEmpty();
        assertThat(april.content().orElseThrow().rows().values()).allSatisfy(rows -> assertThat(rows).isEmpty());
        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.content().period()).contains(YearMonth.parse("2026-05"));
        assertThat(verify()).isEmpty();
        assertThat(reconcile()).isEmpty();
        assertRebuildGivesTheSameBytes();
    }

    /** The clock steps back across the month's end after April opened: the entry dated March lands in a closed month. */
    @Test
    void theClockGoingBackwardsAcrossAMonthsEndLeavesFilesARebuildReproduces() throws Exception {
        try (CollectionsStore store = open()) {
            store.apply(issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(issued("i2", "ACME", "INV-2", "50.00", "USD"));
            clock.set("2026-04-01T00:05:00Z");
            store.apply(payment("p1", "ACME", "INV-1", "100.00", "USD"));
            store.checkpointNow();
            store.flushLedger();
            assertThat(period("2026-03")).exists();
            clock.set("2026-03-31T23:50:00Z"); // NTP steps back ten minutes
            store.apply(voided("v2", "ACME", "INV-2"));
            store.checkpointNow();
            clock.set("2026-04-01T00:10:00Z");
            store.flushLedger();
        }
        assertThat(verify()).isEmpty();
        assertThat(reconcile()).isEmpty();
        assertRebuildGivesTheSameBytes();
        assertThat(verify()).isEmpty();
        assertThat(reconcile()).isEmpty();
    }

    @Test
    void aRebuildOnAnotherDaysClockGivesTheSameFiles() throws Exception {
        closeMarch();
        Map<String, byte[]> written = ledgerFiles();
        clock.set("2026-04-25T09:00:00Z"); // same month, later day: nothing closes
        rebuild();
        Map<String, byte[]> rebuilt = ledgerFiles();
        written.forEach((name, bytes) -> assertThat(rebuilt.get(name)).as(name).isEqualTo(bytes));
    }

    /** collections.time-zone moved east between runs: an entry at 23:30 UTC on 31 March is April there. */
    @Test
    void aTimeZoneChangedBetweenRunsLeavesNoFaultAfterARebuild() throws Exception {
        try (CollectionsStore store = open()) {
            store.apply(issued("i1", "ACME", "INV-1", "100.00", "USD"));
            clock.set("2026-03-31T23:30:00Z");
            store.apply(payment("p1", "ACME", "INV-1", "100.00", "USD"));
            store.checkpointNow();
            clock.set("2026-04-02T09:00:00Z");
            store.flushLedger();
        }
        StoreSettings tokyo = new StoreSettings(USD, 30, clock, ZoneId.of("Asia/Tokyo"));
        try (CollectionsStore store = CollectionsStore.open(data, tokyo, Stores.NOTICES::add)) {
            store.flushLedger();
        }
        StoreRebuilder.rebuild(new FileSystemStorage(), data, tokyo, n -> { });
        assertThat(verify()).isEmpty();
        // Reconcile in the zone the files were written in (README); in Tokyo the payment is April's, still open.
        assertThat(new Reconciler(new FileSystemStorage(), new DataLayout(data), ZoneId.of("Asia/Tokyo"))
                .reconcile(Reconciler.Mode.AT_REST).differences()).isEmpty();
        assertThat(Files.readString(period("2026-03"))).doesNotContain("`INV-1`");
    }

    // --- sums at the limits, reopen/reclose, erasure ---------------------------------------------------

    @Test
    void carriedTotalsOfAmountsAtTheLimitInTwentyCurrenciesRoundTrip() throws Exception {
        List<String> currencies = List.of("USD", "EUR", "GBP", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK",
                "HUF", "CAD", "AUD", "NZD", "SGD", "HKD", "KWD", "BHD", "CLF", "ZAR");
        try (CollectionsStore store = open()) {
            int n = 0;
            for (String currency : currencies) {
                int digits = Currencies.parse(currency).getDefaultFractionDigits();
                String amount = digits == 0 ? "1000000000000" : "1000000000000." + "0".repeat(digits); // the limit, 10^12
                for (int i = 0; i < 12; i++, n++) {
                    store.apply(issued("i" + n, "ACME", "INV-" + n, amount, currency));
                    store.apply(payment("p" + n, "ACME", "INV-" + n, amount, currency));
                }
            }
            store.checkpointNow();
            clock.set("2026-04-02T09:00:00Z");
            store.flushLedger();
        }
        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.faults()).isEmpty();
        assertThat(ledger.content().carried().get(LedgerSection.PAID)).hasSize(currencies.size());
        BigDecimal usd = ledger.content().carried().get(LedgerSection.PAID).get(USD).amount().amount();
        assertThat(usd).isEqualByComparingTo(new BigDecimal("12000000000000.00"));
        assertThat(verify()).isEmpty();
        assertThat(reconcile()).isEmpty();
        assertRebuildGivesTheSameBytes();
    }

    @Test
    void anInvoiceReopenedAndClosedAgainInTheNextMonthIsInBothFilesAndCarriedOnce() throws Exception {
        closeMarch();
        try (CollectionsStore store = open()) {
            clock.set("2026-04-03T09:00:00Z");
            store.apply(reversed("r1", "ACME", "INV-1", "p1"));
            store.apply(payment("p1b", "ACME", "INV-1", "100.00", "USD"));
            store.checkpointNow();
            clock.set("2026-05-02T09:00:00Z");
            store.flushLedger();
        }
        String april = Files.readString(period("2026-04"));
        assertThat(april).contains("`INV-1`");
        assertThat(Files.readString(period("2026-03"))).contains("`INV-1`");
        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.content().carried().get(LedgerSection.PAID).get(USD).invoices()).isEqualTo(1);
        assertThat(ledger.content().carried().get(LedgerSection.PAID).get(USD).amount().toPlainString()).isEqualTo("100.00");
        assertThat(verify()).isEmpty();
        assertThat(reconcile()).isEmpty();
        assertRebuildGivesTheSameBytes();
    }

    @Test
    void anErasureOfAClientWithInvoicesInSeveralClosedPeriodsLeavesNoTextsAndRebuildGivesTheSameBytes() throws Exception {
        closeMarch();
        try (CollectionsStore store = open()) {
            clock.set("2026-04-03T09:00:00Z");
            store.apply(voided("v3", "ACME", "INV-3"));
            store.checkpointNow();
            clock.set("2026-05-02T09:00:00Z");
            store.flushLedger();
            assertThat(Files.readString(period("2026-04"))).contains("issued in error");
            clock.set("2026-05-03T09:00:00Z");
            store.apply(erased("x1", "ACME"));
        }
        for (String month : List.of("2026-03", "2026-04")) {
            assertThat(Files.readString(period(month))).as(month).doesNotContain("issued in error", "customer insolvent");
        }
        assertThat(verify()).isEmpty();
        assertThat(reconcile()).isEmpty();
        assertRebuildGivesTheSameBytes();
    }
}
