package com.novotechno.collections.reconcile;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.LedgerTally;
import com.novotechno.collections.ledger.PeriodLedger;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileStamp;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reconcile route's share of what {@code reconcile} checks of the closed periods' files
 * (ledger/paid-YYYY-MM.qmd, {@link PeriodFiles}), spread over its ticks. At every tick: one file per closed
 * period and no other, what each file says of itself (its checksums, its period, its totals against its
 * rows: kept per file and read again once the file's stamp changes), and ledger.qmd's carried totals
 * against the files ({@link CarriedTotals}). Over the ticks: the next rows of the files ({@link PeriodSweep})
 * against their state files, so that every row is compared once per collections.reconcile.full-period,
 * and each file read whole again as the sweep comes to it, whatever its stamp says. A row that differed is
 * compared again at the next tick, so that two ticks in a row can confirm it. Not thread-safe: the timer
 * route calls it in turn.
 */
final class ClosedPeriodCheck {

    private static final Pattern FILE_NAME = Pattern.compile("paid-([0-9]{4}-[0-9]{2})\\.qmd");

    /** Reads an invoice's state file as the slice does; empty when it has none (or none that can be read). */
    interface StateReader {
        Optional<Reconciler.StateRow> read(InvoiceKey key) throws IOException;
    }

    private final Storage storage;
    private final DataLayout layout;
    private final PeriodSweep sweep;
    private final Map<YearMonth, ClosedPeriodFile> files = new TreeMap<>();
    private final PeriodKeyIndex index = new PeriodKeyIndex();
    private final CarriedTotals carried = new CarriedTotals();
    private List<Path> listed = List.of();
    private Map<Long, Set<InvoiceKey>> ledgerHits = new HashMap<>();
    private Map<YearMonth, Set<InvoiceKey>> watched = Map.of();
    private SweptFile swept;

    /** The rows of the file the sweep is in, as read at its stamp in that cycle of the sweep. */
    private record SweptFile(YearMonth period, long cycle, Optional<FileStamp> stamp, List<LedgerRow> rows) {
    }

    ClosedPeriodCheck(Storage storage, DataLayout layout, ReconcileSchedule schedule) {
        this.storage = storage;
        this.layout = layout;
        this.sweep = new PeriodSweep(schedule);
    }

    /**
     * Lists ledger/ and reads each period's file whose stamp changed since it was read. Called after ledger.qmd
     * was read: the service writes a period's file before the ledger.qmd that counts it closed, so every file
     * that ledger.qmd names is there by now.
     */
    void refresh() throws IOException {
        ledgerHits = new HashMap<>();
        listed = storage.exists(layout.ledgerPeriods()) ? storage.list(layout.ledgerPeriods()) : List.of();
        Set<YearMonth> present = new HashSet<>();
        for (Path entry : listed) {
            Optional<YearMonth> period = periodOf(entry);
            if (period.isEmpty()) {
                continue; // not a period's file: a stray, which check() names
            }
            present.add(period.get());
            ClosedPeriodFile known = files.get(period.get());
            Optional<FileStamp> stamp = storage.stamp(entry);
            if (known == null || stamp.isEmpty() || !stamp.equals(known.stamp())) {
                read(period.get(), (row, key) -> false);
            }
        }
        for (YearMonth gone : new ArrayList<>(files.keySet())) {
            if (!present.contains(gone)) {
                files.remove(gone);
                index.remove(gone);
            }
        }
    }

    /** Told the key of each invoice row of ledger.qmd, as its pass goes: an invoice closed in a period and now here moved on. */
    void ledgerRow(InvoiceKey key) {
        long hash = ClosedPeriodFile.hash(key);
        if (index.mayHold(hash)) {
            ledgerHits.computeIfAbsent(hash, h -> new HashSet<>(2)).add(key);
        }
    }

    /** False only when the period's file, read, lists no row of the invoice. */
    boolean mayList(YearMonth period, InvoiceKey key) {
        ClosedPeriodFile file = files.get(period);
        return file == null || !file.sound() || index.mayList(period, ClosedPeriodFile.hash(key));
    }

    /**
     * @param ledger ledger.qmd as read at this tick (its periods and carried totals)
     * @param states reads the state file of each period row compared
     */
    List<Difference> check(LedgerSnapshot ledger, StateReader states) throws IOException {
        List<Difference> differences = new ArrayList<>();
        List<YearMonth> closed = PeriodFiles.closed(ledger);
        List<ClosedPeriodFile> closedFiles = new ArrayList<>();
        for (YearMonth period : closed) {
            ClosedPeriodFile file = files.get(period);
            if (file == null) {
                differences.add(PeriodFiles.missing(period));
            } else {
                differences.addAll(file.differences());
                closedFiles.add(file);
            }
        }
        differences.addAll(PeriodFiles.strays(listed, ledger));
        // A missing or unsound file is its own difference; its rows cannot speak for the carried totals.
        if (closedFiles.size() == closed.size() && closedFiles.stream().allMatch(ClosedPeriodFile::sound)) {
            differences.addAll(carried.compare(ledger, closedFiles, index, ledgerHits, this::readRows));
        }
        differences.addAll(sweepRows(closedFiles, states));
        return differences;
    }

    /** The next rows of the sweep, and those that differed at the last tick, against their state files. */
    private List<Difference> sweepRows(List<ClosedPeriodFile> closedFiles, StateReader states) throws IOException {
        SortedMap<YearMonth, Long> rows = new TreeMap<>();
        closedFiles.forEach(file -> rows.put(file.period(), file.rows()));
        Map<YearMonth, List<PeriodSweep.Range>> ranges = new TreeMap<>();
        sweep.next(rows).forEach(range -> ranges.computeIfAbsent(range.period(), p -> new ArrayList<>()).add(range));
        Map<YearMonth, Set<InvoiceKey>> again = watched;
        again.keySet().stream().filter(rows::containsKey).forEach(period -> ranges.putIfAbsent(period, List.of()));
        Map<YearMonth, Set<InvoiceKey>> differing = new HashMap<>();
        List<Difference> differences = new ArrayList<>();
        for (Map.Entry<YearMonth, List<PeriodSweep.Range>> file : ranges.entrySet()) {
            YearMonth period = file.getKey();
            Set<InvoiceKey> keys = again.getOrDefault(period, Set.of());
            List<LedgerRow> selected = new ArrayList<>();
            if (file.getValue().isEmpty()) {
                selected.addAll(read(period, (row, key) -> keys.contains(key)).selected());
            } else {
                List<LedgerRow> all = sweptRows(period);
                for (PeriodSweep.Range range : file.getValue()) {
                    selected.addAll(all.subList((int) Math.min(range.from(), all.size()), (int) Math.min(range.to(), all.size())));
                }
                if (!keys.isEmpty()) {
                    all.stream().filter(row -> keys.contains(row.key()) && !selected.contains(row)).forEach(selected::add);
                }
            }
            for (LedgerRow row : selected) {
                int before = differences.size();
                PeriodFiles.compareRow(period, row, states.read(row.key()), differences);
                if (differences.size() > before) {
                    differing.computeIfAbsent(period, p -> new HashSet<>()).add(row.key());
                }
            }
        }
        watched = differing;
        return differences;
    }

    /**
     * Every row of the file under the sweep, read whole (its checksums and sums checked again, whatever its stamp)
     * when the sweep comes to it, and kept while the sweep is in it and it is unchanged: a tick takes its slice
     * here instead of reading the file again. A new cycle reads it again even when it is the only file: a change
     * no stamp shows (a byte the disk rotted) is found once per full period.
     */
    private List<LedgerRow> sweptRows(YearMonth period) throws IOException {
        Optional<FileStamp> stamp = storage.stamp(path(period));
        long cycle = sweep.cyclesBegun();
        if (swept == null || !swept.period().equals(period) || swept.cycle() != cycle || stamp.isEmpty()
                || !stamp.equals(swept.stamp())) {
            ClosedPeriodFile.Read read = read(period, (row, key) -> true);
            swept = new SweptFile(period, cycle, read.file().stamp(), List.copyOf(read.selected()));
        }
        return swept.rows();
    }

    /** The rows {@code keep} selects, from a fresh read of the file; empty when it is not as the service wrote it. */
    private Optional<List<LedgerRow>> readRows(YearMonth period, Predicate<InvoiceKey> keep)
            throws IOException {
        ClosedPeriodFile.Read read = read(period, (row, key) -> keep.test(key));
        return read.file().sound() ? Optional.of(read.selected()) : Optional.empty();
    }

    /** Reads the period's file whole, keeping what it says of itself for the ticks to come, and its keys in the index. */
    private ClosedPeriodFile.Read read(YearMonth period, LedgerTally.RowSelector keep) throws IOException {
        Path path = path(period);
        Optional<FileStamp> stamp = storage.stamp(path);
        ClosedPeriodFile.Read read;
        try {
            read = ClosedPeriodFile.of(period, stamp, storage.read(path, Limits.MAX_LEDGER_BYTES), keep);
        } catch (NoSuchFileException gone) {
            files.remove(period);
            index.remove(period);
            return ClosedPeriodFile.unreadable(period, stamp, PeriodFiles.missing(period));
        } catch (IOException e) {
            read = ClosedPeriodFile.unreadable(period, stamp, PeriodFiles.unreadable(period, e));
        }
        ClosedPeriodFile known = files.put(period, read.file());
        if (known == null || known.keysDigest() != read.file().keysDigest()) {
            index.put(period, read.keyHashes());
        }
        return read;
    }

    private Path path(YearMonth period) {
        return layout.ledgerPeriods().resolve(PeriodLedger.fileName(period));
    }

    private static Optional<YearMonth> periodOf(Path entry) {
        Matcher name = FILE_NAME.matcher(entry.getFileName().toString());
        try {
            return name.matches() ? Optional.of(YearMonth.parse(name.group(1))) : Optional.empty();
        } catch (DateTimeParseException notAMonth) {
            return Optional.empty();
        }
    }
}
