package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.domain.PersonalData;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ledger kept in memory: every open invoice's row, and every invoice closed in the open period,
 * in its section, and each section's totals per currency, updated row by row.
 *
 * <p>Periods (months in the zone) close in order. A period closes when an update comes from a log entry
 * of a later one, or when {@link #advanceTo} says the clock has passed the period's end by
 * {@link #CLOSE_GRACE}; its closed rows then leave memory as a {@link PeriodLedger} for the writer to
 * take ({@link #takeClosedPeriods}), and count on as carried totals. A closed row belongs to the period
 * of its entered day (the log entry that closed it): the store hands changes over in log order, so that
 * period is still open when it comes, except from a snapshot, where it is carried. A carried invoice
 * keeps only a small mark (section, amounts, period) so that, reopened, it leaves the carried totals:
 * they count each invoice once, in its current place. A client's erasure is the one change that reaches
 * a closed period's file: the carried row with its reason erased waits in {@link #takeErasures} for the
 * writer to re-render that file. An update costs O(log n) whatever the number of invoices; only
 * {@link #snapshot} touches every row, and the writer takes one per batch, not per message.
 *
 * <p>An update sets a row to what the invoice's state now is, so applying the same state twice
 * changes nothing. Thread-safe.
 */
public final class LedgerProjection {

    /** A replay of years of log closes a period a month; far beyond that, nobody is taking them. */
    static final int MAX_PENDING_PERIODS = 12 * 1000;
    /**
     * How long after a period's end the clock alone closes it. The store hands a changed invoice to the
     * projection at its next checkpoint, about a second after the log entry: closing at the first instant
     * of the next month could close a period before its last entries arrive, and a rebuild (which closes
     * by the entries' own times) would then write a different file. A minute is sixty checkpoints.
     */
    public static final Duration CLOSE_GRACE = Duration.ofMinutes(1);
    /** Erased rows waiting for the writer; a client's erasure adds one per invoice closed in a closed period. */
    static final int MAX_PENDING_ERASURES = 1_000_000;

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
    /** The open period and the log's first; null before the first event. */
    private YearMonth period;
    private YearMonth firstPeriod;
    private final EnumMap<LedgerSection, TreeMap<Currency, CurrencyTotals>> carried = new EnumMap<>(LedgerSection.class);
    /** Per invoice closed in a closed period: what it adds to the carried totals. */
    private final Map<InvoiceKey, Carried> carriedMarks = new HashMap<>();
    private final ArrayDeque<PeriodLedger> closedPeriods = new ArrayDeque<>();
    /** Per closed period already taken by the writer: carried rows whose reason an erasure replaced. */
    private final TreeMap<YearMonth, Map<InvoiceKey, LedgerRow>> erasures = new TreeMap<>();
    private int pendingErasures;

    /**
     * A carried invoice's share of the carried totals, and the period whose file lists it; its amounts are
     * the state's own objects.
     */
    private record Carried(LedgerSection section, Money amount, Money closedAmount, YearMonth period) {
        static Carried of(LedgerRow row) {
            return new Carried(row.section(), row.amount(), row.closedAmount().orElse(null),
                    YearMonth.from(row.enteredOn()));
        }

        /** Whether {@code row} is the same closing as the one its period's file lists (not reopened and closed anew). */
        boolean sameClosing(LedgerRow row) {
            return row.section() == section && YearMonth.from(row.enteredOn()).equals(period)
                    && row.amount().equals(amount) && Objects.equals(row.closedAmount().orElse(null), closedAmount);
        }

        CurrencyTotals addTo(CurrencyTotals totals, boolean add) {
            Money closed = closedAmount == null ? Money.zero(amount.currency()) : closedAmount;
            long invoices = totals.invoices() + (add ? 1 : -1);
            if (invoices < 0) {
                throw new IllegalStateException("carried " + section.heading() + " " + amount.currency() + " below zero");
            }
            return new CurrencyTotals(totals.currency(), invoices,
                    add ? totals.amount().plus(amount) : totals.amount().minus(amount), totals.balance(),
                    add ? totals.closedAmount().plus(closed) : totals.closedAmount().minus(closed));
        }
    }

    public LedgerProjection(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone);
        for (LedgerSection section : LedgerSection.values()) {
            sections.put(section, new TreeSet<>(LedgerRow.ORDER));
            totals.put(section, new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode)));
        }
        for (LedgerSection section : LedgerSection.closed()) {
            carried.put(section, new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode)));
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
        // First: a period the entry's time closes takes its closed rows, this invoice's previous one too.
        advance(periodOf(eventTime));
        LedgerRow previous = byKey.get(row.key());
        Carried mark = carriedMarks.get(row.key());
        Currency was = previous != null ? previous.currency() : mark != null ? mark.amount().currency() : null;
        // Refused before the row changes anything, so the projection stays as the log's entries left it.
        if (was != null && !was.equals(row.currency())) {
            throw new IllegalStateException("invoice " + row.key() + " changed its currency from " + was + " to "
                    + row.currency());
        }
        if (previous != null) {
            byKey.remove(row.key());
            boolean removed = sections.get(previous.section()).remove(previous);
            if (!removed) {
                throw new IllegalStateException("ledger row of " + row.key() + " was not in " + previous.section());
            }
            adjustTotals(previous, false);
        }
        if (mark != null) {
            carriedMarks.remove(row.key());
            carried.get(mark.section()).compute(row.currency(), (c, sum) -> nonZero(mark.addTo(sum, false)));
        }
        // Closed in a closed period and not in memory: fed from a snapshot, or a carried invoice's feedback.
        if (!row.section().isOpen() && previous == null && period != null
                && YearMonth.from(row.enteredOn()).isBefore(period)) {
            if (YearMonth.from(row.enteredOn()).isBefore(firstPeriod)) {
                // The log's first entry opened the first period: nothing closed before it. Fed out of log order.
                throw new IllegalStateException("invoice " + row.key() + " closed on " + row.enteredOn()
                        + ", before the log's first period " + firstPeriod + ": rows must come in log order");
            }
            if (mark != null && mark.sameClosing(row) && erased(row)) {
                eraseInPeriodFile(mark.period(), row);
            }
            Carried carry = Carried.of(row);
            carriedMarks.put(row.key(), carry);
            carried.get(row.section()).compute(row.currency(),
                    (c, sum) -> carry.addTo(sum == null ? CurrencyTotals.zero(c) : sum, true));
        } else {
            byKey.put(row.key(), row);
            sections.get(row.section()).add(row);
            adjustTotals(row, true);
        }
        if (latestEvent == null || eventTime.isAfter(latestEvent)) {
            latestEvent = eventTime;
        }
        updates++;
    }

    /** Whether a client's erasure replaced the row's reason: the one change a closed period's file takes. */
    private static boolean erased(LedgerRow row) {
        return row.reason().filter(PersonalData.ERASED::equals).isPresent();
    }

    /**
     * A period's file shows the row with its reason erased: in the closed period not yet taken, at once (as a
     * replay of the whole log does it); in a file already written, by the writer ({@link #takeErasures}).
     */
    private void eraseInPeriodFile(YearMonth closedIn, LedgerRow row) {
        List<PeriodLedger> pending = new java.util.ArrayList<>(closedPeriods);
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).period().equals(closedIn)) {
                pending.set(i, pending.get(i).withRow(row));
                closedPeriods.clear();
                closedPeriods.addAll(pending);
                return;
            }
        }
        if (pendingErasures >= MAX_PENDING_ERASURES) {
            throw new IllegalStateException(MAX_PENDING_ERASURES + " erased rows not yet written: is no writer taking them?");
        }
        if (erasures.computeIfAbsent(closedIn, p -> new HashMap<>()).put(row.key(), row) == null) {
            pendingErasures++;
        }
    }

    /**
     * The carried rows an erasure changed since the last call, per closed period whose file the writer
     * wrote already: it re-renders each file with them. They leave memory here.
     */
    public synchronized Map<YearMonth, Map<InvoiceKey, LedgerRow>> takeErasures() {
        Map<YearMonth, Map<InvoiceKey, LedgerRow>> taken = new TreeMap<>(erasures);
        erasures.clear();
        pendingErasures = 0;
        return taken;
    }

    private static CurrencyTotals nonZero(CurrencyTotals totals) {
        return totals.invoices() == 0 ? null : totals;
    }

    private YearMonth periodOf(Instant time) {
        return YearMonth.from(time.atZone(zone));
    }

    /**
     * Closes every period that ended at least {@link #CLOSE_GRACE} before {@code now} (the service's clock),
     * so that the entries of its last second reach it first. Before the first event nothing is open, so
     * nothing closes: the log's first event opens the first period.
     */
    public synchronized void advanceTo(Instant now) {
        if (period != null) {
            advance(periodOf(now.minus(CLOSE_GRACE)));
        }
    }

    /**
     * For a start from a snapshot, before its rows are fed: the first log entry's time and the last's. Every
     * period before the last entry's is then closed already (its file was written when it ended), so a row
     * closed in one is carried, not kept.
     */
    public synchronized void startFromSnapshot(Instant firstEntryTime, Instant lastEntryTime) {
        if (period != null || updates != 0) {
            throw new IllegalStateException("a projection starts from a snapshot before anything else");
        }
        firstPeriod = periodOf(firstEntryTime);
        period = periodOf(lastEntryTime);
        if (period.isBefore(firstPeriod)) {
            throw new IllegalArgumentException("the last entry " + lastEntryTime + " before the first " + firstEntryTime);
        }
        latestEvent = lastEntryTime;
    }

    /** Closes the open period until {@code next} is open; the first event opens the first period. */
    private void advance(YearMonth next) {
        if (period == null) {
            period = next;
            firstPeriod = next;
            return;
        }
        while (period.isBefore(next)) {
            closePeriod();
            period = period.plusMonths(1);
            updates++;
        }
    }

    /** Moves the open period's closed rows out of memory into its file's content and the carried totals. */
    private void closePeriod() {
        EnumMap<LedgerSection, List<LedgerRow>> rows = new EnumMap<>(LedgerSection.class);
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> sums = new EnumMap<>(LedgerSection.class);
        for (LedgerSection section : LedgerSection.closed()) {
            // Every closed row in memory is of this period: a later one would have closed it already.
            List<LedgerRow> closing = List.copyOf(sections.get(section));
            rows.put(section, closing);
            sums.put(section, new TreeMap<>(totals.get(section)));
            for (LedgerRow row : closing) {
                byKey.remove(row.key());
                Carried carry = Carried.of(row);
                carriedMarks.put(row.key(), carry);
                carried.get(section).compute(row.currency(),
                        (c, sum) -> carry.addTo(sum == null ? CurrencyTotals.zero(c) : sum, true));
            }
            sections.get(section).clear();
            totals.get(section).clear();
        }
        if (closedPeriods.size() >= MAX_PENDING_PERIODS) {
            throw new IllegalStateException(MAX_PENDING_PERIODS + " closed periods not yet written: is no writer taking them?");
        }
        closedPeriods.add(new PeriodLedger(period, rows, sums));
    }

    /**
     * The periods closed since the last call, oldest first, for the writer to write; they leave memory
     * here. A replay of the whole log (a rebuild) closes every period it passes, in order.
     */
    public synchronized List<PeriodLedger> takeClosedPeriods() {
        List<PeriodLedger> taken = List.copyOf(closedPeriods);
        closedPeriods.clear();
        return taken;
    }

    /**
     * Puts the payments now held under a key (waiting or to refund) in place of those held before;
     * an empty list removes them. O(payments of the key + log n).
     *
     * @param eventTime the time of the log entry that produced them
     */
    public synchronized void updateUnapplied(InvoiceKey key, List<UnappliedRow> rows, Instant eventTime) {
        // A held payment's entry moves the periods on too: the log's first entry, of any kind, opens the first
        // period, as a start from a snapshot (which knows only the log's first entry time) assumes.
        advance(periodOf(eventTime));
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

    /** The invoices in memory: open ones and those closed in the open period. */
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
        EnumMap<LedgerSection, Map<Currency, CurrencyTotals>> carriedSums = new EnumMap<>(LedgerSection.class);
        carried.forEach((section, sum) -> carriedSums.put(section, new TreeMap<>(sum)));
        return new LedgerSnapshot(lastSeq, asOf, rows, sums, List.copyOf(unapplied),
                List.copyOf(unappliedTotals.values()), Optional.ofNullable(period), Optional.ofNullable(firstPeriod),
                carriedSums);
    }
}
