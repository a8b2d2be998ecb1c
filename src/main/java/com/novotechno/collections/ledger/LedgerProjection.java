package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.InvoiceKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ledger kept in memory: every invoice's row in its section, and each section's totals per
 * currency, updated row by row. An update costs O(log n) whatever the number of invoices; only
 * {@link #snapshot} touches every row, and the writer takes one per batch, not per message.
 *
 * <p>An update sets a row to what the invoice's state now is, so applying the same state twice
 * changes nothing. Thread-safe.
 */
public final class LedgerProjection {

    private final Map<InvoiceKey, LedgerRow> byKey = new HashMap<>();
    private final EnumMap<LedgerSection, TreeSet<LedgerRow>> sections = new EnumMap<>(LedgerSection.class);
    private final EnumMap<LedgerSection, TreeMap<Currency, CurrencyTotals>> totals = new EnumMap<>(LedgerSection.class);
    /** The held payments per invoice key (few: a bank feed racing an extractor), and their totals. */
    private final Map<InvoiceKey, List<UnappliedRow>> unappliedByKey = new HashMap<>();
    private final TreeSet<UnappliedRow> unapplied = new TreeSet<>(UnappliedRow.ORDER);
    private final TreeMap<String, UnappliedTotals> unappliedTotals = new TreeMap<>();
    /** collections.time-zone: the as-of is the day of the latest event there, so a replay renders the same. */
    private final ZoneId zone;
    private Instant latestEvent;
    private long updates;

    public LedgerProjection(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone);
        for (LedgerSection section : LedgerSection.values()) {
            sections.put(section, new TreeSet<>(LedgerRow.ORDER));
            totals.put(section, new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode)));
        }
    }

    /**
     * Puts an invoice's current row in place of its previous one, moving it between sections
     * when its status changed, and within its section when an amendment changed its due date (the
     * previous row is removed by its own due date, so the order holds). Its currency never changes.
     *
     * @param eventTime the time of the log entry that produced this state
     */
    public synchronized void update(LedgerRow row, Instant eventTime) {
        LedgerRow previous = byKey.get(row.key());
        // Refused before anything changes, so the projection stays as it was.
        if (previous != null && !previous.currency().equals(row.currency())) {
            throw new IllegalStateException("invoice " + row.key() + " changed its currency from "
                    + previous.currency() + " to " + row.currency());
        }
        byKey.put(row.key(), row);
        if (previous != null) {
            boolean removed = sections.get(previous.section()).remove(previous);
            if (!removed) {
                throw new IllegalStateException("ledger row of " + row.key() + " was not in " + previous.section());
            }
            adjustTotals(previous, false);
        }
        sections.get(row.section()).add(row);
        adjustTotals(row, true);
        if (latestEvent == null || eventTime.isAfter(latestEvent)) {
            latestEvent = eventTime;
        }
        updates++;
    }

    /**
     * Puts the payments now held under a key (waiting or to refund) in place of those held before;
     * an empty list removes them. O(payments of the key + log n).
     *
     * @param eventTime the time of the log entry that produced them
     */
    public synchronized void updateUnapplied(InvoiceKey key, List<UnappliedRow> rows, Instant eventTime) {
        for (UnappliedRow row : rows) {
            if (!row.key().equals(key)) {
                throw new IllegalArgumentException("held payment " + row.subject() + " under " + key);
            }
        }
        List<UnappliedRow> previous = rows.isEmpty() ? unappliedByKey.remove(key) : unappliedByKey.put(key, List.copyOf(rows));
        for (UnappliedRow row : previous == null ? List.<UnappliedRow>of() : previous) {
            if (!unapplied.remove(row)) {
                throw new IllegalStateException("held payment " + row.subject() + " was not in the projection");
            }
            adjustUnappliedTotals(row, false);
        }
        for (UnappliedRow row : rows) {
            if (!unapplied.add(row)) {
                throw new IllegalArgumentException("held payment " + row.subject() + " twice");
            }
            adjustUnappliedTotals(row, true);
        }
        if (latestEvent == null || eventTime.isAfter(latestEvent)) {
            latestEvent = eventTime;
        }
        updates++;
    }

    private void adjustUnappliedTotals(UnappliedRow row, boolean add) {
        String key = UnappliedTotals.keyOf(row.currency(), row.status());
        UnappliedTotals current = unappliedTotals.getOrDefault(key, UnappliedTotals.zero(row.currency(), row.status()));
        UnappliedTotals next = add ? current.plus(row) : current.minus(row);
        if (next.payments() == 0) {
            unappliedTotals.remove(key);
        } else {
            unappliedTotals.put(key, next);
        }
    }

    private void adjustTotals(LedgerRow row, boolean add) {
        TreeMap<Currency, CurrencyTotals> sectionTotals = totals.get(row.section());
        CurrencyTotals current = sectionTotals.getOrDefault(row.currency(), CurrencyTotals.zero(row.currency()));
        CurrencyTotals next = add ? current.plus(row) : current.minus(row);
        if (next.invoices() == 0) {
            sectionTotals.remove(row.currency());
        } else {
            sectionTotals.put(row.currency(), next);
        }
    }

    /** The latest entry time it was given: its as-of, which a snapshot keeps. */
    public synchronized Optional<Instant> latestEvent() {
        return Optional.ofNullable(latestEvent);
    }

    /** The zone its dates are in; rows given to it must use the same. */
    public ZoneId zone() {
        return zone;
    }

    /** How many updates have been applied: a writer renders again only when this has moved. */
    public synchronized long updates() {
        return updates;
    }

    public synchronized int invoices() {
        return byKey.size();
    }

    /**
     * A copy of the rows and totals, labelled with {@code lastSeq}: the caller vouches that every
     * log entry up to it has been applied here. O(invoices), but only pointer copies under the lock.
     */
    public synchronized LedgerSnapshot snapshot(long lastSeq) {
        EnumMap<LedgerSection, List<LedgerRow>> rows = new EnumMap<>(LedgerSection.class);
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> sums = new EnumMap<>(LedgerSection.class);
        for (LedgerSection section : LedgerSection.values()) {
            rows.put(section, List.copyOf(sections.get(section)));
            sums.put(section, new TreeMap<>(totals.get(section)));
        }
        Optional<LocalDate> asOf = Optional.ofNullable(latestEvent).map(t -> LocalDate.ofInstant(t, zone));
        return new LedgerSnapshot(lastSeq, asOf, rows, sums, List.copyOf(unapplied),
                List.copyOf(unappliedTotals.values()));
    }
}
