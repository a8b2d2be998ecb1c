package com.novotechno.collections.status;

import com.novotechno.collections.dunning.DunningLevel;
import com.novotechno.collections.dunning.DunningSchedule;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.state.StateFileScan.Scanned;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dunning in {@code status}: per level, the open invoices at it and the requests awaiting the
 * emailer's acknowledgement; the open invoices at no level yet; the unpaid ones without a contact.
 * Also the requests the emailer reported failed, and the open invoices paused by a pause of their own
 * (a whole client's pause is in the log only; {@code dunning --dry-run} counts it).
 *
 * @param levels       the schedule's levels in order, then any level the state files name that it no longer has
 * @param notRequested open invoices with no request yet
 * @param noContact    unpaid invoices without a contact_email: only the last level can reach them
 * @param failed       requests with a reminder.failed recorded
 * @param paused       open invoices with a pause of their own
 */
public record DunningCounts(Map<String, AtLevel> levels, long notRequested, long noContact, long failed, long paused) {

    /**
     * @param invoices                open invoices whose highest request is this level
     * @param awaitingAcknowledgement requests of this level emitted and not acknowledged, paid invoices' too
     *                                (the emailer still owes an answer)
     */
    public record AtLevel(long invoices, long awaitingAcknowledgement) {
        AtLevel plus(AtLevel other) {
            return new AtLevel(invoices + other.invoices, awaitingAcknowledgement + other.awaitingAcknowledgement);
        }
    }

    public DunningCounts {
        levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }

    static DunningCounts of(Collection<Scanned> invoices, DunningSchedule schedule) {
        Map<String, AtLevel> levels = new LinkedHashMap<>();
        for (DunningLevel level : schedule.levels()) {
            levels.put(level.name(), new AtLevel(0, 0));
        }
        long notRequested = 0;
        long noContact = 0;
        long failed = 0;
        long paused = 0;
        for (Scanned invoice : invoices) {
            failed += invoice.dunning().failedRequests();
            boolean open = invoice.row().section().isOpen();
            if (open && invoice.dunning().level().isEmpty()) {
                notRequested++;
            }
            if (open) {
                invoice.dunning().level().ifPresent(level -> levels.merge(level, new AtLevel(1, 0), AtLevel::plus));
            }
            for (String level : invoice.dunning().awaitingAcknowledgement()) {
                levels.merge(level, new AtLevel(0, 1), AtLevel::plus);
            }
            if (invoice.row().section() == LedgerSection.UNPAID && !invoice.dunning().hasContact()) {
                noContact++;
            }
            if (open && invoice.dunning().paused()) {
                paused++;
            }
        }
        return new DunningCounts(levels, notRequested, noContact, failed, paused);
    }
}
