package com.novotechno.collections.dunning;

import com.novotechno.collections.domain.InvoiceKey;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One invoice moved to one level by a run: what the store logs before anything is emitted
 * (the level, the request_id, the day), and the request the relay then emits.
 *
 * @param fellDueOn the day the level became due; late_by_days counts from it
 */
public record DunningDecision(InvoiceKey key, DunningLevel level, LocalDate fellDueOn, DunningRequest request) {

    public DunningDecision {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(fellDueOn, "fellDueOn");
        Objects.requireNonNull(request, "request");
    }

    public String requestId() {
        return request.requestId();
    }

    /** True at the last level: the invoice is escalated through the log, and an escalation.requested emitted. */
    public boolean escalates() {
        return level.escalates();
    }

    /** The ledger's Escalated reason (CONTRACT section 3), for the last level only. */
    public Optional<String> escalationReason() {
        return escalates() ? Optional.of(request.daysOverdue() + " days overdue") : Optional.empty();
    }
}
