package com.novotechno.collections.reconcile;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.storage.FileStamp;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * ledger.qmd's totals carried from closed periods against the period files, at every tick of the route. The
 * carried totals count each invoice closed in a closed period and closed still, once, by its latest closing
 * (LedgerProjection); so they are the sums of every period file's rows less the rows of invoices that moved on
 * since: reopened (a row in ledger.qmd) or closed again later (a row in a later period's file). Those few rows
 * are found by key hash ({@link PeriodKeyIndex}) and confirmed against the rows themselves, which are read
 * from their file again only when a new one appears or the file changed.
 */
final class CarriedTotals {

    /** Reads the rows {@code keep} selects from a period's file; empty when it is not as the service wrote it. */
    interface RowReader {
        Optional<List<LedgerRow>> read(YearMonth period, Predicate<InvoiceKey> keep) throws IOException;
    }

    /** A file's rows of some key hashes, as read at its stamp. */
    private record Fetched(Optional<FileStamp> stamp, Set<Long> hashes, List<LedgerRow> rows) {
    }

    private final Map<YearMonth, Fetched> fetched = new HashMap<>();

    /**
     * @param files the file of every closed period, oldest first, each {@link ClosedPeriodFile#sound}
     * @param ledgerHits per key hash, the invoice keys of ledger.qmd's rows that some period file may list
     */
    List<Difference> compare(LedgerSnapshot ledger, List<ClosedPeriodFile> files, PeriodKeyIndex index,
                             Map<Long, Set<InvoiceKey>> ledgerHits, RowReader reader) throws IOException {
        Map<YearMonth, Set<Long>> candidates = new TreeMap<>();
        index.shared().forEach((period, hashes) -> candidates.computeIfAbsent(period, p -> new HashSet<>()).addAll(hashes));
        ledgerHits.keySet().forEach(hash -> index.periodsOf(hash).forEach(period ->
                candidates.computeIfAbsent(period, p -> new HashSet<>()).add(hash)));
        Map<YearMonth, List<LedgerRow>> rows = new TreeMap<>();
        for (ClosedPeriodFile file : files) {
            Set<Long> hashes = candidates.getOrDefault(file.period(), Set.of());
            Optional<List<LedgerRow>> read = rows(file, hashes, reader);
            if (read.isEmpty()) {
                return List.of(); // changed since this tick listed it: its next read says how
            }
            rows.put(file.period(), read.get());
        }
        fetched.keySet().removeIf(period -> !rows.containsKey(period) || rows.get(period).isEmpty());
        Map<LedgerSection, Map<Currency, CurrencyTotals>> expected = new EnumMap<>(LedgerSection.class);
        LedgerSection.closed().forEach(section -> expected.put(section, new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode))));
        for (ClosedPeriodFile file : files) {
            file.rowTotals().forEach((section, sums) -> sums.forEach((currency, sum) ->
                    expected.get(section).merge(currency, sum, CurrencyTotals::plus)));
        }
        // Latest first: a row is history once its invoice is in ledger.qmd or in a later period's file.
        Set<InvoiceKey> later = new HashSet<>();
        ledgerHits.values().forEach(later::addAll);
        List<YearMonth> newestFirst = new ArrayList<>(rows.keySet());
        newestFirst.sort(Comparator.reverseOrder());
        for (YearMonth period : newestFirst) {
            List<LedgerRow> periodRows = rows.get(period);
            for (LedgerRow row : periodRows) {
                if (later.contains(row.key())) {
                    expected.get(row.section()).computeIfPresent(row.currency(), (currency, sum) -> nonZero(sum.minus(row)));
                }
            }
            periodRows.forEach(row -> later.add(row.key()));
        }
        return Reconciler.compareCarried(ledger.carried(), expected, "the period files' rows, less those of invoices"
                + " reopened or closed again since,");
    }

    /** The file's rows of these hashes: those read before, while the file is unchanged and had them all. */
    private Optional<List<LedgerRow>> rows(ClosedPeriodFile file, Set<Long> hashes, RowReader reader) throws IOException {
        if (hashes.isEmpty()) {
            return Optional.of(List.of());
        }
        Fetched known = fetched.get(file.period());
        if (known == null || known.stamp().isEmpty() || !known.stamp().equals(file.stamp())
                || !known.hashes().containsAll(hashes)) {
            Set<Long> wanted = Set.copyOf(hashes);
            Optional<List<LedgerRow>> read = reader.read(file.period(), key -> wanted.contains(ClosedPeriodFile.hash(key)));
            if (read.isEmpty()) {
                fetched.remove(file.period());
                return read;
            }
            known = new Fetched(file.stamp(), wanted, List.copyOf(read.get()));
            fetched.put(file.period(), known);
        }
        return Optional.of(known.rows().stream().filter(row -> hashes.contains(ClosedPeriodFile.hash(row.key()))).toList());
    }

    private static CurrencyTotals nonZero(CurrencyTotals totals) {
        return totals.invoices() == 0 ? null : totals;
    }
}
