package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Money;
import com.novotechno.collections.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link LedgerSnapshot} as ledger.qmd: front matter, an introduction saying what the
 * checksums cover, the invoice sections (Unpaid, Paid, Escalated, Credited, Void, Written off) each
 * with its rows, totals per currency and checksum comment, the held payments (Unapplied), the ageing, and the whole file's checksum on the last line.
 * The same snapshot always gives the same bytes.
 */
public final class LedgerRenderer {

    private LedgerRenderer() {
    }

    public static byte[] render(LedgerSnapshot snapshot) {
        String asOf = snapshot.asOf().map(Object::toString).orElse(LedgerMarkdown.NO_DATE);
        int rows = snapshot.rows().values().stream().mapToInt(List::size).sum() + snapshot.unapplied().size();
        StringBuilder out = new StringBuilder(4096 + 100 * rows);
        line(out, LedgerMarkdown.FRONT_MATTER_FENCE);
        line(out, LedgerMarkdown.TITLE);
        line(out, LedgerMarkdown.KEY_FORMAT + ": " + LedgerMarkdown.FORMAT_VERSION);
        line(out, LedgerMarkdown.KEY_AS_OF + ": " + asOf);
        line(out, LedgerMarkdown.KEY_LAST_SEQ + ": " + snapshot.lastSeq());
        line(out, LedgerMarkdown.FRONT_MATTER_FENCE);
        line(out, "");
        line(out, LedgerMarkdown.intro(asOf, snapshot.lastSeq()));
        line(out, "");
        line(out, LedgerMarkdown.CHECKSUM_EXPLANATION);
        line(out, "");
        for (LedgerSection section : LedgerSection.values()) {
            int start = out.length();
            line(out, LedgerMarkdown.HEADING_PREFIX + section.heading());
            line(out, "");
            renderSection(out, section, snapshot);
            closeSection(out, start, section.heading());
        }
        int unappliedStart = out.length();
        line(out, LedgerMarkdown.HEADING_PREFIX + LedgerMarkdown.UNAPPLIED_HEADING);
        line(out, "");
        renderUnapplied(out, snapshot);
        closeSection(out, unappliedStart, LedgerMarkdown.UNAPPLIED_HEADING);
        int start = out.length();
        line(out, LedgerMarkdown.HEADING_PREFIX + LedgerMarkdown.AGEING_HEADING);
        line(out, "");
        renderAgeing(out, snapshot.ageing(), asOf);
        closeSection(out, start, LedgerMarkdown.AGEING_HEADING);
        String file = Sha256.hex(out.toString().getBytes(StandardCharsets.UTF_8));
        line(out, LedgerMarkdown.fileChecksum(file));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void renderSection(StringBuilder out, LedgerSection section, LedgerSnapshot snapshot) {
        if (snapshot.rows().get(section).isEmpty()) {
            line(out, LedgerMarkdown.NO_INVOICES);
            line(out, "");
            return;
        }
        line(out, LedgerMarkdown.rowsHeader(section));
        line(out, LedgerMarkdown.rowsRule(section));
        for (LedgerRow row : snapshot.rows().get(section)) {
            out.append("| ").append(LedgerMarkdown.code(row.key().invoiceNumber()))
                    .append(" | ").append(LedgerMarkdown.code(row.key().client()))
                    .append(" | ").append(row.issuedOn())
                    .append(" | ").append(row.dueOn())
                    .append(" | ").append(row.amount().toPlainString())
                    .append(" | ").append(row.balance().toPlainString());
            row.closedAmount().ifPresent(closed -> out.append(" | ").append(closed.toPlainString()));
            out.append(" | ").append(row.currency().getCurrencyCode())
                    .append(" | ").append(row.enteredOn());
            row.reason().ifPresent(reason -> out.append(" | ").append(LedgerMarkdown.escape(reason)));
            out.append(" |\n");
        }
        line(out, "");
        line(out, LedgerMarkdown.TOTALS_INTRO);
        line(out, "");
        line(out, LedgerMarkdown.totalsHeader(section));
        line(out, LedgerMarkdown.totalsRule(section));
        boolean closedColumn = section.closedAmountColumn().isPresent();
        for (CurrencyTotals totals : snapshot.totals().get(section).values()) {
            line(out, "| " + totals.currency().getCurrencyCode() + " | " + totals.invoices() + " | "
                    + totals.amount().toPlainString() + " | " + totals.balance().toPlainString() + " |"
                    + (closedColumn ? " " + totals.closedAmount().toPlainString() + " |" : ""));
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
