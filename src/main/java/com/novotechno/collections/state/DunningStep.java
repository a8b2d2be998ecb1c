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
 * (frozen, so every emission carries the same content), its emissions, what the emailer answered,
 * and its revocation (CONTRACT section 3).
 *
 * @param seq the log entry that decided it
 * @param emittedAttempts 0 until the relay has written and sent it; 2 after the re-emission an
 *                        unacknowledged request gets once
 * @param emittedAt when the last emission was recorded: the acknowledgement timeout counts from it
 * @param acknowledgedAt the emailer's sent_at of the first reminder.sent naming it
 * @param failures the emailer's reasons, one per reminder.failed
 * @param revokedAt when its revocation was emitted (the invoice closed or paused before an acknowledgement);
 *                  for a request never emitted, when its invoice closed and so withdrew it: it is never
 *                  emitted, even if a reversed payment reopens the invoice (its content would be stale);
 *                  if the outbox then shows it may have gone out before a crash took its record, its revocation
 *                  follows, and counts it as emitted once
 */
public record DunningStep(long seq, String requestId, String requestType, String level, Optional<String> contactEmail,
                          Money balance, LocalDate dueOn, int daysOverdue, int lateByDays, LocalDate asOf,
                          int emittedAttempts, Optional<Instant> emittedAt, Optional<Instant> acknowledgedAt,
                          List<String> failures, Optional<Instant> revokedAt) {

    /** A request is emitted once, and once more if it stays unacknowledged. */
    public static final int MAX_ATTEMPTS = 2;

    public DunningStep {
        Objects.requireNonNull(requestId);
        Objects.requireNonNull(requestType);
        Objects.requireNonNull(level);
        Objects.requireNonNull(contactEmail);
        Objects.requireNonNull(balance);
        Objects.requireNonNull(dueOn);
        Objects.requireNonNull(asOf);
        Objects.requireNonNull(emittedAt);
        Objects.requireNonNull(acknowledgedAt);
        Objects.requireNonNull(revokedAt);
        failures = List.copyOf(failures);
        if (emittedAttempts < 0 || emittedAttempts > MAX_ATTEMPTS || failures.size() > Limits.MAX_REMINDERS_PER_INVOICE
                || (emittedAttempts > 0) != emittedAt.isPresent()) {
            throw new IllegalArgumentException("dunning step " + requestId + ": " + emittedAttempts + " attempts (at "
                    + emittedAt + "), " + failures.size() + " failures, revoked " + revokedAt);
        }
    }

    static DunningStep decided(long seq, String requestId, String requestType, String level, Optional<String> contactEmail,
                               Money balance, LocalDate dueOn, int daysOverdue, int lateByDays, LocalDate asOf) {
        return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue, lateByDays,
                asOf, 0, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    public boolean acknowledged() {
        return acknowledgedAt.isPresent();
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    DunningStep emitted(int attempt, Instant at) {
        if (attempt != emittedAttempts + 1) {
            throw new IllegalStateException("request " + requestId + " emitted as attempt " + attempt + " after "
                    + emittedAttempts);
        }
        return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue,
                lateByDays, asOf, attempt, Optional.of(at), acknowledgedAt, failures, revokedAt);
    }

    DunningStep acknowledged(Instant sentAt) {
        return acknowledged() ? this : new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn,
                daysOverdue, lateByDays, asOf, emittedAttempts, emittedAt, Optional.of(sentAt), failures, revokedAt);
    }

    DunningStep failed(String reason) {
        List<String> more = new ArrayList<>(failures);
        more.add(reason);
        return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue,
                lateByDays, asOf, emittedAttempts, emittedAt, acknowledgedAt, more, revokedAt);
    }

    /** A request never emitted whose invoice closed: it never will be. */
    DunningStep withdrawn(Instant at) {
        if (revoked() || emittedAttempts > 0) {
            throw new IllegalStateException("request " + requestId + " withdrawn after its emission or twice");
        }
        return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue,
                lateByDays, asOf, emittedAttempts, emittedAt, acknowledgedAt, failures, Optional.of(at));
    }

    /** A request withdrawn before its emission was recorded (so possibly sent just before a crash), not yet revoked. */
    public boolean withdrawnUnrecorded() {
        return revoked() && emittedAttempts == 0;
    }

    /**
     * Its revocation emitted: after a recorded emission; or, when the outbox showed that a request whose
     * emission the log never recorded may have gone out before a crash, once it may not go out (withdrawn,
     * paused, its client erased). That emission then counts as the one it was.
     */
    DunningStep revoked(Instant at) {
        if (emittedAttempts == 0) {
            return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue,
                    lateByDays, asOf, 1, Optional.of(at), acknowledgedAt, failures, Optional.of(at));
        }
        if (revoked()) {
            throw new IllegalStateException("request " + requestId + " revoked twice");
        }
        return new DunningStep(seq, requestId, requestType, level, contactEmail, balance, dueOn, daysOverdue,
                lateByDays, asOf, emittedAttempts, emittedAt, acknowledgedAt, failures, Optional.of(at));
    }
}
