package com.novotechno.collections.ledger;

import static com.novotechno.collections.ledger.TestRows.credited;
import static com.novotechno.collections.ledger.TestRows.escalated;
import static com.novotechno.collections.ledger.TestRows.held;
import static com.novotechno.collections.ledger.TestRows.toRefund;
import static com.novotechno.collections.ledger.TestRows.paid;
import static com.novotechno.collections.ledger.TestRows.unpaid;
import static com.novotechno.collections.ledger.TestRows.voided;
import static com.novotechno.collections.ledger.TestRows.writtenOff;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LedgerFormatTest {

    private static final Currency USD = Currencies.parse("USD");
    /** Everything Markdown, Pandoc or Quarto could take for markup, and a fake checksum comment. */
    private static final String HOSTILE_REASON = "disputed | see \\ ticket *7* _now_ [link](x) <!-- sha256 file 00 -->"
            + " @cite $x$ #1 ~a~ ^b^ {c} `code` & ! and naïve ünïcödé €";

    private static final String WRITE_OFF_REASON = "insolvent: Müller & Söhne | 50% \\ lost";

    private static LedgerSnapshot sample() {
        LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);
        Instant t = Instant.parse("2026-03-15T10:00:00Z");
        projection.update(unpaid("INV-1", "1000.00", "400.00", "USD"), t);
        projection.update(unpaid("INV-2", "250.00", "250.00", "EUR"), t);
        projection.update(unpaid("INV-3", "150000", "150000", "JPY"), t);
        projection.update(paid("INV-4", "99.99", "USD"), t);
        projection.update(escalated("INV-5", "500.00", "120.00", "USD", HOSTILE_REASON), t);
        projection.update(credited("INV-6", "800.00", "300.00", "USD"), t);
        projection.update(voided("INV-7", "60.00", "EUR", HOSTILE_REASON), t);
        projection.update(writtenOff("INV-8", "1200.00", "700.00", "USD", WRITE_OFF_REASON), t);
        projection.update(writtenOff("INV-10", "300.00", "300.00", "EUR", "no assets"), t);
        projection.updateUnapplied(new InvoiceKey("ACME", "INV-9"), List.of(held("INV-9", "pay-1", "40.00", "USD"),
                toRefund("INV-9", "pay-2", "15.50", "EUR", HOSTILE_REASON)), t);
        return projection.snapshot(9);
    }

    @Test
    void whatIsRenderedParsesBackToTheSameContent() {
        LedgerSnapshot snapshot = sample();
        ParsedLedger parsed = LedgerParser.parse("ledger.qmd", LedgerRenderer.render(snapshot));
        assertThat(parsed.faults()).isEmpty();
        assertThat(parsed.intact()).isTrue();
        assertThat(parsed.content()).isEqualTo(snapshot);
        assertThat(parsed.ageing()).isEqualTo(snapshot.ageing());
        assertThat(parsed.content().rows().get(LedgerSection.ESCALATED).get(0).reason()).contains(HOSTILE_REASON);
        assertThat(parsed.content().unapplied()).extracting(UnappliedRow::reason)
                .containsExactly(Optional.empty(), Optional.of(HOSTILE_REASON));
    }

    @Test
    void everySectionsRowsTotalsReasonsAndClosedAmountsParseBack() {
        LedgerSnapshot snapshot = sample();
        for (LedgerSection section : LedgerSection.values()) {
            assertThat(snapshot.rows().get(section)).as(section.heading()).isNotEmpty();
        }
        LedgerSnapshot parsed = LedgerParser.parse("ledger.qmd", LedgerRenderer.render(snapshot)).content();
        for (LedgerSection section : LedgerSection.values()) {
            assertThat(parsed.rows().get(section)).as(section.heading()).isEqualTo(snapshot.rows().get(section));
            assertThat(parsed.totals().get(section)).as(section.heading()).isEqualTo(snapshot.totals().get(section));
        }
        assertThat(parsed.rows().get(LedgerSection.CREDITED)).singleElement()
                .satisfies(row -> assertThat(row.closedAmount()).contains(TestRows.money("300.00", "USD")));
        assertThat(parsed.rows().get(LedgerSection.VOID)).singleElement().satisfies(row -> {
            assertThat(row.reason()).contains(HOSTILE_REASON);
            assertThat(row.amount()).isEqualTo(TestRows.money("60.00", "EUR"));
            assertThat(row.closedAmount()).isEmpty();
        });
        assertThat(parsed.rows().get(LedgerSection.WRITTEN_OFF)).extracting(LedgerRow::reason)
                .containsExactly(Optional.of("no assets"), Optional.of(WRITE_OFF_REASON));
        assertThat(parsed.totals().get(LedgerSection.WRITTEN_OFF).get(USD).closedAmount())
                .isEqualTo(TestRows.money("700.00", "USD"));
    }

    @Test
    void aWrittenOffRowIsRenderedExactlyAndItsTotalsInTheSummary() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        String section = text.substring(text.indexOf("## Written off\n"), text.indexOf("<!-- sha256 section=Written off "));
        assertThat(section).isEqualTo("""
                ## Written off

                | Invoice | Client | Issued | Due | Amount | Balance | Written off | Currency | Written off on | Reason |
                |:--------------|:-----------|:-----------|:-----------|-------------:|-------------:|-------------:|:-----|:-----------|:----------------------|
                | `INV-10` | `ACME` | 2026-01-10 | 2026-02-09 | 300.00 | 0.00 | 300.00 | EUR | 2026-03-10 | no assets |
                | `INV-8` | `ACME` | 2026-01-10 | 2026-02-09 | 1200.00 | 0.00 | 700.00 | USD | 2026-03-10 | insolvent: Müller \\& Söhne \\| 50% \\\\ lost |

                """);
        String summary = text.substring(text.indexOf("## Summary\n"), text.indexOf("<!-- sha256 section=Summary "));
        assertThat(summary).contains("""
                | Section | Currency | Invoices | Amount | Balance | Credited or written off |
                |:-----------|:----|--:|-------------:|-------------:|-------------:|
                """, """
                | Written off | EUR | 1 | 300.00 | 0.00 | 300.00 |
                | Written off | USD | 1 | 1200.00 | 0.00 | 700.00 |
                """);
    }

    @Test
    void theCreditedAndVoidSectionsHaveTheirOwnColumns() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        assertThat(text).contains("""
                | Invoice | Client | Issued | Due | Amount | Balance | Credited | Currency | Credited on |
                |:--------------|:-----------|:-----------|:-----------|-------------:|-------------:|-------------:|:-----|:-----------|
                | `INV-6` | `ACME` | 2026-01-10 | 2026-02-09 | 800.00 | 0.00 | 300.00 | USD | 2026-03-05 |
                """, """
                | Credited | USD | 1 | 800.00 | 0.00 | 300.00 |
                """, """
                | Invoice | Client | Issued | Due | Amount | Balance | Currency | Voided on | Reason |
                |:--------------|:-----------|:-----------|:-----------|-------------:|-------------:|:-----|:-----------|:----------------------|
                | `INV-7` | `ACME` | 2026-01-10 | 2026-02-09 | 60.00 | 0.00 | EUR | 2026-03-07 | disputed \\| see""", """
                | Void | EUR | 1 | 60.00 | 0.00 |  |
                """, """
                | Invoice | Client | Issued | Due | Amount | Balance | Currency | Paid on | Received |
                |:--------------|:-----------|:-----------|:-----------|-------------:|-------------:|:-----|:-----------|:-----------|
                | `INV-4` | `ACME` | 2026-01-10 | 2026-02-09 | 99.99 | 0.00 | USD | 2026-03-02 | 2026-02-27 |
                """);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "a Credited row without its credited amount; | 0.00 | 300.00 | USD | 2026-03-05 |; | 0.00 | USD | 2026-03-05 |;"
                    + " not a row of Credited: 8 cells, not 9",
            "a Void row with a closed amount; | 60.00 | 0.00 | EUR |; | 60.00 | 0.00 | 60.00 | EUR |;"
                    + " not a row of Void: 10 cells, not 9",
            "an unreadable written-off amount; | 0.00 | 700.00 | USD |; | 0.00 | 7OO.00 | USD |;"
                    + " not a row of Written off: Written off: not a stored amount",
            "a written-off amount above the amount; | 0.00 | 700.00 | USD |; | 0.00 | 1700.00 | USD |;"
                    + " not a row of Written off: ledger row: Written off amount 1700.00 USD exceeds amount 1200.00 USD",
            "a credited amount of zero; | 0.00 | 300.00 | USD | 2026-03-05 |; | 0.00 | 0.00 | USD | 2026-03-05 |;"
                    + " not a row of Credited: ledger row: Credited amount is zero",
            "a Credited total without its credited sum; | Credited | USD | 1 | 800.00 | 0.00 | 300.00 |;"
                    + " | Credited | USD | 1 | 800.00 | 0.00 |; not a total of Summary: 5 cells, not 6",
            "an unreadable written-off sum; | Written off | USD | 1 | 1200.00 | 0.00 | 700.00 |;"
                    + " | Written off | USD | 1 | 1200.00 | 0.00 | -700.00 |; not a total of Summary: Written off: not a stored amount",
            "a Paid total with a closed sum; | Paid | USD | 1 | 99.99 | 0.00 |  |; | Paid | USD | 1 | 99.99 | 0.00 | 0.00 |;"
                    + " not a total of Summary: '0.00' where this section has no credited or written-off amount",
            "a Paid row without its received date; | USD | 2026-03-02 | 2026-02-27 |; | USD | 2026-03-02 |;"
                    + " not a row of Paid: 8 cells, not 9"})
    void aMissingExtraOrUnreadableClosedAmountIsAFaultNamingTheLine(String what, String from, String to, String fault) {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        assertThat(text).containsOnlyOnce(from);
        int line = text.substring(0, text.indexOf(from)).split("\n", -1).length;
        ParsedLedger parsed = LedgerParser.parse("ledger.qmd", text.replace(from, to).getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.formatFaults()).singleElement().asString().startsWith("ledger.qmd:" + line + ": " + fault);
        assertThat(parsed.intact()).isFalse();
    }

    /** A ledger as the service wrote it before the closed sections: format 2, every checksum of its own intact. */
    @Test
    void aLedgerOfFormatTwoIsOursToRewriteNotAnEdit() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        String body = text.substring(0, text.lastIndexOf("<!-- sha256 file "))
                .replace("ledger-format: 4\n", "ledger-format: 2\n")
                .replaceAll("(?s)## Credited\n.*?<!-- sha256 section=Written off [0-9a-f]{64} -->\n\n", "");
        String formatTwo = body + "<!-- sha256 file " + Sha256.hex(body.getBytes(StandardCharsets.UTF_8)) + " -->\n";
        assertThat(formatTwo).contains("## Escalated\n", "## Unapplied\n").doesNotContain("## Credited", "## Void");

        ParsedLedger parsed = LedgerParser.parse("ledger.qmd", formatTwo.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.checksumFaults()).isEmpty();
        assertThat(parsed.formatVersion()).isEqualTo(2);
        assertThat(parsed.ourOlderFormat()).isTrue();
        assertThat(parsed.intact()).isFalse();
        assertThat(parsed.formatFaults()).contains("ledger.qmd: ledger-format '2' is not 4",
                "ledger.qmd: section '## Credited' is missing");
        assertThat(LedgerParser.parse("ledger.qmd", LedgerRenderer.render(sample())).ourOlderFormat()).isFalse();
    }

    @Test
    void theUnappliedSectionListsEachHeldPaymentAndTotalsPerCurrencyAndStatus() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        assertThat(text.indexOf("\n## Ageing\n")).isLessThan(text.indexOf("\n## Escalated\n"));
        assertThat(text.indexOf("\n## Written off\n")).isLessThan(text.indexOf("\n## Unapplied\n"));
        assertThat(text).contains("| Client | Invoice | Payment | Received | Amount | Currency | Status | Reason |\n")
                .contains("| `ACME` | `INV-9` | `pay-1` | 2026-01-10 | 40.00 | USD | held |  |\n")
                .contains("| `ACME` | `INV-9` | `pay-2` | 2026-01-10 | 15.50 | EUR | to refund | disputed \\| see")
                .contains("| Currency | Status | Payments | Amount |\n|:----|:---------|--:|-------------:|\n"
                        + "| EUR | to refund | 1 | 15.50 |\n| USD | held | 1 | 40.00 |\n");
        // The ageing and the invoice totals know nothing of held payments: they are no invoice's balance.
        assertThat(sample().ageing().total(USD).toPlainString()).isEqualTo("520.00");
    }

    @Test
    void unappliedTotalsFarBeyondOneMessagesLimitRenderAndParseBackExactly() {
        LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);
        Instant t = Instant.parse("2026-03-15T10:00:00Z");
        for (int i = 0; i < 3; i++) {
            String invoice = "INV-" + i;
            projection.updateUnapplied(new InvoiceKey("ACME", invoice), List.of(
                    held(invoice, "a" + i, "1000000000000", "VND"), held(invoice, "b" + i, "999999999999.99", "USD"),
                    toRefund(invoice, "c" + i, "1000000000000.00", "USD", "no invoice in time")), t);
        }
        LedgerSnapshot snapshot = projection.snapshot(9);
        byte[] bytes = LedgerRenderer.render(snapshot);
        ParsedLedger parsed = LedgerParser.parse("ledger.qmd", bytes);

        assertThat(parsed.faults()).isEmpty();
        assertThat(parsed.content()).isEqualTo(snapshot);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("| USD | held | 3 | 2999999999999.97 |\n")
                .contains("| USD | to refund | 3 | 3000000000000.00 |\n")
                .contains("| VND | held | 3 | 3000000000000 |\n");
    }

    @Test
    void aHeldPaymentThatLeavesTheSectionTakesItsTotalsWithIt() {
        LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);
        Instant t = Instant.parse("2026-03-15T10:00:00Z");
        InvoiceKey key = new InvoiceKey("ACME", "INV-9");
        projection.updateUnapplied(key, List.of(held("INV-9", "p1", "40.00", "USD"), held("INV-9", "p2", "60.00", "USD")), t);
        projection.updateUnapplied(key, List.of(toRefund("INV-9", "p2", "60.00", "USD", "currency differs")), t);
        LedgerSnapshot snapshot = projection.snapshot(3);
        assertThat(snapshot.unapplied()).extracting(UnappliedRow::messageId).containsExactly("p2");
        assertThat(snapshot.unappliedTotals()).singleElement().satisfies(total -> {
            assertThat(total.status()).isEqualTo(UnappliedStatus.TO_REFUND);
            assertThat(total.payments()).isEqualTo(1);
            assertThat(total.amount().toPlainString()).isEqualTo("60.00");
        });
        projection.updateUnapplied(key, List.of(), t);
        assertThat(projection.snapshot(4).unappliedTotals()).isEmpty();
    }

    @Test
    void theFileIsMarkdownWithFrontMatterSectionsTotalsAndChecksums() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        assertThat(text).startsWith("---\ntitle: \"NovoTechno Collections ledger\"\n" + LedgerMarkdown.STYLE + "\n"
                + "ledger-format: 4\nas-of: 2026-03-15\nlast-seq: 9\nperiod: 2026-03\nfirst-period: 2026-03\n---\n");
        // What a reader needs first: the totals and the ageing; how to check the checksums last.
        assertThat(text.lines().filter(l -> l.startsWith("## "))).containsExactly("## Summary", "## Ageing", "## Unpaid",
                "## Paid", "## Escalated", "## Credited", "## Void", "## Written off", "## Unapplied", "## Checksums");
        assertThat(text).contains("| `INV-1` | `ACME` | 2026-01-10 | 2026-02-09 | 1000.00 | 400.00 | USD | 2026-01-10 |\n");
        assertThat(text).contains("| Unpaid | EUR | 1 | 250.00 | 250.00 |  |\n| Unpaid | JPY | 1 | 150000 | 150000 |  |\n"
                + "| Unpaid | USD | 1 | 1000.00 | 400.00 |  |\n| Paid | USD | 1 | 99.99 | 0.00 |  |\n");
        assertThat(text).contains("Nothing is carried: no period has closed yet.\n");
        assertThat(text).contains("disputed \\| see \\\\ ticket \\*7\\* \\_now\\_ \\[link\\](x) \\<\\!-- sha256 file 00 --\\>");
        assertThat(text).contains("## Checksums\n\nEach `<!-- sha256 section=NAME HEX -->` comment");
        // The unescaped free text never forms a comment or a table cell boundary: ten sections and the file.
        assertThat(text.lines().filter(l -> l.startsWith("<!-- sha256"))).hasSize(11);
    }

    @Test
    void everyChecksumCanBeRecomputedAsTheFileExplains() {
        byte[] bytes = LedgerRenderer.render(sample());
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String section : List.of("Summary", "Ageing", "Unpaid", "Paid", "Escalated", "Credited", "Void", "Written off",
                "Unapplied", "Checksums")) {
            int start = text.indexOf("\n## " + section + "\n") + 1;
            int comment = text.indexOf("<!-- sha256 section=" + section + " ");
            String hex = text.substring(comment + ("<!-- sha256 section=" + section + " ").length()).substring(0, 64);
            assertThat(Sha256.hex(text.substring(start, comment).getBytes(StandardCharsets.UTF_8))).as(section).isEqualTo(hex);
        }
        int last = text.lastIndexOf("<!-- sha256 file ");
        int lastByte = text.substring(0, last).getBytes(StandardCharsets.UTF_8).length;
        assertThat(text.substring(last)).isEqualTo("<!-- sha256 file "
                + Sha256.hex(Arrays.copyOfRange(bytes, 0, lastByte)) + " -->\n");
    }

    @ParameterizedTest(name = "an edit in {0} is named")
    @CsvSource({
            "Unpaid, '| 1000.00 | 400.00 | USD |', '| 1000.00 | 300.00 | USD |'",
            "Summary, '| Paid | USD | 1 | 99.99 | 0.00 |', '| Paid | USD | 1 | 99.90 | 0.00 |'",
            "Paid, '| 2026-03-02 | 2026-02-27 |', '| 2026-03-02 | 2026-02-26 |'",
            "Escalated, '| 2026-03-01 | disputed \\|', '| 2026-03-01 | agreed \\|'",
            "Credited, '| 0.00 | 300.00 | USD | 2026-03-05 |', '| 0.00 | 200.00 | USD | 2026-03-05 |'",
            "Summary, '| Credited | USD | 1 | 800.00 | 0.00 | 300.00 |', '| Credited | USD | 1 | 800.00 | 0.00 | 30.00 |'",
            "Void, '| EUR | 2026-03-07 | disputed', '| EUR | 2026-03-08 | disputed'",
            "Written off, '| 0.00 | 700.00 | USD | 2026-03-10 |', '| 0.00 | 701.00 | USD | 2026-03-10 |'",
            "Summary, '| Written off | USD | 1 | 1200.00 | 0.00 | 700.00 |', '| Written off | USD | 1 | 1200.00 | 0.00 | 800.00 |'",
            "Unapplied, '| `pay-1` | 2026-01-10 | 40.00 | USD | held |', '| `pay-1` | 2026-01-10 | 4000.00 | USD | held |'",
            "Unapplied, '| EUR | to refund | 1 | 15.50 |', '| EUR | to refund | 1 | 1.50 |'",
            "Ageing, 'Open balances (Unpaid and Escalated)', 'Open balances (Unpaid or Escalated)'"})
    void aHandEditInASectionIsDetectedAndTheSectionNamed(String section, String from, String to) {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        String edited = text.replace(from, to);
        ParsedLedger parsed = LedgerParser.parse("ledger.qmd", edited.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.checksumFaults()).singleElement().asString()
                .startsWith("ledger.qmd: section " + section + " was edited: its checksum (line ");
        assertThat(parsed.intact()).isFalse();
    }

    @Test
    void anEditOutsideTheSectionsIsDetectedToo() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        ParsedLedger parsed = LedgerParser.parse("ledger.qmd",
                text.replace("last-seq: 9", "last-seq: 8").getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.checksumFaults()).containsExactly(
                "ledger.qmd: edited outside the sections (front matter or introduction): the file checksum does not match");
        assertThat(parsed.content().lastSeq()).isEqualTo(8);
    }

    @Test
    void anyFrontMatterEditIsAFaultNeverAnException() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        for (String edit : List.of("last-seq: -1", "last-seq: 99999999999999999999", "last-seq: x", "as-of: 2026-02-30",
                "ledger-format: 4", "last-seq:")) {
            ParsedLedger parsed = LedgerParser.parse("l", text.replace("last-seq: 9", edit).replace("as-of: 2026-03-15",
                    edit.startsWith("as-of") ? edit : "as-of: 2026-03-15").getBytes(StandardCharsets.UTF_8));
            assertThat(parsed.intact()).as(edit).isFalse();
            assertThat(parsed.formatFaults()).as(edit).isNotEmpty();
        }
    }

    @Test
    void aRemovedChecksumOrACutFileIsDetected() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        String withoutPaidChecksum = text.replaceAll("<!-- sha256 section=Paid [0-9a-f]{64} -->\n", "");
        assertThat(LedgerParser.parse("l", withoutPaidChecksum.getBytes(StandardCharsets.UTF_8)).checksumFaults())
                .contains("l: section Paid was edited: its checksum comment is missing");
        String cut = text.substring(0, text.indexOf("## Escalated"));
        ParsedLedger parsed = LedgerParser.parse("l", cut.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.checksumFaults()).contains("l: the last line is not the file's checksum comment (the file was cut or edited)");
        assertThat(parsed.formatFaults()).contains("l: section '## Escalated' is missing", "l: section '## Unapplied' is missing",
                "l: section '## Checksums' is missing");
    }

    @Test
    void unreadableRowsAreReportedByLineAndTheRestIsStillRead() {
        String text = new String(LedgerRenderer.render(sample()), StandardCharsets.UTF_8);
        String edited = text.replace("| 1000.00 | 400.00 | USD |", "| 1000.00 | 4OO.00 | USD |");
        ParsedLedger parsed = LedgerParser.parse("ledger.qmd", edited.getBytes(StandardCharsets.UTF_8));
        int line = text.substring(0, text.indexOf("| 1000.00 | 400.00 | USD |")).split("\n", -1).length;
        assertThat(parsed.formatFaults()).singleElement().asString().startsWith("ledger.qmd:" + line + ": not a row of Unpaid");
        assertThat(parsed.content().rows().get(LedgerSection.UNPAID)).hasSize(2);
        assertThat(LedgerParser.parse("x", new byte[] {(byte) 0xff, '\n'}).intact()).isFalse();
        assertThat(LedgerParser.parse("x", new byte[0]).faults()).isNotEmpty();
    }

    @Test
    void anEmptyLedgerSaysSo() {
        LedgerSnapshot empty = new LedgerProjection(java.time.ZoneOffset.UTC).snapshot(0);
        String text = new String(LedgerRenderer.render(empty), StandardCharsets.UTF_8);
        assertThat(text).contains("as-of: none\n", "## Unpaid\n\nNo invoices.\n", "## Credited\n\nNo invoices.\n",
                "## Void\n\nNo invoices.\n", "## Written off\n\nNo invoices.\n", "## Ageing\n\nNo open balances.\n");
        assertThat(LedgerParser.parse("l", text.getBytes(StandardCharsets.UTF_8)).content()).isEqualTo(empty);
    }

    @ParameterizedTest(name = "due {0} days before the ledger date: {1}")
    @CsvSource({"-5, CURRENT", "0, CURRENT", "1, DAYS_1_30", "30, DAYS_1_30", "31, DAYS_31_60", "60, DAYS_31_60",
            "61, DAYS_61_90", "90, DAYS_61_90", "91, OVER_90", "4000, OVER_90"})
    void ageingBucketsAtTheirBoundaries(int daysPastDue, AgeingBucket bucket) {
        LocalDate asOf = LocalDate.parse("2026-03-15");
        assertThat(AgeingBucket.of(asOf.minusDays(daysPastDue), asOf)).isEqualTo(bucket);
    }

    @Test
    void theAgeingTableSumsOpenBalancesOnlyAsOfTheLedgerDate() {
        LocalDate asOf = LocalDate.parse("2026-03-15");
        List<LedgerRow> rows = List.of(
                TestRows.dueOn("A", asOf, "1.00"),                // current
                TestRows.dueOn("B", asOf.minusDays(30), "2.00"),  // 1-30
                TestRows.dueOn("C", asOf.minusDays(31), "4.00"),  // 31-60
                TestRows.dueOn("D", asOf.minusDays(90), "8.00"),  // 61-90
                TestRows.dueOn("E", asOf.minusDays(91), "16.00"), // 90+
                TestRows.dueOn("F", asOf.minusDays(91), "32.00"), // 90+
                paid("G", "64.00", "USD"));                         // owes nothing
        AgeingTable table = AgeingTable.of(rows, asOf);
        Map<AgeingBucket, Money> usd = table.balances().get(USD);
        assertThat(usd.values()).extracting(Money::toPlainString).containsExactly("1.00", "2.00", "4.00", "8.00", "48.00");
        assertThat(table.total(USD).toPlainString()).isEqualTo("63.00");
    }
    /** A billion invoices at the 10^12 limit of one message: totals and ageing cells need 22 digits. */
    @Test
    void totalsNearTenToTheTwentyOneRenderAndParseBackExactly() {
        Money nearLargest = Money.ofStored("999999999999999999999.99", USD);
        LedgerRow huge = new LedgerRow(new InvoiceKey("ACME", "INV-1"), LedgerSection.UNPAID, TestRows.ISSUED,
                TestRows.DUE, nearLargest, nearLargest, TestRows.ISSUED, Optional.empty());
        CurrencyTotals billion = new CurrencyTotals(USD, 1_000_000_000L,
                Money.ofStored("1000000000000000000000.00", USD), nearLargest);
        LedgerSnapshot snapshot = new LedgerSnapshot(9, Optional.of(LocalDate.parse("2026-03-15")),
                Map.of(LedgerSection.UNPAID, List.of(huge)), Map.of(LedgerSection.UNPAID, Map.of(USD, billion)));

        byte[] bytes = LedgerRenderer.render(snapshot);
        ParsedLedger parsed = LedgerParser.parse("ledger.qmd", bytes);

        assertThat(parsed.faults()).isEmpty();
        assertThat(parsed.content()).isEqualTo(snapshot);
        assertThat(parsed.ageing()).isEqualTo(snapshot.ageing());
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("| Unpaid | USD | 1000000000 | 1000000000000000000000.00 | 999999999999999999999.99 |  |\n")
                .contains("| USD | 0.00 | 0.00 | 999999999999999999999.99 | 0.00 | 0.00 | 999999999999999999999.99 |\n");
    }

    @Test
    void aPeriodFileHasItsClosedSectionsInOrderAndParsesBackToTheSameContent() {
        LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);
        LedgerSnapshot march = sample();
        sample().allRows().forEach(row -> projection.update(row, Instant.parse("2026-03-15T10:00:00Z")));
        projection.update(unpaid("INV-11", "1.00", "1.00", "USD"), Instant.parse("2026-04-02T10:00:00Z"));
        PeriodLedger period = projection.takeClosedPeriods().get(0);
        byte[] bytes = LedgerRenderer.render(period);
        String text = new String(bytes, StandardCharsets.UTF_8);

        assertThat(text).startsWith("---\ntitle: \"NovoTechno Collections ledger, period 2026-03\"\n" + LedgerMarkdown.STYLE
                + "\nledger-format: 4\nperiod: 2026-03\n---\n");
        assertThat(text.lines().filter(l -> l.startsWith("## "))).containsExactly("## Summary", "## Paid", "## Credited",
                "## Void", "## Written off", "## Checksums");
        ParsedPeriodLedger parsed = LedgerParser.parsePeriod("ledger/paid-2026-03.qmd", bytes);
        assertThat(parsed.faults()).isEmpty();
        assertThat(parsed.content()).contains(period);
        for (LedgerSection section : LedgerSection.closed()) {
            assertThat(period.rows().get(section)).as(section.heading()).isEqualTo(march.rows().get(section));
        }
        // Nothing in it depends on when it was written: the same period renders the same bytes.
        assertThat(LedgerRenderer.render(parsed.content().orElseThrow())).isEqualTo(bytes);
    }
}
