package com.novotechno.collections.reconcile;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerTally;
import com.novotechno.collections.ledger.ParsedPeriodLedger;
import com.novotechno.collections.ledger.PeriodTally;
import com.novotechno.collections.storage.FileStamp;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconcile route keeps of one closed period's file between its ticks, read again once its stamp
 * differs: what the file says of itself (checksums, period, totals against its rows) and the sums of its rows.
 *
 * @param stamp empty when the storage gives none: read again at every tick
 * @param differences what it says of itself; empty when it is as the service wrote it and its totals are its rows'
 * @param rowTotals per closed section and currency, the sums of all its rows
 * @param rows how many rows it has
 * @param keysDigest a digest of its rows' key hashes: the same keys give the same digest, so a file read again
 *                   goes back into the {@link PeriodKeyIndex} only when its keys changed
 */
record ClosedPeriodFile(YearMonth period, Optional<FileStamp> stamp, List<Difference> differences,
                        Map<LedgerSection, Map<Currency, CurrencyTotals>> rowTotals, long rows, long keysDigest) {

    ClosedPeriodFile {
        differences = List.copyOf(differences);
        if (rows < 0) {
            throw new IllegalArgumentException(rows + " rows");
        }
    }

    /**
     * One read of the file: what is kept of it, the rows asked for, and the {@link #hash} of every row's key,
     * ascending, for the route's index (an absent hash proves an invoice absent; a present one is confirmed
     * against the row itself).
     */
    record Read(ClosedPeriodFile file, List<LedgerRow> selected, long[] keyHashes) {
    }

    /** A file that could not be read at all: only its difference. */
    static Read unreadable(YearMonth period, Optional<FileStamp> stamp, Difference why) {
        return new Read(new ClosedPeriodFile(period, stamp, List.of(why), Map.of(), 0, digest(new long[0])), List.of(),
                new long[0]);
    }

    /**
     * Reads the file in one pass (every checksum checked, every row summed), keeping whole the rows {@code keep}
     * selects; a file not as the service wrote it is parsed whole, so its faults name the line.
     */
    static Read of(YearMonth period, Optional<FileStamp> stamp, byte[] bytes, LedgerTally.RowSelector keep) {
        String name = PeriodFiles.name(period);
        HashList hashes = new HashList();
        Optional<PeriodTally> tally = LedgerTally.ofPeriod(name, bytes, keep, key -> hashes.add(hash(key)));
        List<Difference> differences = new ArrayList<>();
        List<LedgerRow> rows = new ArrayList<>();
        if (tally.isPresent()) {
            PeriodFiles.checkFile(period, tally.get().selected(), tally.get().rowTotals(), differences);
            tally.get().content().rows().values().forEach(rows::addAll);
            long[] sorted = hashes.sorted();
            return new Read(new ClosedPeriodFile(period, stamp, differences, tally.get().rowTotals(), tally.get().rows(),
                    digest(sorted)), rows, sorted);
        }
        ParsedPeriodLedger parsed = LedgerParser.parsePeriod(name, bytes);
        parsed.content().ifPresent(content -> content.rows().values().forEach(rows::addAll));
        Map<LedgerSection, Map<Currency, CurrencyTotals>> rowTotals = CurrencyTotals.bySection(rows);
        PeriodFiles.checkFile(period, parsed, rowTotals, differences);
        HashList parsedHashes = new HashList();
        List<LedgerRow> selected = new ArrayList<>();
        for (int place = 0; place < rows.size(); place++) {
            LedgerRow row = rows.get(place);
            parsedHashes.add(hash(row.key()));
            if (keep.keep(place, row.key())) {
                selected.add(row);
            }
        }
        long[] sorted = parsedHashes.sorted();
        return new Read(new ClosedPeriodFile(period, stamp, differences, rowTotals, rows.size(), digest(sorted)), selected,
                sorted);
    }

    /** As the service wrote it, its totals its rows': its sums count toward the carried totals. */
    boolean sound() {
        return differences.isEmpty();
    }

    /**
     * A 64-bit FNV-1a hash of the key's client and invoice number: the route's index of a million rows
     * costs 8 bytes a row, against some 100 for the keys themselves.
     */
    static long hash(InvoiceKey key) {
        long hash = 0xcbf29ce484222325L;
        hash = mix(hash, key.client());
        hash = (hash ^ '/') * 0x100000001b3L; // no name holds '/', so ("a/b", "c") and ("a", "b/c") never meet
        return mix(hash, key.invoiceNumber());
    }

    private static long digest(long[] sortedHashes) {
        long digest = sortedHashes.length;
        for (long hash : sortedHashes) {
            digest = digest * 0x100000001b3L + hash;
        }
        return digest;
    }

    /** Names are ASCII (InvoiceKey checks them), so a char is a byte. */
    private static long mix(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }

    /** A growing array of longs: a boxed list of a million would cost five times the memory. */
    private static final class HashList {
        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] sorted() {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted;
        }
    }
}
