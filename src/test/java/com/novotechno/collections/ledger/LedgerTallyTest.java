package com.novotechno.collections.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reconcile route's one-pass tally reads ledger.qmd and a closed period's file exactly as the service
 * writes them (format 4: Summary and Ageing first, Paid's Received column, carried totals, the checksums'
 * explanation last), and gives the same sums as the whole parse; a file not as written gives no tally.
 */
class LedgerTallyTest {

    private LedgerSnapshot ledger;
    private PeriodLedger february;
    private byte[] ledgerBytes;
    private byte[] februaryBytes;

    @BeforeEach
    void theSampleLedgerWithAClosedPeriod() {
        LedgerProjection projection = SampleLedger.projection();
        february = projection.takeClosedPeriods().get(0);
        ledger = projection.snapshot(SampleLedger.SEQ);
        ledgerBytes = LedgerRenderer.render(ledger);
        februaryBytes = LedgerRenderer.render(february);
    }

    @Test
    void aLedgerAsTheServiceWritesItIsTalliedToTheSumsOfAllItsRowsKeepingOnlyTheRowsAskedFor() {
        Set<InvoiceKey> wanted = Set.of(ledger.rows().get(LedgerSection.PAID).get(0).key(),
                ledger.rows().get(LedgerSection.UNPAID).get(1).key(), ledger.unapplied().get(0).key());
        List<InvoiceKey> seen = new ArrayList<>();

        LedgerTally tally = LedgerTally.of("ledger.qmd", ledgerBytes, wanted::contains, seen::add).orElseThrow();

        assertThat(ledger.carried().get(LedgerSection.PAID)).as("the sample carries February's totals").isNotEmpty();
        assertThat(tally.rowTotals()).isEqualTo(CurrencyTotals.bySection(ledger.allRows()));
        assertThat(tally.rowAgeing().balances()).isEqualTo(ledger.ageing().balances());
        assertThat(tally.unappliedRowTotals()).isEqualTo(ledger.unappliedTotals());
        assertThat(tally.rows()).isEqualTo(ledger.allRows().size());
        assertThat(seen).hasSize(ledger.allRows().size() + ledger.unapplied().size());
        LedgerSnapshot selected = tally.selected().content();
        assertThat(selected.allRows()).isEqualTo(ledger.allRows().stream().filter(r -> wanted.contains(r.key())).toList());
        assertThat(selected.unapplied()).isEqualTo(ledger.unapplied().stream().filter(r -> wanted.contains(r.key())).toList());
        assertThat(selected.totals()).isEqualTo(ledger.totals());
        assertThat(selected.carried()).isEqualTo(ledger.carried());
        assertThat(selected.period()).isEqualTo(ledger.period());
        assertThat(selected.firstPeriod()).isEqualTo(ledger.firstPeriod());
        assertThat(tally.selected().ageing().balances()).isEqualTo(ledger.ageing().balances());
    }

    @Test
    void aClosedPeriodsFileSealedWithAMacTalliesAsTheSameFile() {
        byte[] sealed = PeriodFileMac.seal(februaryBytes, com.novotechno.collections.storage.Keying.since(
                new com.novotechno.collections.storage.MacKey(new byte[32]), 1, com.novotechno.collections.storage.Sha256.ZERO,
                java.time.Instant.EPOCH));
        assertThat(sealed).isNotEqualTo(februaryBytes);
        PeriodTally plain = LedgerTally.ofPeriod("p", februaryBytes, (row, key) -> true, key -> { }).orElseThrow();
        PeriodTally keyed = LedgerTally.ofPeriod("p", sealed, (row, key) -> true, key -> { }).orElseThrow();
        assertThat(keyed.content()).isEqualTo(plain.content());
        assertThat(keyed.rowTotals()).isEqualTo(plain.rowTotals());
    }

    @Test
    void aClosedPeriodsFileIsTalliedKeepingTheRowsAtThePlacesAskedFor() {
        List<LedgerRow> inFileOrder = new ArrayList<>();
        LedgerSection.closed().forEach(section -> inFileOrder.addAll(february.rows().get(section)));
        List<InvoiceKey> seen = new ArrayList<>();

        PeriodTally tally = LedgerTally.ofPeriod("ledger/paid-2026-02.qmd", februaryBytes, (row, key) -> row >= 2 && row < 5,
                seen::add).orElseThrow();

        assertThat(tally.content().period()).isEqualTo(february.period());
        assertThat(tally.content().totals()).isEqualTo(february.totals());
        assertThat(closedOnly(tally.rowTotals())).isEqualTo(february.totals());
        assertThat(tally.rows()).isEqualTo(inFileOrder.size());
        assertThat(seen).isEqualTo(inFileOrder.stream().map(LedgerRow::key).toList());
        List<LedgerRow> kept = new ArrayList<>();
        tally.content().rows().values().forEach(kept::addAll);
        assertThat(kept).isEqualTo(inFileOrder.subList(2, 5));
    }

    /** Anything but the service's own bytes: the caller parses the whole file, whose faults name the line. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "a row's amount edited, no checksum recomputed; | 2644.22 |; | 2644.23 |",
            "a section heading renamed; ## Void; ## Voided",
            "the checksums' explanation edited; lower-case hex; upper-case hex"})
    void aLedgerNotAsTheServiceWritesItGivesNoTally(String what, String from, String to) {
        String text = new String(ledgerBytes, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        byte[] edited = text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(LedgerTally.of("ledger.qmd", edited, key -> true, key -> { })).isEmpty();
    }

    @Test
    void aPeriodFileWithAnEditedRowOrReadAsLedgerQmdGivesNoTally() {
        String text = new String(februaryBytes, StandardCharsets.UTF_8);
        String row = text.lines().filter(line -> line.startsWith("| `")).findFirst().orElseThrow();
        byte[] edited = text.replace(row, row.replaceFirst("\\| 2026-", "| 2025-")).getBytes(StandardCharsets.UTF_8);
        assertThat(LedgerTally.ofPeriod("ledger/paid-2026-02.qmd", edited, (r, key) -> true, key -> { })).isEmpty();
        assertThat(LedgerTally.of("ledger.qmd", februaryBytes, key -> true, key -> { }))
                .as("a period file's sections are not ledger.qmd's").isEmpty();
        assertThat(LedgerTally.ofPeriod("ledger.qmd", ledgerBytes, (r, key) -> true, key -> { })).isEmpty();
    }

    private static Map<LedgerSection, Map<java.util.Currency, CurrencyTotals>> closedOnly(
            Map<LedgerSection, Map<java.util.Currency, CurrencyTotals>> totals) {
        return totals.entrySet().stream().filter(e -> !e.getKey().isOpen())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
