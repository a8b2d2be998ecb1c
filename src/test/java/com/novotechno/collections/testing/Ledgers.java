package com.novotechno.collections.testing;

import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.ledger.PeriodLedger;
import com.novotechno.collections.ledger.UnappliedRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Reading a folder's ledger.qmd, and writing doctored ones: consistent in themselves, but wrong. */
public final class Ledgers {

    private Ledgers() {
    }

    public static ParsedLedger parse(Path dataDir) throws IOException {
        return LedgerParser.parse("ledger.qmd", Files.readAllBytes(dataDir.resolve("ledger.qmd")));
    }

    public static List<LedgerRow> rows(Path dataDir, LedgerSection section) throws IOException {
        return parse(dataDir).content().rows().get(section);
    }

    /** The held payments of the ledger's Unapplied section, as written. */
    public static List<UnappliedRow> unapplied(Path dataDir) throws IOException {
        return parse(dataDir).content().unapplied();
    }

    /** The same ledger with its held payments changed and their totals and checksums recomputed to match them. */
    public static LedgerSnapshot withUnapplied(LedgerSnapshot ledger, UnaryOperator<List<UnappliedRow>> edit) {
        LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);
        var time = ledger.asOf().orElseThrow().atStartOfDay().toInstant(ZoneOffset.UTC);
        ledger.allRows().forEach(row -> projection.update(row, time));
        edit.apply(ledger.unapplied()).stream()
                .collect(java.util.stream.Collectors.groupingBy(UnappliedRow::key, java.util.LinkedHashMap::new,
                        java.util.stream.Collectors.toList()))
                .forEach((key, rows) -> projection.updateUnapplied(key, rows, time));
        return projection.snapshot(ledger.lastSeq());
    }

    /** The same ledger with its rows changed and totals, ageing and checksums recomputed to match them. */
    public static LedgerSnapshot withRows(LedgerSnapshot ledger, UnaryOperator<List<LedgerRow>> edit) {
        LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);
        var time = ledger.asOf().orElseThrow().atStartOfDay().toInstant(ZoneOffset.UTC);
        edit.apply(ledger.allRows()).forEach(row -> projection.update(row, time));
        ledger.unapplied().stream()
                .collect(java.util.stream.Collectors.groupingBy(UnappliedRow::key, java.util.LinkedHashMap::new,
                        java.util.stream.Collectors.toList()))
                .forEach((key, rows) -> projection.updateUnapplied(key, rows, time));
        return projection.snapshot(ledger.lastSeq());
    }

    /** A closed period's file rewritten in place with its rows edited, and its totals and every checksum recomputed to match. */
    public static void resealPeriodFile(Path file, UnaryOperator<List<LedgerRow>> edit) throws IOException {
        PeriodLedger written = LedgerParser.parsePeriod(file.getFileName().toString(), Files.readAllBytes(file))
                .content().orElseThrow();
        List<LedgerRow> rows = new ArrayList<>();
        written.rows().values().forEach(rows::addAll);
        Map<LedgerSection, List<LedgerRow>> bySection = new EnumMap<>(LedgerSection.class);
        List<LedgerRow> edited = edit.apply(rows);
        edited.forEach(row -> bySection.computeIfAbsent(row.section(), s -> new ArrayList<>()).add(row));
        Files.write(file, LedgerRenderer.render(new PeriodLedger(written.period(), bySection, CurrencyTotals.bySection(edited))));
    }

    public static void write(Path dataDir, LedgerSnapshot ledger) throws IOException {
        Files.write(dataDir.resolve("ledger.qmd"), LedgerRenderer.render(ledger));
    }
}
