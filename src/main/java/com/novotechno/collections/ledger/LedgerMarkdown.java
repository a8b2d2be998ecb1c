package com.novotechno.collections.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fixed text of ledger.qmd that the renderer writes and the parser expects, in one place so
 * the two cannot drift apart, and the escaping of free text (a reason) in a table cell.
 *
 * <p>An invoice section's rows have the columns
 * {@code Invoice | Client | Issued | Due | Amount | Balance | [closed amount] | Currency | <entered> | [Reason]}:
 * the closed amount ({@code Credited}, {@code Written off}) only in the sections that have one, the
 * Reason only in Escalated, Void and Written off. Its totals per currency have
 * {@code Currency | Invoices | Amount | Balance | [closed amount]}, the sum of the same column.
 */
final class LedgerMarkdown {

    /**
     * 2 added the section Unapplied; 3 the closed sections Credited, Void and Written off; 4 the Summary
     * and Ageing first, the closed periods' files and the totals carried from them, Paid's Received
     * column, and the checksums' explanation last.
     */
    static final int FORMAT_VERSION = 4;
    static final String FRONT_MATTER_FENCE = "---";
    static final String TITLE = "title: \"NovoTechno Collections ledger\"";
    /**
     * For an HTML reader (Pandoc, Quarto): a page wide enough for the invoice tables, and cells that do not
     * wrap at the hyphens of invoice numbers and dates (the last column, a reason, wraps as text does).
     */
    static final String STYLE = "header-includes: \"<style>body { max-width: 96em; } table { font-size: 85%; }"
            + " td, td code { white-space: nowrap; } td:last-child { white-space: normal; min-width: 14em; }</style>\"";
    static final String KEY_FORMAT = "ledger-format";
    static final String KEY_AS_OF = "as-of";
    static final String KEY_LAST_SEQ = "last-seq";
    static final String KEY_PERIOD = "period";
    static final String KEY_FIRST_PERIOD = "first-period";
    static final String SUMMARY_HEADING = "Summary";
    static final String CHECKSUMS_HEADING = "Checksums";
    static final String SUMMARY_HEADER = "| Section | Currency | Invoices | Amount | Balance | Credited or written off |";
    static final String SUMMARY_RULE = "|:-----------|:----|--:|-------------:|-------------:|-------------:|";
    static final String NOTHING_CARRIED = "Nothing is carried: no period has closed yet.";
    static final String NO_DATE = "none";

    static final String HEADING_PREFIX = "## ";
    static final String AGEING_HEADING = "Ageing";
    static final String NO_INVOICES = "No invoices.";
    static final String AGEING_HEADER = "| Currency | Current | 1-30 | 31-60 | 61-90 | 90+ | Total |";
    static final String AGEING_RULE = "|:----|-------------:|-------------:|-------------:|-------------:|-------------:|-------------:|";
    static final String NO_OPEN_BALANCES = "No open balances.";
    static final String UNAPPLIED_HEADING = "Unapplied";
    static final String NO_HELD_PAYMENTS = "No held payments.";
    static final String UNAPPLIED_INTRO = "Payments accepted for an invoice not yet issued, held until it arrives; and"
            + " money to refund (with the reason): a payment that did not fit its invoice or whose invoice did not come"
            + " in time, or the part of a payment above its invoice's balance.";
    static final String UNAPPLIED_HEADER = "| Client | Invoice | Payment | Received | Amount | Currency | Status | Reason |";
    static final String UNAPPLIED_RULE = "|:-----------|:--------------|:--------------|:-----------|-------------:|:-----|:---------|:----------------------|";
    static final String UNAPPLIED_TOTALS_INTRO = "Totals per currency and status:";
    static final String UNAPPLIED_TOTALS_HEADER = "| Currency | Status | Payments | Amount |";
    static final String UNAPPLIED_TOTALS_RULE = "|:----|:---------|--:|-------------:|";

    /** A section's name is words of letters, one space apart ("Written off"). */
    static final Pattern SECTION_CHECKSUM = Pattern.compile("<!-- sha256 section=([A-Za-z]+(?: [A-Za-z]+)*) ([0-9a-f]{64}) -->");
    static final Pattern FILE_CHECKSUM = Pattern.compile("<!-- sha256 file ([0-9a-f]{64}) -->");

    /** The line that tells any reader how to recompute every checksum. */
    static final String CHECKSUM_EXPLANATION = "Each `<!-- sha256 section=NAME HEX -->` comment is the"
            + " SHA-256, in lower-case hex, of the UTF-8 bytes from the first byte of the `## NAME` heading line up to"
            + " the comment line, not including it; the `<!-- sha256 file HEX -->` comment on the last line is the"
            + " SHA-256 of every byte of the file before that line.";

    /** Characters Markdown, Pandoc or Quarto could read as markup (Quarto reads @ as a citation, $ as math). */
    private static final String SPECIAL = "\\`*_[]<>|#~$&@{}^!";

    private LedgerMarkdown() {
    }

    static final String RECEIVED_COLUMN = "Received";

    static String rowsHeader(LedgerSection section) {
        return "| Invoice | Client | Issued | Due | Amount | Balance | "
                + section.closedAmountColumn().map(column -> column + " | ").orElse("")
                + "Currency | " + section.enteredColumn() + (section.hasReceivedColumn() ? " | " + RECEIVED_COLUMN : "")
                + (section.hasReason() ? " | Reason |" : " |");
    }

    /**
     * Dashes in proportion to each column's width: Pandoc sizes the columns of a wide pipe table by
     * them, so invoice numbers, dates and amounts get room enough not to wrap.
     */
    static String rowsRule(LedgerSection section) {
        return "|:--------------|:-----------|:-----------|:-----------|-------------:|-------------:|"
                + (section.closedAmountColumn().isPresent() ? "-------------:|" : "") + ":-----|:-----------|"
                + (section.hasReceivedColumn() ? ":-----------|" : "")
                + (section.hasReason() ? ":----------------------|" : "");
    }

    /** How many cells a row of the section has. */
    static int rowCells(LedgerSection section) {
        return 8 + (section.closedAmountColumn().isPresent() ? 1 : 0) + (section.hasReason() ? 1 : 0)
                + (section.hasReceivedColumn() ? 1 : 0);
    }

    /**
     * The sections' headings in the order the file gives them: in ledger.qmd the Summary and Ageing first, the
     * invoice sections, Unapplied, and the Checksums last; in a closed period's file the Summary, its four
     * closed sections and the Checksums. The parser and the tally both walk this list, so neither drifts.
     */
    static List<String> headings(boolean periodFile) {
        List<String> headings = new ArrayList<>();
        headings.add(SUMMARY_HEADING);
        if (periodFile) {
            LedgerSection.closed().forEach(section -> headings.add(section.heading()));
        } else {
            headings.add(AGEING_HEADING);
            Arrays.stream(LedgerSection.values()).forEach(section -> headings.add(section.heading()));
            headings.add(UNAPPLIED_HEADING);
        }
        headings.add(CHECKSUMS_HEADING);
        return List.copyOf(headings);
    }

    static String intro(String asOf, long lastSeq, String period) {
        return "The open invoices, and those closed in period " + period + "; the invoices closed in an earlier period"
                + " are in its own file, ledger/paid-YYYY-MM.qmd. Balances are aged as of " + asOf + ", the day of the"
                + " latest event reflected (log seq " + lastSeq + "). Amounts are exact decimals. Written by the"
                + " NovoTechno Collections service from its event log: do not edit it, edits are detected.";
    }

    static String summaryIntro(String period) {
        return "Totals per section and currency: the open sections, and the invoices closed in period " + period + ".";
    }

    static final String CARRIED_PREFIX = "Carried from the closed period";

    static String carriedIntro(String firstPeriod, String lastClosed) {
        String periods = firstPeriod.equals(lastClosed) ? " " + firstPeriod : "s " + firstPeriod + " to " + lastClosed;
        return CARRIED_PREFIX + periods + " (ledger/paid-YYYY-MM.qmd): the invoices closed then and closed still;"
                + " one reopened since counts in its section above instead.";
    }

    static String periodTitle(String period) {
        return "title: \"NovoTechno Collections ledger, period " + period + "\"";
    }

    static String periodIntro(String period) {
        return "The invoices the NovoTechno Collections service closed in period " + period + " (paid, credited, void,"
                + " written off), as they stood when the period ended. Written once and never rewritten, but to erase a"
                + " client's texts: an invoice reopened later stays here as it closed, and shows in ledger.qmd. Do not edit"
                + " it; edits are detected.";
    }


    static String ageingIntro(String asOf) {
        return "Open balances (Unpaid and Escalated) by days past due, as of " + asOf + ".";
    }

    static String sectionChecksum(String heading, String hex) {
        return "<!-- sha256 section=" + heading + " " + hex + " -->";
    }

    static String fileChecksum(String hex) {
        return "<!-- sha256 file " + hex + " -->";
    }

    /**
     * Backslash-escapes every character that could be read as markup, so a reason renders as typed
     * (checked with Pandoc), but for the typographic quotes and dashes a renderer may substitute.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** The inverse of {@link #escape}; a backslash before anything but a special character is refused. */
    static String unescape(String cell) {
        StringBuilder text = new StringBuilder(cell.length());
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (SPECIAL.indexOf(c) >= 0 && c != '\\') {
                throw new IllegalArgumentException("unescaped '" + c + "'");
            }
            if (c == '\\') {
                if (i + 1 == cell.length() || SPECIAL.indexOf(cell.charAt(i + 1)) < 0) {
                    throw new IllegalArgumentException("a backslash escapes nothing");
                }
                c = cell.charAt(++i);
            }
            text.append(c);
        }
        return text.toString();
    }

    /** The cells of a table line {@code | a | b |}, split at pipes that are not escaped, trimmed. */
    static List<String> cells(String line) {
        if (!line.startsWith("| ") || !line.endsWith(" |")) {
            throw new IllegalArgumentException("not a table row");
        }
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < line.length() - 1; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() - 1) {
                cell.append(c).append(line.charAt(++i));
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    /** A name in a code span: Markdown shows it literally, and names hold no backtick. */
    static String code(String name) {
        return "`" + name + "`";
    }

    static String uncode(String cell) {
        if (cell.length() < 3 || cell.charAt(0) != '`' || cell.charAt(cell.length() - 1) != '`') {
            throw new IllegalArgumentException("'" + cell + "' is not a `name`");
        }
        return cell.substring(1, cell.length() - 1);
    }
}
