package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.storage.Sha256;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * A cheap pass over ledger.qmd for the reconcile route, which looks at the whole file every tick:
 * it checks every checksum, sums every row per section and currency (ageing the open balances, and
 * summing section Unapplied per currency and status), and keeps whole only the rows of the invoices
 * asked for. {@link LedgerParser#parse} makes an object per row and per date (5 to 9 s at a million
 * invoices); this one only adds decimals, which keeps the route's tick within its share of a core.
 * {@link #ofPeriod} makes the same pass over a closed period's file.
 *
 * <p>It never reports: a file that is not exactly as the service writes it (a checksum, a section out
 * of {@link LedgerMarkdown#headings} order, or any line it does not expect) gives no tally, and the
 * caller parses the whole file, whose faults name the section and line.
 *
 * @param selected the file as {@link LedgerParser} reads it, but with only the rows asked for: the
 *                 front matter, Summary (with the carried totals), ageing and Unapplied totals as written
 * @param rowTotals per section and currency, the sums of every row of the file
 * @param rowAgeing the ageing of every open row of the file, as of the file's as-of
 * @param unappliedRowTotals the sums of every Unapplied row, per currency and status
 * @param rows the invoice rows in the file
 */
public record LedgerTally(ParsedLedger selected, Map<LedgerSection, Map<Currency, CurrencyTotals>> rowTotals,
                          AgeingTable rowAgeing, List<UnappliedTotals> unappliedRowTotals, long rows) {

    private static final Map<String, LedgerSection> SECTIONS = new HashMap<>();

    static {
        Arrays.stream(LedgerSection.values()).forEach(s -> SECTIONS.put(s.heading(), s));
    }

    /** Which invoice rows a pass keeps whole. */
    @FunctionalInterface
    public interface RowSelector {
        /**
         * @param row the row's place among the file's invoice rows, from 0, in file order
         * @param key its invoice
         */
        boolean keep(long row, InvoiceKey key);
    }

    /**
     * @param wanted the invoices whose rows (in any section, and in Unapplied) are kept whole
     * @param everyKey told the key of every row, invoice or held payment, as it passes
     * @return empty when the file is not exactly as the service writes it
     */
    public static Optional<LedgerTally> of(String name, byte[] bytes, Predicate<InvoiceKey> wanted,
                                           Consumer<InvoiceKey> everyKey) {
        return of(name, bytes, wanted, everyKey, key -> { });
    }

    /**
     * @param everyInvoice told the key of every invoice row (not a held payment's) as it passes
     */
    public static Optional<LedgerTally> of(String name, byte[] bytes, Predicate<InvoiceKey> wanted,
                                           Consumer<InvoiceKey> everyKey, Consumer<InvoiceKey> everyInvoice) {
        try {
            Scan scan = new Scan(bytes, false, (row, key) -> wanted.test(key), wanted, everyKey.andThen(everyInvoice),
                    everyKey);
            if (!scan.run()) {
                return Optional.empty();
            }
            ParsedLedger parsed = LedgerParser.parse(name, scan.kept());
            // The rows left out change the sections' checksums, which were checked above on the whole file.
            if (!parsed.formatFaults().isEmpty() || parsed.formatVersion() != LedgerMarkdown.FORMAT_VERSION) {
                return Optional.empty();
            }
            ParsedLedger selected = new ParsedLedger(parsed.content(), parsed.ageing(), List.of(), List.of(),
                    parsed.formatVersion());
            return Optional.of(new LedgerTally(selected, scan.rowTotals(), scan.rowAgeing(parsed.content().asOf()),
                    scan.unappliedRowTotals(), scan.rows));
        } catch (RuntimeException unexpected) {
            return Optional.empty(); // the whole parse says what is wrong, naming the line
        }
    }

    /**
     * The same pass over a closed period's file (ledger/paid-YYYY-MM.qmd).
     *
     * @param keep which rows are kept whole in {@link PeriodTally#selected}
     * @param everyKey told the key of every row as it passes
     * @return empty when the file is not exactly as the service writes it
     */
    public static Optional<PeriodTally> ofPeriod(String name, byte[] bytes, RowSelector keep,
                                                 Consumer<InvoiceKey> everyKey) {
        try {
            // Its MAC line, if keyed, is outside what the checksums cover (verify checks it).
            Scan scan = new Scan(PeriodFileMac.unseal(bytes).rendered(), true, keep, key -> false, everyKey, key -> { });
            if (!scan.run()) {
                return Optional.empty();
            }
            ParsedPeriodLedger parsed = LedgerParser.parsePeriod(name, scan.kept());
            if (!parsed.formatFaults().isEmpty() || parsed.content().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PeriodTally(new ParsedPeriodLedger(parsed.content(), List.of(), List.of()),
                    scan.rowTotals(), scan.rows));
        } catch (RuntimeException unexpected) {
            return Optional.empty();
        }
    }

    /** Sums of one section's rows in one currency, as plain decimals: a Money per row would cost as much as a parse. */
    private static final class Sums {
        long count;
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal balance = BigDecimal.ZERO;
        BigDecimal closed = BigDecimal.ZERO;
    }

    private static final class Scan {
        private final byte[] bytes;
        /** The sections in the order the file must give them: ledger.qmd's, or a period file's. */
        private final List<String> headings;
        private final RowSelector keep;
        private final Predicate<InvoiceKey> keepHeld;
        /** Told each invoice row's key, and each held payment's. */
        private final Consumer<InvoiceKey> everyRow;
        private final Consumer<InvoiceKey> everyHeld;
        private final ByteArrayOutputStream kept;
        private final Map<String, Currency> currencies = new HashMap<>();
        private final Map<LedgerSection, Map<Currency, Sums>> sums = new EnumMap<>(LedgerSection.class);
        /** Open balances per currency and due date: far fewer dates than rows, so each is parsed once. */
        private final Map<Currency, Map<String, BigDecimal>> openByDue = new HashMap<>();
        private final Map<Currency, Map<UnappliedStatus, Sums>> unappliedSums = new HashMap<>();
        private long rows;

        Scan(byte[] bytes, boolean periodFile, RowSelector keep, Predicate<InvoiceKey> keepHeld,
             Consumer<InvoiceKey> everyRow, Consumer<InvoiceKey> everyHeld) {
            this.bytes = bytes;
            this.headings = LedgerMarkdown.headings(periodFile);
            this.keep = keep;
            this.keepHeld = keepHeld;
            this.everyRow = everyRow;
            this.everyHeld = everyHeld;
            this.kept = new ByteArrayOutputStream(64 * 1024);
        }

        byte[] kept() {
            return kept.toByteArray();
        }

        /** Walks the file, checking every checksum and summing every row; false when it is not as the service writes it. */
        boolean run() {
            int lastLineStart = lastLineStart();
            Matcher file = LedgerMarkdown.FILE_CHECKSUM.matcher(text(lastLineStart, bytes.length - 1));
            if (bytes.length == 0 || bytes[bytes.length - 1] != '\n' || !file.matches()
                    || !Sha256.hex(Arrays.copyOfRange(bytes, 0, lastLineStart)).equals(file.group(1))) {
                return false;
            }
            int next = 0;            // index into headings of the section expected next
            int sectionStart = -1;   // where the open section's heading line starts; -1 between sections
            String heading = null;
            boolean inRows = false;
            for (int start = 0; start < lastLineStart; ) {
                int end = indexOf('\n', start);
                String text = text(start, end);
                if (text.startsWith(LedgerMarkdown.HEADING_PREFIX)) {
                    if (sectionStart >= 0 || next >= headings.size()
                            || !headings.get(next).equals(text.substring(LedgerMarkdown.HEADING_PREFIX.length()))) {
                        return false;
                    }
                    heading = headings.get(next++);
                    sectionStart = start;
                    inRows = false;
                    keep(start, end);
                } else if (sectionStart >= 0 && text.startsWith("<!-- sha256 section=")) {
                    Matcher section = LedgerMarkdown.SECTION_CHECKSUM.matcher(text);
                    if (!section.matches() || !section.group(1).equals(heading)
                            || !Sha256.hex(Arrays.copyOfRange(bytes, sectionStart, start)).equals(section.group(2))) {
                        return false;
                    }
                    sectionStart = -1;
                    keep(start, end);
                } else if (inRows && text.startsWith("| ")) {
                    if (!row(heading, text)) {
                        keep(start, end);
                    }
                } else {
                    inRows = sectionStart >= 0 && isRule(heading, text);
                    keep(start, end);
                }
                start = end + 1;
            }
            if (sectionStart >= 0 || next != headings.size()) {
                return false;
            }
            keep(lastLineStart, bytes.length - 1);
            return true;
        }

        /** The rule line under a table's header: the rows follow it. */
        private static boolean isRule(String heading, String text) {
            if (heading.equals(LedgerMarkdown.UNAPPLIED_HEADING)) {
                return text.equals(LedgerMarkdown.UNAPPLIED_RULE);
            }
            LedgerSection section = SECTIONS.get(heading);
            return section != null && text.equals(LedgerMarkdown.rowsRule(section));
        }

        /** Adds one row to the sums; true when it is left out of {@link #kept}. */
        private boolean row(String heading, String text) {
            List<String> cells = LedgerMarkdown.cells(text);
            if (heading.equals(LedgerMarkdown.UNAPPLIED_HEADING)) {
                require(cells.size() == 8);
                InvoiceKey key = new InvoiceKey(LedgerMarkdown.uncode(cells.get(0)), LedgerMarkdown.uncode(cells.get(1)));
                everyHeld.accept(key);
                Currency currency = currency(cells.get(5));
                Sums sum = unappliedSums.computeIfAbsent(currency, c -> new EnumMap<>(UnappliedStatus.class))
                        .computeIfAbsent(UnappliedStatus.ofLabel(cells.get(6)), s -> new Sums());
                sum.count++;
                sum.amount = sum.amount.add(decimal(cells.get(4)));
                return !keepHeld.test(key);
            }
            LedgerSection section = SECTIONS.get(heading);
            require(cells.size() == LedgerMarkdown.rowCells(section));
            InvoiceKey key = new InvoiceKey(LedgerMarkdown.uncode(cells.get(1)), LedgerMarkdown.uncode(cells.get(0)));
            everyRow.accept(key);
            int next = 6;
            BigDecimal closed = section.closedAmountColumn().isPresent() ? decimal(cells.get(next++)) : BigDecimal.ZERO;
            Currency currency = currency(cells.get(next));
            BigDecimal balance = decimal(cells.get(5));
            Sums sum = sums.computeIfAbsent(section, s -> new HashMap<>()).computeIfAbsent(currency, c -> new Sums());
            sum.count++;
            sum.amount = sum.amount.add(decimal(cells.get(4)));
            sum.balance = sum.balance.add(balance);
            sum.closed = sum.closed.add(closed);
            if (section.isOpen()) {
                openByDue.computeIfAbsent(currency, c -> new HashMap<>()).merge(cells.get(3), balance, BigDecimal::add);
            }
            return !keep.keep(rows++, key);
        }

        Map<LedgerSection, Map<Currency, CurrencyTotals>> rowTotals() {
            Map<LedgerSection, Map<Currency, CurrencyTotals>> totals = new EnumMap<>(LedgerSection.class);
            for (LedgerSection section : LedgerSection.values()) {
                Map<Currency, CurrencyTotals> byCurrency = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
                sums.getOrDefault(section, Map.of()).forEach((currency, sum) -> byCurrency.put(currency,
                        new CurrencyTotals(currency, sum.count, money(sum.amount, currency), money(sum.balance, currency),
                                money(sum.closed, currency))));
                totals.put(section, byCurrency);
            }
            return totals;
        }

        AgeingTable rowAgeing(Optional<LocalDate> asOf) {
            AgeingTable ageing = new AgeingTable();
            if (asOf.isEmpty()) {
                return ageing; // no date to age against: the file shows no ageing either
            }
            openByDue.forEach((currency, byDue) -> byDue.forEach((due, balance) ->
                    ageing.add(currency, AgeingBucket.of(LocalDate.parse(due), asOf.get()), money(balance, currency))));
            return ageing;
        }

        List<UnappliedTotals> unappliedRowTotals() {
            List<UnappliedTotals> totals = new ArrayList<>();
            unappliedSums.forEach((currency, byStatus) -> byStatus.forEach((status, sum) ->
                    totals.add(new UnappliedTotals(currency, status, sum.count, money(sum.amount, currency)))));
            totals.sort(UnappliedTotals.ORDER);
            return totals;
        }

        private Currency currency(String code) {
            return currencies.computeIfAbsent(code, Currencies::parse);
        }

        /** A stored amount: plain digits at the currency's scale, which {@link #money} checks once per sum. */
        private static BigDecimal decimal(String cell) {
            require(!cell.isEmpty() && cell.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.'));
            return new BigDecimal(cell);
        }

        private static Money money(BigDecimal sum, Currency currency) {
            return new Money(sum.setScale(Currencies.fractionDigits(currency)), currency);
        }

        private void keep(int start, int end) {
            kept.write(bytes, start, end - start + 1);
        }

        private int lastLineStart() {
            int end = bytes.length - 1;
            int start = end - 1;
            while (start >= 0 && bytes[start] != '\n') {
                start--;
            }
            return start + 1;
        }

        private int indexOf(int b, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            throw new IllegalStateException("no newline after offset " + from);
        }

        private String text(int start, int end) {
            return new String(bytes, start, Math.max(0, end - start), StandardCharsets.UTF_8);
        }

        private static void require(boolean condition) {
            if (!condition) {
                throw new IllegalArgumentException("not as the service writes it");
            }
        }
    }
}
