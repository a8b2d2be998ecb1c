package com.novotechno.collections.reconcile;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which closed periods' files may list an invoice, by the {@link ClosedPeriodFile#hash} of its key: one
 * array of every file's hashes, sorted, with the period of each beside it (12 bytes a row, some 10 MB at
 * a million invoices). An absent hash proves the invoice in no file; a present one says which files to
 * look in. A file read again replaces its period's hashes; files change seldom (a month's close, an erasure).
 */
final class PeriodKeyIndex {

    private long[] hashes = new long[0];
    /** The period of each hash, as months since year 0 ({@link YearMonth#getYear} * 12 + month - 1). */
    private int[] periods = new int[0];
    /** Hashes in two files or more, per period that holds them; computed again after a change. */
    private Map<YearMonth, Set<Long>> shared;

    /** Puts {@code sortedHashes} in place of the period's hashes. */
    void put(YearMonth period, long[] sortedHashes) {
        for (int i = 1; i < sortedHashes.length; i++) {
            if (sortedHashes[i - 1] > sortedHashes[i]) {
                throw new IllegalArgumentException("hashes of " + period + " not sorted at " + i);
            }
        }
        int month = month(period);
        int kept = 0;
        for (int p : periods) {
            kept += p == month ? 0 : 1;
        }
        long[] nextHashes = new long[kept + sortedHashes.length];
        int[] nextPeriods = new int[nextHashes.length];
        int a = 0;
        int b = 0;
        for (int out = 0; out < nextHashes.length; out++) {
            while (a < hashes.length && periods[a] == month) {
                a++; // the period's old hashes leave
            }
            boolean fromOld = b == sortedHashes.length || (a < hashes.length && hashes[a] <= sortedHashes[b]);
            nextHashes[out] = fromOld ? hashes[a] : sortedHashes[b];
            nextPeriods[out] = fromOld ? periods[a++] : month;
            b += fromOld ? 0 : 1;
        }
        hashes = nextHashes;
        periods = nextPeriods;
        shared = null;
    }

    void remove(YearMonth period) {
        put(period, new long[0]);
    }

    /** Whether some period's file may list the key of this hash. */
    boolean mayHold(long hash) {
        return Arrays.binarySearch(hashes, hash) >= 0;
    }

    /** The periods whose files may list the key of this hash, oldest first. */
    List<YearMonth> periodsOf(long hash) {
        int at = Arrays.binarySearch(hashes, hash);
        if (at < 0) {
            return List.of();
        }
        while (at > 0 && hashes[at - 1] == hash) {
            at--;
        }
        List<YearMonth> found = new ArrayList<>(1);
        for (; at < hashes.length && hashes[at] == hash; at++) {
            found.add(period(periods[at]));
        }
        found.sort(null);
        return found;
    }

    boolean mayList(YearMonth period, long hash) {
        return periodsOf(hash).contains(period);
    }

    /** Per period, the hashes that some other period's file holds too: rows of invoices closed more than once. */
    Map<YearMonth, Set<Long>> shared() {
        if (shared == null) {
            Map<YearMonth, Set<Long>> found = new TreeMap<>();
            for (int start = 0; start < hashes.length; ) {
                int end = start + 1;
                while (end < hashes.length && hashes[end] == hashes[start]) {
                    end++;
                }
                for (int i = start; end - start > 1 && i < end; i++) {
                    found.computeIfAbsent(period(periods[i]), p -> new HashSet<>()).add(hashes[i]);
                }
                start = end;
            }
            shared = found;
        }
        return shared;
    }

    long size() {
        return hashes.length;
    }

    private static int month(YearMonth period) {
        return period.getYear() * 12 + period.getMonthValue() - 1;
    }

    private static YearMonth period(int month) {
        return YearMonth.of(Math.floorDiv(month, 12), Math.floorMod(month, 12) + 1);
    }
}
