package com.novotechno.collections.dunning;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the planner needs to know of one invoice, as the log implies it. The planner's own input,
 * so that it depends on no store: whoever calls it maps the invoice state to this.
 *
 * @param contactEmail empty: reminder levels cannot be requested, the last level still can
 * @param pause        empty: not paused
 * @param requested    the levels already requested, each once, in the order requested
 */
public record DunningCandidate(InvoiceKey key, LocalDate dueOn, Money balance, Status status,
                               Optional<String> contactEmail, Optional<DunningPause> pause,
                               List<RequestedLevel> requested) {

    /** The state file's status (CONTRACT section 2). */
    public enum Status { UNPAID, ESCALATED, PAID }

    public DunningCandidate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dueOn, "dueOn");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contactEmail, "contactEmail");
        Objects.requireNonNull(pause, "pause");
        requested = List.copyOf(requested);
        if (requested.size() > Limits.MAX_REMINDERS_PER_INVOICE) {
            throw new IllegalArgumentException(key + ": " + requested.size() + " levels requested, at most "
                    + Limits.MAX_REMINDERS_PER_INVOICE);
        }
        Set<String> names = new HashSet<>();
        for (RequestedLevel level : requested) {
            if (!names.add(level.level())) {
                // the request_id is per level: a second request of one level would be the same request
                throw new IllegalArgumentException(key + ": level " + level.level() + " requested twice");
            }
        }
    }

    public static DunningCandidate unpaid(InvoiceKey key, LocalDate dueOn, Money balance, Optional<String> contactEmail) {
        return new DunningCandidate(key, dueOn, balance, Status.UNPAID, contactEmail, Optional.empty(), List.of());
    }

    public DunningCandidate withRequested(String level, LocalDate requestedOn) {
        List<RequestedLevel> more = new ArrayList<>(requested);
        more.add(new RequestedLevel(level, requestedOn));
        return new DunningCandidate(key, dueOn, balance, status, contactEmail, pause, more);
    }

    public DunningCandidate withStatus(Status newStatus) {
        return new DunningCandidate(key, dueOn, balance, newStatus, contactEmail, pause, requested);
    }

    /** Null: not paused (resumed). */
    public DunningCandidate withPause(DunningPause newPause) {
        return new DunningCandidate(key, dueOn, balance, status, contactEmail, Optional.ofNullable(newPause), requested);
    }

    /** Null: no contact. */
    public DunningCandidate withContactEmail(String email) {
        return new DunningCandidate(key, dueOn, balance, status, Optional.ofNullable(email), pause, requested);
    }

    /** The day of its latest request, whatever the level: the min gap counts from it. */
    Optional<LocalDate> lastRequestedOn() {
        return requested.stream().map(RequestedLevel::requestedOn).max(LocalDate::compareTo);
    }
}
