package com.novotechno.collections.state;

import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One dunning level requested for an invoice, as the log recorded it: the request as decided
 * (frozen, so every emission carries the same content), how often it was emitted, and what the
 * emailer answered (CONTRACT section 3).
 *
 * @param seq the log entry that decided it
 * @param emittedAttempts 0 until the relay has written and sent it
 * @param acknowledgedAt the emailer's sent_at of the first reminder.sent naming it
 * @param failures the emailer's reasons, one per reminder.failed
 */
public record DunningStep(long seq, String requestId, String requestType, String level, Optional<String> contactEmail,
                          Money balance, LocalDate dueOn, int daysOverdue, int lateByDays, LocalDate asOf,
                          int emittedAttempts, Optional<Instant> acknowledgedAt, List<String> failures) {

    public DunningStep {
        Objects.requireNonNull(requestId);
        Objects.requireNonNull(requestType);
        Objects.requireNonNull(level);
        Objects.requireNonNull(contactEmail);
        Objects.requireNonNull(balance);
        Objects.requireNonNull(dueOn);
        Objects.requireNonNull(asOf);
        Objects.requireNonNull(acknowledgedAt);
        failures = List.copyOf(failures);
        if (emittedAttempts < 0 || failures.size() > Limits.MAX_REMINDERS_PER_INVOICE) {
            throw new IllegalArgumentException("dunning step " + requestId + ": " + emittedAttempts + " attempts, "
                    + failures.size() + " failures");
        }
    }

    public boolean acknowledged() {
        return acknowledgedAt.isPresent();
    }

    DunningStep emitted(int attempt) {
        if (attempt != emittedAttempts + 1) {
            throw new IllegalStateException("request " + requestId + " emitted as attempt " + attempt + " after "
                    + emittedAttempts);
        }
        return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue,
                lateByDays, asOf, attempt, acknowledgedAt, failures);
    }

    DunningStep acknowledged(Instant sentAt) {
        return acknowledged() ? this : new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn,
                daysOverdue, lateByDays, asOf, emittedAttempts, Optional.of(sentAt), failures);
    }

    DunningStep failed(String reason) {
        List<String> more = new ArrayList<>(failures);
        more.add(reason);
        return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue,
                lateByDays, asOf, emittedAttempts, acknowledgedAt, more);
    }
}
