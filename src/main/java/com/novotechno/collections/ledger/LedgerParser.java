package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.IsoDates;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.storage.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Reads ledger.qmd back into sections, rows, totals and ageing, checking every checksum comment.
 * It never throws on a bad file: each problem becomes a fault naming the section or line, and
 * whatever can still be read is returned, so a reconciliation can say what an edit changed.
 */
public final class LedgerParser {

    private static final int FRONT_MATTER_MAX_LINES = 16;

    private final String name;
    private final byte[] bytes;
    /** Whether this is a closed period's file (ledger/paid-YYYY-MM.qmd) rather than ledger.qmd. */
    private final boolean periodFile;
    private final List<Line> lines = new ArrayList<>();
    private final List<String> checksumFaults = new ArrayList<>();
    private final List<String> formatFaults = new ArrayList<>();
    private int frontMatterEnd;
    private boolean fileChecksumMismatch;
    private boolean sectionEdited;

    private record Line(int number, int start, String text) {
    }

    private LedgerParser(String name, byte[] bytes, boolean periodFile) {
        this.name = name;
        this.bytes = bytes;
        this.periodFile = periodFile;
    }

    /** Reads a closed period's file; never throws, as {@link #parse}. */
    public static ParsedPeriodLedger parsePeriod(String name, byte[] bytes) {
        try {
            // Its MAC line, if keyed, is outside what the checksums cover: the verifier checks it.
            return new LedgerParser(name, PeriodFileMac.unseal(bytes).rendered(), true).parsePeriodFile();
        } catch (RuntimeException e) {
            return new ParsedPeriodLedger(Optional.empty(), List.of(), List.of(name + ": cannot be read: " + e));
        }
    }

    private ParsedPeriodLedger parsePeriodFile() {
        splitLines();
        Optional<YearMonth> period = Optional.empty();
        Map<String, Line> frontMatter = readFrontMatter();
        int body = 0;
        if (frontMatter != null) {
            body = frontMatterEnd + 1;
            period = frontMatterValue(frontMatter, LedgerMarkdown.KEY_PERIOD, v -> Optional.of(YearMonth.parse(v)),
                    Optional.<YearMonth>empty());
            checkFormat(frontMatter);
        }
        int fileChecksumLine = checkFileChecksum();
        Map<String, int[]> sections = findSections(body, fileChecksumLine);
        EnumMap<LedgerSection, List<LedgerRow>> rows = new EnumMap<>(LedgerSection.class);
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> totals = new EnumMap<>(LedgerSection.class);
        readSummary(sections.get(LedgerMarkdown.SUMMARY_HEADING), totals, new EnumMap<>(LedgerSection.class));
        for (LedgerSection section : LedgerSection.closed()) {
            List<LedgerRow> sectionRows = new ArrayList<>();
            int[] range = sections.get(section.heading());
            if (range != null) {
                readLedgerSection(section, range, sectionRows);
            }
            rows.put(section, sectionRows);
        }
        readChecksums(sections.get(LedgerMarkdown.CHECKSUMS_HEADING));
        reportDuplicates(rows);
        Optional<PeriodLedger> content = period.map(p -> new PeriodLedger(p, rows, totals));
        if (period.isEmpty() && frontMatter != null) {
            formatFaults.add(name + ": no period in the front matter");
        }
        return new ParsedPeriodLedger(content, checksumFaults, formatFaults);
    }

    private void checkFormat(Map<String, Line> frontMatter) {
        String version = frontMatterValue(frontMatter, LedgerMarkdown.KEY_FORMAT, v -> v, "");
        if (!version.equals(String.valueOf(LedgerMarkdown.FORMAT_VERSION))) {
            formatFaults.add(name + ": ledger-format '" + version + "' is not " + LedgerMarkdown.FORMAT_VERSION);
        }
    }

    /** @param name how faults name the file, e.g. "ledger.qmd" */
    public static ParsedLedger parse(String name, byte[] bytes) {
        try {
            return new LedgerParser(name, bytes, false).parse();
        } catch (RuntimeException e) {
            // Every known problem is a fault already; this is the net under the ones not foreseen.
            // An empty projection has no as-of, so its zone shows nowhere.
            LedgerSnapshot empty = new LedgerProjection(ZoneOffset.UTC).snapshot(Long.MAX_VALUE);
            return new ParsedLedger(empty, new AgeingTable(), List.of(),
                    List.of(name + ": cannot be read: " + e), 0);
        }
    }

    private static Optional<YearMonth> period(String text) {
        return text.equals(LedgerMarkdown.NO_DATE) ? Optional.empty() : Optional.of(YearMonth.parse(text));
    }

    private static long seq(String text) {
        long seq = Long.parseLong(text);
        if (seq < 0) {
            throw new IllegalArgumentException("negative");
        }
        return seq;
    }

    private ParsedLedger parse() {
        splitLines();
        long lastSeq = Long.MAX_VALUE;
        Optional<LocalDate> asOf = Optional.empty();
        Optional<YearMonth> period = Optional.empty();
        Optional<YearMonth> firstPeriod = Optional.empty();
        EnumMap<LedgerSection, List<LedgerRow>> rows = new EnumMap<>(LedgerSection.class);
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> totals = new EnumMap<>(LedgerSection.class);
        AgeingTable ageing = new AgeingTable();
        int body = 0;
        int formatVersion = 0;
        Map<String, Line> frontMatter = readFrontMatter();
        if (frontMatter != null) {
            body = frontMatterEnd + 1;
            lastSeq = frontMatterValue(frontMatter, LedgerMarkdown.KEY_LAST_SEQ, LedgerParser::seq, Long.MAX_VALUE);
            asOf = frontMatterValue(frontMatter, LedgerMarkdown.KEY_AS_OF,
                    v -> v.equals(LedgerMarkdown.NO_DATE) ? Optional.<LocalDate>empty() : Optional.of(IsoDates.date(v)),
                    Optional.<LocalDate>empty());
            period = frontMatterValue(frontMatter, LedgerMarkdown.KEY_PERIOD, LedgerParser::period, Optional.<YearMonth>empty());
            firstPeriod = frontMatterValue(frontMatter, LedgerMarkdown.KEY_FIRST_PERIOD, LedgerParser::period,
                    Optional.<YearMonth>empty());
            String version = frontMatterValue(frontMatter, LedgerMarkdown.KEY_FORMAT, v -> v, "");
            formatVersion = version.matches("[1-9][0-9]{0,3}") ? Integer.parseInt(version) : 0;
            if (!version.equals(String.valueOf(LedgerMarkdown.FORMAT_VERSION))) {
                formatFaults.add(name + ": ledger-format '" + version + "' is not " + LedgerMarkdown.FORMAT_VERSION);
            }
        }
        int fileChecksumLine = checkFileChecksum();
        Map<String, int[]> sections = findSections(body, fileChecksumLine);
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> carried = new EnumMap<>(LedgerSection.class);
        readSummary(sections.get(LedgerMarkdown.SUMMARY_HEADING), totals, carried);
        for (LedgerSection section : LedgerSection.values()) {
            int[] range = sections.get(section.heading());
            List<LedgerRow> sectionRows = new ArrayList<>();
            if (range != null) {
                readLedgerSection(section, range, sectionRows);
            }
            rows.put(section, sectionRows);
        }
        List<UnappliedRow> unapplied = new ArrayList<>();
        List<UnappliedTotals> unappliedTotals = new ArrayList<>();
        int[] unappliedRange = sections.get(LedgerMarkdown.UNAPPLIED_HEADING);
        if (unappliedRange != null) {
            readUnappliedSection(unappliedRange, unapplied, unappliedTotals);
        }
        int[] ageingRange = sections.get(LedgerMarkdown.AGEING_HEADING);
        if (ageingRange != null) {
            ageing = readAgeing(ageingRange, LedgerMarkdown.ageingIntro(asOf.map(Object::toString).orElse(LedgerMarkdown.NO_DATE)));
        }
        readChecksums(sections.get(LedgerMarkdown.CHECKSUMS_HEADING));
        if (period.isPresent() != firstPeriod.isPresent()
                || (period.isPresent() && firstPeriod.get().isAfter(period.get()))) {
            formatFaults.add(name + ": first-period " + firstPeriod.map(Object::toString).orElse("none")
                    + " does not go with period " + period.map(Object::toString).orElse("none"));
            firstPeriod = period;
        }
        reportDuplicates(rows);
        return new ParsedLedger(new LedgerSnapshot(lastSeq, asOf, rows, totals, unapplied, unappliedTotals, period,
                firstPeriod, carried), ageing,
                checksumFaults, formatFaults, formatVersion);
    }

    private void splitLines() {
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && start == bytes.length) {
                    break;
                }
                if (i == bytes.length) {
                    formatFaults.add(name + ":" + (lines.size() + 1) + ": the file does not end with a newline");
                }
                lines.add(new Line(lines.size() + 1, start, decode(start, i, lines.size() + 1)));
                start = i + 1;
            }
        }
    }

    private String decode(int from, int to, int lineNumber) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            formatFaults.add(name + ":" + lineNumber + ": not UTF-8");
            return "";
        }
    }

    /** The key lines between the fences, or null (with a fault) when there is no front matter. */
    private Map<String, Line> readFrontMatter() {
        if (lines.isEmpty() || !lines.get(0).text().equals(LedgerMarkdown.FRONT_MATTER_FENCE)) {
            formatFaults.add(name + ":1: no front matter (a '---' line first)");
            return null;
        }
        Map<String, Line> values = new HashMap<>();
        for (int i = 1; i < Math.min(lines.size(), FRONT_MATTER_MAX_LINES); i++) {
            Line line = lines.get(i);
            if (line.text().equals(LedgerMarkdown.FRONT_MATTER_FENCE)) {
                frontMatterEnd = i;
                return values;
            }
            if (line.text().equals(LedgerMarkdown.TITLE) || line.text().equals(LedgerMarkdown.STYLE)
                    || (periodFile && line.text().startsWith("title: "))) {
                continue;
            }
            int colon = line.text().indexOf(": ");
            if (colon < 0 || values.put(line.text().substring(0, colon), line) != null) {
                formatFaults.add(name + ":" + line.number() + ": not a front matter key of the ledger");
            }
        }
        formatFaults.add(name + ": the front matter has no closing '---'");
        return null;
    }

    private <T> T frontMatterValue(Map<String, Line> frontMatter, String key, Function<String, T> parse,
                                   T fallback) {
        Line line = frontMatter.get(key);
        if (line == null) {
            formatFaults.add(name + ": the front matter has no " + key);
            return fallback;
        }
        String value = line.text().substring(key.length() + 2);
        try {
            return parse.apply(value);
        } catch (RuntimeException e) {
            formatFaults.add(name + ":" + line.number() + ": " + key + " '" + value + "' cannot be read");
            return fallback;
        }
    }

    /** Checks the last line's checksum of all bytes before it; returns that line's index. */
    private int checkFileChecksum() {
        int last = lines.size() - 1;
        Matcher matcher = last < 0 ? null : LedgerMarkdown.FILE_CHECKSUM.matcher(lines.get(last).text());
        if (matcher == null || !matcher.matches()) {
            checksumFaults.add(name + ": the last line is not the file's checksum comment (the file was cut or edited)");
            return lines.size();
        }
        String actual = Sha256.hex(Arrays.copyOfRange(bytes, 0, lines.get(last).start()));
        fileChecksumMismatch = !actual.equals(matcher.group(1));
        return last;
    }

    /** Heading name to {heading line index, checksum comment line index}, checking each section's checksum. */
    private Map<String, int[]> findSections(int from, int end) {
        List<String> expected = LedgerMarkdown.headings(periodFile);
        Map<String, int[]> found = new HashMap<>();
        int next = 0;
        for (int i = from; i < end; i++) {
            String text = lines.get(i).text();
            if (!text.startsWith(LedgerMarkdown.HEADING_PREFIX)) {
                continue;
            }
            String heading = text.substring(LedgerMarkdown.HEADING_PREFIX.length());
            if (next >= expected.size() || !expected.get(next).equals(heading)) {
                formatFaults.add(name + ":" + lines.get(i).number() + ": '" + text + "' where "
                        + (next < expected.size() ? "'## " + expected.get(next) + "'" : "no more sections") + " belongs");
                continue;
            }
            next++;
            int comment = i + 1;
            while (comment < end && !lines.get(comment).text().startsWith(LedgerMarkdown.HEADING_PREFIX)
                    && !LedgerMarkdown.SECTION_CHECKSUM.matcher(lines.get(comment).text()).matches()) {
                comment++;
            }
            Matcher matcher = comment < end ? LedgerMarkdown.SECTION_CHECKSUM.matcher(lines.get(comment).text()) : null;
            if (matcher == null || !matcher.matches() || !matcher.group(1).equals(heading)) {
                sectionEdited = true;
                checksumFaults.add(name + ": section " + heading + " was edited: its checksum comment is missing");
                found.put(heading, new int[] {i, comment});
                continue;
            }
            String actual = Sha256.hex(Arrays.copyOfRange(bytes, lines.get(i).start(), lines.get(comment).start()));
            if (!actual.equals(matcher.group(2))) {
                sectionEdited = true;
                checksumFaults.add(name + ": section " + heading + " was edited: its checksum (line "
                        + lines.get(comment).number() + ") does not match");
            }
            found.put(heading, new int[] {i, comment});
        }
        for (String heading : expected.subList(next, expected.size())) {
            formatFaults.add(name + ": section '## " + heading + "' is missing");
        }
        // A whole-file mismatch adds nothing when an edited section explains it.
        if (fileChecksumMismatch && !sectionEdited) {
            checksumFaults.add(name + ": edited outside the sections (front matter or introduction): the file"
                    + " checksum does not match");
        }
        return found;
    }

    private enum Table { NONE, ROWS, TOTALS }

    private void readLedgerSection(LedgerSection section, int[] range, List<LedgerRow> rows) {
        boolean inTable = false;
        for (int i = range[0] + 1; i < range[1]; i++) {
            Line line = lines.get(i);
            String text = line.text();
            if (text.isEmpty() || (!inTable && text.equals(LedgerMarkdown.NO_INVOICES))) {
                continue;
            }
            if (!inTable && text.equals(LedgerMarkdown.rowsHeader(section))) {
                inTable = true;
            } else if (inTable && text.equals(LedgerMarkdown.rowsRule(section))) {
                continue;
            } else if (inTable) {
                readRow(section, line).ifPresent(rows::add);
            } else {
                formatFaults.add(name + ":" + line.number() + ": unexpected line in section " + section.heading());
            }
        }
    }

    /**
     * The Summary: the totals per section and currency, then (in ledger.qmd) those carried from closed periods.
     * A period's file has only the first table, of its closed sections.
     */
    private void readSummary(int[] range, Map<LedgerSection, Map<Currency, CurrencyTotals>> totals,
                             Map<LedgerSection, Map<Currency, CurrencyTotals>> carried) {
        for (LedgerSection section : periodFile ? LedgerSection.closed() : List.of(LedgerSection.values())) {
            totals.put(section, new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode)));
        }
        LedgerSection.closed().forEach(section -> carried.put(section, new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode))));
        if (range == null) {
            return;
        }
        Map<LedgerSection, Map<Currency, CurrencyTotals>> target = totals;
        boolean inTable = false;
        for (int i = range[0] + 1; i < range[1]; i++) {
            Line line = lines.get(i);
            String text = line.text();
            if (text.isEmpty() || text.equals(LedgerMarkdown.NO_INVOICES) || text.equals(LedgerMarkdown.SUMMARY_RULE)
                    || text.startsWith("Totals per section and currency: ")) {
                continue;
            }
            if (!periodFile && (text.startsWith(LedgerMarkdown.CARRIED_PREFIX) || text.equals(LedgerMarkdown.NOTHING_CARRIED))) {
                target = carried;
                inTable = false;
            } else if (text.equals(LedgerMarkdown.SUMMARY_HEADER)) {
                inTable = true;
            } else if (inTable) {
                Map<LedgerSection, Map<Currency, CurrencyTotals>> into = target;
                readSummaryRow(line, into.keySet()).ifPresent(row -> {
                    if (into.get(row.section()).put(row.totals().currency(), row.totals()) != null) {
                        formatFaults.add(name + ":" + line.number() + ": a second " + row.totals().currency() + " total of "
                                + row.section().heading());
                    }
                });
            } else {
                formatFaults.add(name + ":" + line.number() + ": unexpected line in section " + LedgerMarkdown.SUMMARY_HEADING);
            }
        }
    }

    private record SummaryRow(LedgerSection section, CurrencyTotals totals) {
    }

    private Optional<SummaryRow> readSummaryRow(Line line, java.util.Set<LedgerSection> allowed) {
        try {
            List<String> cells = LedgerMarkdown.cells(line.text());
            if (cells.size() != 6) {
                throw new IllegalArgumentException(cells.size() + " cells, not 6 (" + LedgerMarkdown.SUMMARY_HEADER + ")");
            }
            LedgerSection section = Arrays.stream(LedgerSection.values()).filter(s -> s.heading().equals(cells.get(0)))
                    .findFirst().filter(allowed::contains)
                    .orElseThrow(() -> new IllegalArgumentException("no section '" + cells.get(0) + "' here"));
            Currency currency = currency(cells.get(1));
            Money closed = section.closedAmountColumn().isPresent()
                    ? closedAmount(section, cells.get(5), currency)
                    : emptyCell(cells.get(5), currency);
            return Optional.of(new SummaryRow(section, new CurrencyTotals(currency, Long.parseLong(cells.get(2)),
                    Money.ofStored(cells.get(3), currency), Money.ofStored(cells.get(4), currency), closed)));
        } catch (RuntimeException e) {
            formatFaults.add(name + ":" + line.number() + ": not a total of " + LedgerMarkdown.SUMMARY_HEADING + ": "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private static Money emptyCell(String cell, Currency currency) {
        if (!cell.isEmpty()) {
            throw new IllegalArgumentException("'" + cell + "' where this section has no credited or written-off amount");
        }
        return Money.zero(currency);
    }

    private void readChecksums(int[] range) {
        if (range == null) {
            return;
        }
        for (int i = range[0] + 1; i < range[1]; i++) {
            Line line = lines.get(i);
            if (!line.text().isEmpty() && !line.text().equals(LedgerMarkdown.CHECKSUM_EXPLANATION)) {
                formatFaults.add(name + ":" + line.number() + ": unexpected line in section " + LedgerMarkdown.CHECKSUMS_HEADING);
            }
        }
    }

    /**
     * A row is read by the columns of its section: Amount and Balance, then the closed amount where
     * the section has one, Currency, the entered date, and the Reason where the section has one.
     */
    private Optional<LedgerRow> readRow(LedgerSection section, Line line) {
        try {
            List<String> cells = LedgerMarkdown.cells(line.text());
            int expected = LedgerMarkdown.rowCells(section);
            if (cells.size() != expected) {
                throw new IllegalArgumentException(cells.size() + " cells, not " + expected + " ("
                        + LedgerMarkdown.rowsHeader(section) + ")");
            }
            int next = 6;
            Optional<String> closedCell = section.closedAmountColumn().isPresent()
                    ? Optional.of(cells.get(next++))
                    : Optional.empty();
            Currency currency = currency(cells.get(next++));
            LocalDate enteredOn = IsoDates.date(cells.get(next++));
            Optional<LocalDate> receivedOn = section.hasReceivedColumn()
                    ? Optional.of(IsoDates.date(cells.get(next++)))
                    : Optional.empty();
            Optional<String> reason = section.hasReason()
                    ? Optional.of(LedgerMarkdown.unescape(cells.get(next)))
                    : Optional.empty();
            Optional<Money> closedAmount = closedCell.map(cell -> closedAmount(section, cell, currency));
            InvoiceKey key = new InvoiceKey(LedgerMarkdown.uncode(cells.get(1)), LedgerMarkdown.uncode(cells.get(0)));
            return Optional.of(new LedgerRow(key, section, IsoDates.date(cells.get(2)), IsoDates.date(cells.get(3)),
                    Money.ofStored(cells.get(4), currency), Money.ofStored(cells.get(5), currency), enteredOn, reason,
                    closedAmount, receivedOn));
        } catch (RuntimeException e) {
            formatFaults.add(name + ":" + line.number() + ": not a row of " + section.heading() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A closed amount cell, named by its column when it cannot be read. */
    private static Money closedAmount(LedgerSection section, String cell, Currency currency) {
        try {
            return Money.ofStored(cell, currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(section.closedAmountColumn().orElseThrow() + ": " + e.getMessage(), e);
        }
    }

    private void readUnappliedSection(int[] range, List<UnappliedRow> rows, List<UnappliedTotals> totals) {
        String section = LedgerMarkdown.UNAPPLIED_HEADING;
        Table table = Table.NONE;
        Map<String, Integer> seen = new HashMap<>();
        for (int i = range[0] + 1; i < range[1]; i++) {
            Line line = lines.get(i);
            String text = line.text();
            if (text.isEmpty() || (table == Table.NONE && (text.equals(LedgerMarkdown.NO_HELD_PAYMENTS)
                    || text.equals(LedgerMarkdown.UNAPPLIED_INTRO) || text.equals(LedgerMarkdown.UNAPPLIED_TOTALS_INTRO)))) {
                continue;
            }
            if (text.equals(LedgerMarkdown.UNAPPLIED_HEADER)) {
                table = Table.ROWS;
            } else if (text.equals(LedgerMarkdown.UNAPPLIED_TOTALS_INTRO)) {
                table = Table.NONE;
            } else if (text.equals(LedgerMarkdown.UNAPPLIED_TOTALS_HEADER)) {
                table = Table.TOTALS;
            } else if ((table == Table.ROWS && text.equals(LedgerMarkdown.UNAPPLIED_RULE))
                    || (table == Table.TOTALS && text.equals(LedgerMarkdown.UNAPPLIED_TOTALS_RULE))) {
                continue;
            } else if (table == Table.ROWS) {
                readUnappliedRow(line).ifPresent(row -> {
                    if (seen.put(row.subject(), line.number()) != null) {
                        formatFaults.add(name + ":" + line.number() + ": " + row.subject() + " stands in " + section + " twice");
                    }
                    rows.add(row);
                });
            } else if (table == Table.TOTALS) {
                readUnappliedTotals(line).ifPresent(t -> {
                    if (totals.stream().anyMatch(o -> o.currency().equals(t.currency()) && o.status() == t.status())) {
                        formatFaults.add(name + ":" + line.number() + ": a second " + t.currency() + " " + t.status().label()
                                + " total in " + section);
                    }
                    totals.add(t);
                });
            } else {
                formatFaults.add(name + ":" + line.number() + ": unexpected line in section " + section);
            }
        }
    }

    private Optional<UnappliedRow> readUnappliedRow(Line line) {
        try {
            List<String> cells = LedgerMarkdown.cells(line.text());
            if (cells.size() != 8) {
                throw new IllegalArgumentException(cells.size() + " cells, not 8");
            }
            InvoiceKey key = new InvoiceKey(LedgerMarkdown.uncode(cells.get(0)), LedgerMarkdown.uncode(cells.get(1)));
            Currency currency = currency(cells.get(5));
            UnappliedStatus status = UnappliedStatus.ofLabel(cells.get(6));
            Optional<String> reason = cells.get(7).isEmpty() ? Optional.empty()
                    : Optional.of(LedgerMarkdown.unescape(cells.get(7)));
            return Optional.of(new UnappliedRow(key, LedgerMarkdown.uncode(cells.get(2)), IsoDates.date(cells.get(3)),
                    Money.ofStored(cells.get(4), currency), status, reason));
        } catch (RuntimeException e) {
            formatFaults.add(name + ":" + line.number() + ": not a row of " + LedgerMarkdown.UNAPPLIED_HEADING + ": "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<UnappliedTotals> readUnappliedTotals(Line line) {
        try {
            List<String> cells = LedgerMarkdown.cells(line.text());
            if (cells.size() != 4) {
                throw new IllegalArgumentException(cells.size() + " cells, not 4");
            }
            Currency currency = currency(cells.get(0));
            return Optional.of(new UnappliedTotals(currency, UnappliedStatus.ofLabel(cells.get(1)),
                    Long.parseLong(cells.get(2)), Money.ofStored(cells.get(3), currency)));
        } catch (RuntimeException e) {
            formatFaults.add(name + ":" + line.number() + ": not a total of " + LedgerMarkdown.UNAPPLIED_HEADING + ": "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private AgeingTable readAgeing(int[] range, String intro) {
        AgeingTable ageing = new AgeingTable();
        boolean inTable = false;
        for (int i = range[0] + 1; i < range[1]; i++) {
            Line line = lines.get(i);
            String text = line.text();
            if (text.isEmpty() || text.equals(LedgerMarkdown.NO_OPEN_BALANCES) || text.equals(LedgerMarkdown.AGEING_RULE)
                    || (!inTable && text.equals(intro))) {
                continue;
            }
            if (text.equals(LedgerMarkdown.AGEING_HEADER)) {
                inTable = true;
            } else if (inTable) {
                readAgeingRow(line, ageing);
            } else {
                formatFaults.add(name + ":" + line.number() + ": unexpected line in section " + LedgerMarkdown.AGEING_HEADING);
            }
        }
        return ageing;
    }

    private void readAgeingRow(Line line, AgeingTable ageing) {
        try {
            List<String> cells = LedgerMarkdown.cells(line.text());
            AgeingBucket[] buckets = AgeingBucket.values();
            if (cells.size() != buckets.length + 2) {
                throw new IllegalArgumentException(cells.size() + " cells, not " + (buckets.length + 2));
            }
            Currency currency = currency(cells.get(0));
            if (ageing.balances().containsKey(currency)) {
                throw new IllegalArgumentException("a second " + currency + " row");
            }
            for (int b = 0; b < buckets.length; b++) {
                ageing.add(currency, buckets[b], Money.ofStored(cells.get(b + 1), currency));
            }
            Money total = Money.ofStored(cells.get(buckets.length + 1), currency);
            if (!total.equals(ageing.total(currency))) {
                throw new IllegalArgumentException("total " + total + " is not the sum of its buckets " + ageing.total(currency));
            }
        } catch (RuntimeException e) {
            formatFaults.add(name + ":" + line.number() + ": not an ageing row: " + e.getMessage());
        }
    }

    private void reportDuplicates(Map<LedgerSection, List<LedgerRow>> rows) {
        Map<InvoiceKey, LedgerSection> seen = new HashMap<>();
        rows.forEach((section, sectionRows) -> sectionRows.forEach(row -> {
            LedgerSection earlier = seen.put(row.key(), section);
            if (earlier != null) {
                formatFaults.add(name + ": invoice " + row.key() + " stands in " + earlier.heading() + " and in "
                        + section.heading() + (earlier == section ? " twice" : ""));
            }
        }));
    }

    private static Currency currency(String code) {
        return Currencies.parse(code);
    }
}
