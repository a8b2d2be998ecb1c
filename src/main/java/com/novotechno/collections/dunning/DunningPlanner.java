package com.novotechno.collections.dunning;

import com.novotechno.collections.domain.InvoiceKey;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which open invoice moves to which dunning level today (CONTRACT section 3): a pure
 * function of the invoices, the date and the settings, with no clock, disk or store, so every
 * rule is tested by calling it. Its caller logs each decision before emitting anything.
 *
 * <p>The rules as implemented:
 * <ul>
 * <li>On a skip day or holiday nothing at all is decided; the next working day catches up.
 * <li>Only unpaid invoices with a balance of at least the minimum, not paused today, are considered.
 * <li>An invoice stands at the highest level of the current schedule whose name it has been
 *     requested under; names no longer in the schedule are ignored (so after a schedule change it
 *     carries on from the highest level that still exists, and a level it was requested under is
 *     never requested again). Its next level is the one after; past the last there is none.
 * <li>That level fell due on the later of due_on + its days and, if any level was requested, the
 *     latest request + min gap (the gap counts from the latest request whatever its name, so a
 *     schedule change never brings the next request closer). It is requested when that day is
 *     today or past: one level per run, never a skipped one, late_by_days = today - that day.
 * <li>Levels before the last need a contact_email. Without one the invoice is reported as no
 *     contact, and goes straight to the last level, which falls due by the same rule: the only
 *     case where levels are passed over, since nobody can be reminded.
 * </ul>
 */
public final class DunningPlanner {

    private static final Comparator<DunningCandidate> KEY_ORDER = Comparator
            .comparing((DunningCandidate candidate) -> candidate.key().client())
            .thenComparing(candidate -> candidate.key().invoiceNumber());

    private DunningPlanner() {
    }

    /** The decisions of a run on {@code today}, in client and invoice number order. */
    public static List<DunningDecision> plan(List<DunningCandidate> invoices, LocalDate today, DunningSettings settings) {
        return planRun(invoices, today, settings).decisions();
    }

    /** The same decisions, with why the other open invoices got none. */
    public static DunningPlan planRun(List<DunningCandidate> invoices, LocalDate today, DunningSettings settings) {
        requireOneCandidatePerInvoice(invoices);
        DunningSchedule schedule = settings.schedule();
        Map<String, Integer> perLevel = new LinkedHashMap<>();
        schedule.levels().forEach(level -> perLevel.put(level.name(), 0));
        Optional<String> quiet = quietReason(today, settings);
        if (quiet.isPresent()) {
            return new DunningPlan(today, quiet, List.of(), perLevel, List.of(), 0, 0);
        }
        List<DunningDecision> decisions = new ArrayList<>();
        List<InvoiceKey> noContact = new ArrayList<>();
        int paused = 0;
        int belowMinBalance = 0;
        for (DunningCandidate candidate : invoices.stream().sorted(KEY_ORDER).toList()) {
            if (candidate.status() != DunningCandidate.Status.UNPAID) {
                continue;
            }
            if (candidate.balance().amount().compareTo(settings.minBalance()) < 0) {
                belowMinBalance++;
                continue;
            }
            if (candidate.pause().map(pause -> pause.holdsOn(today)).orElse(false)) {
                paused++;
                continue;
            }
            Optional<DunningLevel> next = nextLevel(candidate, schedule);
            if (next.isEmpty()) {
                continue;
            }
            DunningLevel level = next.get();
            if (!level.escalates() && candidate.contactEmail().isEmpty()) {
                boolean reminderDue = !fellDueOn(candidate, level, settings).isAfter(today);
                level = schedule.last();
                if (fellDueOn(candidate, level, settings).isAfter(today)) {
                    if (reminderDue) {
                        noContact.add(candidate.key());
                    }
                    continue;
                }
            }
            LocalDate fellDueOn = fellDueOn(candidate, level, settings);
            if (fellDueOn.isAfter(today)) {
                continue;
            }
            decisions.add(decide(candidate, level, fellDueOn, today));
            perLevel.merge(level.name(), 1, Integer::sum);
        }
        return new DunningPlan(today, Optional.empty(), decisions, perLevel, noContact, paused, belowMinBalance);
    }

    /** Why no request at all is made on {@code today}, if none is. */
    static Optional<String> quietReason(LocalDate today, DunningSettings settings) {
        if (settings.skipDays().contains(today.getDayOfWeek())) {
            return Optional.of(today + " is a " + today.getDayOfWeek() + ", a skip day: no requests");
        }
        if (settings.holidays().contains(today)) {
            return Optional.of(today + " is a holiday: no requests");
        }
        return Optional.empty();
    }

    /** The level after the highest one of the schedule the invoice was requested under. */
    static Optional<DunningLevel> nextLevel(DunningCandidate candidate, DunningSchedule schedule) {
        int reached = 0;
        for (RequestedLevel requested : candidate.requested()) {
            reached = Math.max(reached, schedule.find(requested.level()).map(DunningLevel::position).orElse(0));
        }
        return reached < schedule.levels().size() ? Optional.of(schedule.at(reached + 1)) : Optional.empty();
    }

    private static LocalDate fellDueOn(DunningCandidate candidate, DunningLevel level, DunningSettings settings) {
        LocalDate byDays = candidate.dueOn().plusDays(level.days());
        return candidate.lastRequestedOn()
                .map(last -> last.plusDays(settings.minGapDays()))
                .filter(byGap -> byGap.isAfter(byDays))
                .orElse(byDays);
    }

    private static DunningDecision decide(DunningCandidate candidate, DunningLevel level, LocalDate fellDueOn,
                                          LocalDate today) {
        InvoiceKey key = candidate.key();
        DunningRequest request = new DunningRequest(
                DunningRequest.SCHEMA,
                level.escalates() ? DunningRequest.ESCALATION_REQUESTED : DunningRequest.REMINDER_REQUESTED,
                DunningRequest.idFor(key, level.name()),
                key.client(),
                key.invoiceNumber(),
                candidate.contactEmail().orElse(null),
                candidate.balance().toPlainString(),
                candidate.balance().currency().getCurrencyCode(),
                candidate.dueOn().toString(),
                Math.toIntExact(ChronoUnit.DAYS.between(candidate.dueOn(), today)),
                level.name(),
                Math.toIntExact(ChronoUnit.DAYS.between(fellDueOn, today)),
                today.toString(),
                key.client() + "/" + today);
        return new DunningDecision(key, level, fellDueOn, request);
    }

    private static void requireOneCandidatePerInvoice(List<DunningCandidate> invoices) {
        Set<InvoiceKey> seen = new HashSet<>();
        for (DunningCandidate candidate : invoices) {
            if (!seen.add(candidate.key())) {
                throw new IllegalArgumentException(candidate.key() + " is a candidate twice: one state per invoice");
            }
        }
    }
}
