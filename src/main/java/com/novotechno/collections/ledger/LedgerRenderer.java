package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Money;
import com.novotechno.collections.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link LedgerSnapshot} as ledger.qmd, and a {@link PeriodLedger} as its period's file, what a
 * reader needs first: front matter, an introduction, the Summary (totals per section and currency, and
 * those carried from closed periods), the Ageing, the invoice sections' rows (Unpaid, Paid, Escalated,
 * Credited, Void, Written off; a period's file has the closed four), the held payments (Unapplied), and
 * last how to check the checksums, each section ending with its checksum comment and the file with its
 * own. The same content always gives the same bytes.
 */
public final class LedgerRenderer {

    private LedgerRenderer() {
    }

    public static byte[] render(LedgerSnapshot snapshot) {
        String asOf = snapshot.asOf().map(Object::toString).orElse(LedgerMarkdown.NO_DATE);
        String period = snapshot.period().map(Object::toString).orElse(LedgerMarkdown.NO_DATE);
        int rows = snapshot.rows().values().stream().mapToInt(List::size).sum() + snapshot.unapplied().size();
        StringBuilder out = new StringBuilder(4096 + 120 * rows);
        line(out, LedgerMarkdown.FRONT_MATTER_FENCE);
        line(out, LedgerMarkdown.TITLE);
        line(out, LedgerMarkdown.STYLE);
        line(out, LedgerMarkdown.KEY_FORMAT + ": " + LedgerMarkdown.FORMAT_VERSION);
        line(out, LedgerMarkdown.KEY_AS_OF + ": " + asOf);
        line(out, LedgerMarkdown.KEY_LAST_SEQ + ": " + snapshot.lastSeq());
        line(out, LedgerMarkdown.KEY_PERIOD + ": " + period);
        line(out, LedgerMarkdown.KEY_FIRST_PERIOD + ": "
                + snapshot.firstPeriod().map(Object::toString).orElse(LedgerMarkdown.NO_DATE));
        line(out, LedgerMarkdown.FRONT_MATTER_FENCE);
        line(out, "");
        line(out, LedgerMarkdown.intro(asOf, snapshot.lastSeq(), period));
        line(out, "");
        int summary = open(out, LedgerMarkdown.SUMMARY_HEADING);
        line(out, LedgerMarkdown.summaryIntro(period));
        line(out, "");
        renderSummary(out, LedgerSection.values(), snapshot.totals());
        boolean anyClosed = snapshot.period().isPresent() && snapshot.firstPeriod().get().isBefore(snapshot.period().get());
        if (anyClosed) {
            line(out, LedgerMarkdown.carriedIntro(snapshot.firstPeriod().get().toString(),
                    snapshot.period().get().minusMonths(1).toString()));
            line(out, "");
            renderSummary(out, LedgerSection.closed().toArray(LedgerSection[]::new), snapshot.carried());
        } else {
            line(out, LedgerMarkdown.NOTHING_CARRIED);
            line(out, "");
        }
        closeSection(out, summary, LedgerMarkdown.SUMMARY_HEADING);
        int ageing = open(out, LedgerMarkdown.AGEING_HEADING);
        renderAgeing(out, snapshot.ageing(), asOf);
        closeSection(out, ageing, LedgerMarkdown.AGEING_HEADING);
        for (LedgerSection section : LedgerSection.values()) {
            int start = open(out, section.heading());
            renderRows(out, section, snapshot.rows().get(section));
            closeSection(out, start, section.heading());
        }
        int unappliedStart = open(out, LedgerMarkdown.UNAPPLIED_HEADING);
        renderUnapplied(out, snapshot);
        closeSection(out, unappliedStart, LedgerMarkdown.UNAPPLIED_HEADING);
        return finish(out);
    }

    /** A closed period's file, ledger/paid-YYYY-MM.qmd: its closed sections, with nothing that depends on when it was written. */
    public static byte[] render(PeriodLedger ledger) {
        int rows = ledger.rows().values().stream().mapToInt(List::size).sum();
        StringBuilder out = new StringBuilder(2048 + 120 * rows);
        line(out, LedgerMarkdown.FRONT_MATTER_FENCE);
        line(out, LedgerMarkdown.periodTitle(ledger.period().toString()));
        line(out, LedgerMarkdown.STYLE);
        line(out, LedgerMarkdown.KEY_FORMAT + ": " + LedgerMarkdown.FORMAT_VERSION);
        line(out, LedgerMarkdown.KEY_PERIOD + ": " + ledger.period());
        line(out, LedgerMarkdown.FRONT_MATTER_FENCE);
        line(out, "");
        line(out, LedgerMarkdown.periodIntro(ledger.period().toString()));
        line(out, "");
        int summary = open(out, LedgerMarkdown.SUMMARY_HEADING);
        renderSummary(out, LedgerSection.closed().toArray(LedgerSection[]::new), ledger.totals());
        closeSection(out, summary, LedgerMarkdown.SUMMARY_HEADING);
        for (LedgerSection section : LedgerSection.closed()) {
            int start = open(out, section.heading());
            renderRows(out, section, ledger.rows().get(section));
            closeSection(out, start, section.heading());
        }
        return finish(out);
    }

    private static int open(StringBuilder out, String heading) {
        int start = out.length();
        line(out, LedgerMarkdown.HEADING_PREFIX + heading);
        line(out, "");
        return start;
    }

    /** The explanation of the checksums last, where it does not stand between a reader and the figures. */
    private static byte[] finish(StringBuilder out) {
        int checksums = open(out, LedgerMarkdown.CHECKSUMS_HEADING);
        line(out, LedgerMarkdown.CHECKSUM_EXPLANATION);
        line(out, "");
        closeSection(out, checksums, LedgerMarkdown.CHECKSUMS_HEADING);
        String file = Sha256.hex(out.toString().getBytes(StandardCharsets.UTF_8));
        line(out, LedgerMarkdown.fileChecksum(file));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One line per section and currency with invoices, sections in file order; "No invoices." when none has any. */
    private static void renderSummary(StringBuilder out, LedgerSection[] sections,
                                      Map<LedgerSection, Map<Currency, CurrencyTotals>> totals) {
        if (Arrays.stream(sections).allMatch(section -> totals.getOrDefault(section, Map.of()).isEmpty())) {
            line(out, LedgerMarkdown.NO_INVOICES);
            line(out, "");
            return;
        }
        line(out, LedgerMarkdown.SUMMARY_HEADER);
        line(out, LedgerMarkdown.SUMMARY_RULE);
        for (LedgerSection section : sections) {
            for (CurrencyTotals sum : totals.getOrDefault(section, Map.of()).values()) {
                line(out, "| " + section.heading() + " | " + sum.currency().getCurrencyCode() + " | " + sum.invoices()
                        + " | " + sum.amount().toPlainString() + " | " + sum.balance().toPlainString() + " | "
                        + (section.closedAmountColumn().isPresent() ? sum.closedAmount().toPlainString() : "") + " |");
            }
        }
        line(out, "");
    }

    private static void renderRows(StringBuilder out, LedgerSection section, List<LedgerRow> rows) {
        if (rows.isEmpty()) {
            line(out, LedgerMarkdown.NO_INVOICES);
            line(out, "");
            return;
        }
        line(out, LedgerMarkdown.rowsHeader(section));
        line(out, LedgerMarkdown.rowsRule(section));
        for (LedgerRow row : rows) {
            out.append("| ").append(LedgerMarkdown.code(row.key().invoiceNumber()))
                    .append(" | ").append(LedgerMarkdown.code(row.key().client()))
                    .append(" | ").append(row.issuedOn())
                    .append(" | ").append(row.dueOn())
                    .append(" | ").append(row.amount().toPlainString())
                    .append(" | ").append(row.balance().toPlainString());
            row.closedAmount().ifPresent(closed -> out.append(" | ").append(closed.toPlainString()));
            out.append(" | ").append(row.currency().getCurrencyCode())
                    .append(" | ").append(row.enteredOn());
            row.receivedOn().ifPresent(received -> out.append(" | ").append(received));
            row.reason().ifPresent(reason -> out.append(" | ").append(LedgerMarkdown.escape(reason)));
            out.append(" |\n");
        }
        line(out, "");
    }

    private static void renderUnapplied(StringBuilder out, LedgerSnapshot snapshot) {
        if (snapshot.unapplied().isEmpty()) {
            line(out, LedgerMarkdown.NO_HELD_PAYMENTS);
            line(out, "");
            return;
        }
        line(out, LedgerMarkdown.UNAPPLIED_INTRO);
        line(out, "");
        line(out, LedgerMarkdown.UNAPPLIED_HEADER);
        line(out, LedgerMarkdown.UNAPPLIED_RULE);
        for (UnappliedRow row : snapshot.unapplied()) {
            out.append("| ").append(LedgerMarkdown.code(row.key().client()))
                    .append(" | ").append(LedgerMarkdown.code(row.key().invoiceNumber()))
                    .append(" | ").append(LedgerMarkdown.code(row.messageId()))
                    .append(" | ").append(row.receivedOn())
                    .append(" | ").append(row.amount().toPlainString())
                    .append(" | ").append(row.currency().getCurrencyCode())
                    .append(" | ").append(row.status().label())
                    .append(" | ").append(row.reason().map(LedgerMarkdown::escape).orElse(""))
                    .append(" |\n");
        }
        line(out, "");
        line(out, LedgerMarkdown.UNAPPLIED_TOTALS_INTRO);
        line(out, "");
        line(out, LedgerMarkdown.UNAPPLIED_TOTALS_HEADER);
        line(out, LedgerMarkdown.UNAPPLIED_TOTALS_RULE);
        for (UnappliedTotals totals : snapshot.unappliedTotals()) {
            line(out, "| " + totals.currency().getCurrencyCode() + " | " + totals.status().label() + " | "
                    + totals.payments() + " | " + totals.amount().toPlainString() + " |");
        }
        line(out, "");
    }

    private static void renderAgeing(StringBuilder out, AgeingTable ageing, String asOf) {
        if (ageing.balances().isEmpty()) {
            line(out, LedgerMarkdown.NO_OPEN_BALANCES);
            line(out, "");
            return;
        }
        line(out, LedgerMarkdown.ageingIntro(asOf));
        line(out, "");
        line(out, LedgerMarkdown.AGEING_HEADER);
        line(out, LedgerMarkdown.AGEING_RULE);
        for (Map.Entry<Currency, Map<AgeingBucket, Money>> row : ageing.balances().entrySet()) {
            out.append("| ").append(row.getKey().getCurrencyCode());
            for (Money cell : row.getValue().values()) {
                out.append(" | ").append(cell.toPlainString());
            }
            out.append(" | ").append(ageing.total(row.getKey()).toPlainString()).append(" |\n");
        }
        line(out, "");
    }

    /** Ends a section with the checksum of everything from its heading line to here. */
    private static void closeSection(StringBuilder out, int start, String heading) {
        String hex = Sha256.hex(out.substring(start).getBytes(StandardCharsets.UTF_8));
        line(out, LedgerMarkdown.sectionChecksum(heading, hex));
        line(out, "");
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }
}
