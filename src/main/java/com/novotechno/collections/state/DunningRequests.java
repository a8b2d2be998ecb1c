package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.dunning.DunningCandidate;
import com.novotechno.collections.dunning.DunningDecision;
import com.novotechno.collections.dunning.DunningPause;
import com.novotechno.collections.dunning.DunningRequest;
import com.novotechno.collections.dunning.DunningRevocation;
import com.novotechno.collections.dunning.RequestedLevel;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** Between the store's invoice states and the dunning planner's and relay's records: the one mapping each way. */
public final class DunningRequests {

    /**
     * Something to emit to the emailer: a request (its first emission or the one re-emission), or a
     * revocation; the JSON it receives, and what the relay needs beside it.
     *
     * @param body a {@link DunningRequest} or a {@link DunningRevocation}, for Jackson
     */
    public record Emission(InvoiceKey key, long seq, Kind kind, int attempt, String requestId, String type, Object body) {

        /**
         * A late revocation takes back a request whose emission was never recorded (withdrawn, paused, its
         * client erased since), which the outbox shows may have gone out before a crash (the relay's to
         * decide: the log cannot know).
         */
        public enum Kind { REQUEST, REVOCATION, LATE_REVOCATION }

        public Emission {
            Objects.requireNonNull(key);
            Objects.requireNonNull(kind);
            Objects.requireNonNull(requestId);
            Objects.requireNonNull(type);
            Objects.requireNonNull(body);
        }

        /** Artemis' duplicate-detection id (CONTRACT section 3): a send repeated by a crash is dropped by the broker. */
        public String duplicateId() {
            return requestId + ":" + type + ":" + attempt;
        }

        /** Its file in outbox/. */
        public String outboxFileName() {
            return kind == Kind.REQUEST ? requestId + ".json" : requestId + ".revoked.json";
        }
    }

    private DunningRequests() {
    }

    /** The invoice's own pause comes first; else a pause of its whole client. */
    static DunningCandidate candidate(InvoiceState state, Optional<DunningHold> clientPause) {
        DunningCandidate.Status status = switch (state.status()) {
            case UNPAID -> DunningCandidate.Status.UNPAID;
            case ESCALATED -> DunningCandidate.Status.ESCALATED;
            case PAID, CREDITED, VOID, WRITTEN_OFF -> DunningCandidate.Status.PAID; // closed: nothing owed
        };
        Optional<DunningPause> pause = longer(state.pause(), clientPause)
                .map(hold -> hold.until().map(DunningPause::until).orElseGet(DunningPause::indefinitely));
        return new DunningCandidate(state.key(), state.dueOn(), state.balance(), status, state.contactEmail(), pause,
                state.dunning().stream().map(step -> new RequestedLevel(step.level(), step.asOf())).toList());
    }

    /** Of an invoice's own pause and its client's, the one that holds longer: either stops its dunning. */
    private static Optional<DunningHold> longer(Optional<DunningHold> own, Optional<DunningHold> client) {
        if (own.isEmpty() || client.isEmpty()) {
            return own.or(() -> client);
        }
        if (own.get().until().isEmpty() || client.get().until().isEmpty()) {
            return own.get().until().isEmpty() ? own : client;
        }
        return own.get().until().get().isBefore(client.get().until().get()) ? client : own;
    }

    static Change.DunningRequested change(DunningDecision decision) {
        DunningRequest request = decision.request();
        Money balance = Money.ofStored(request.balance(), Currencies.parse(request.currency()));
        return new Change.DunningRequested(request.requestId(), request.type(), request.level(),
                Optional.ofNullable(request.contactEmail()), balance, LocalDate.parse(request.dueOn()),
                request.daysOverdue(), request.lateByDays(), request.asOfDate(), decision.escalationReason());
    }

    /**
     * What the relay owes the emailer for one request now, if anything: its first emission; its
     * revocation once its invoice is paid or paused before an acknowledgement; or, unacknowledged
     * after the timeout, its one re-emission. Nothing for a request acknowledged or revoked.
     */
    static Optional<Emission> owed(InvoiceState state, Optional<DunningHold> clientPause, DunningStep step,
                                   LocalDate today, Instant now, java.time.Duration ackTimeout) {
        if (step.acknowledged() || step.revoked()) {
            return Optional.empty();
        }
        Optional<String> stop = stop(state, clientPause, step, today);
        if (stop.isPresent()) {
            // Never emitted: nothing to take back, and nothing to send while it stops.
            return step.emittedAttempts() == 0 ? Optional.empty()
                    : Optional.of(revocation(state.key(), step, stop.get(), Emission.Kind.REVOCATION));
        }
        if (step.emittedAttempts() == 0) {
            return Optional.of(request(state.key(), step, 1));
        }
        boolean overdue = !step.emittedAt().orElseThrow().plus(ackTimeout).isAfter(now);
        if (step.emittedAttempts() < DunningStep.MAX_ATTEMPTS && overdue) {
            return Optional.of(request(state.key(), step, step.emittedAttempts() + 1));
        }
        return Optional.empty();
    }

    /** Why a request may not go out now, if it may not: its invoice closed or paused, or its client erased. */
    private static Optional<String> stop(InvoiceState state, Optional<DunningHold> clientPause, DunningStep step,
                                         LocalDate today) {
        return !state.status().isOpen() ? Optional.of(state.status().wireName().replace('_', ' '))
                : erased(step) ? Optional.of("client erased")
                : longer(state.pause(), clientPause).filter(hold -> hold.holdsOn(today))
                        .map(hold -> "paused: " + hold.reason());
    }

    /**
     * The revocation of a request whose emission the log never recorded, now that it may not go out
     * (withdrawn by its invoice's closing, or stopped by a pause or an erasure): owed only if it may
     * have gone out before a crash took its record, which the relay judges by the outbox.
     */
    static Optional<Emission> lateRevocation(InvoiceState state, Optional<DunningHold> clientPause, DunningStep step,
                                             LocalDate today) {
        if (step.emittedAttempts() > 0 || step.acknowledged()) {
            return Optional.empty();
        }
        // Withdrawn when its invoice closed; a reversed payment may have reopened it since, which sends it no more.
        Optional<String> reason = step.withdrawnUnrecorded()
                ? Optional.of(stop(state, clientPause, step, today).orElse("withdrawn"))
                : stop(state, clientPause, step, today);
        return reason.map(why -> revocation(state.key(), step, why, Emission.Kind.LATE_REVOCATION));
    }

    /**
     * A reminder is only ever requested with an address (CONTRACT section 3), so one without is a
     * request whose client was erased since: nobody to remind, and nothing of theirs to send.
     */
    private static boolean erased(DunningStep step) {
        return step.contactEmail().isEmpty() && !step.requestType().equals(DunningRequest.ESCALATION_REQUESTED);
    }

    static Emission request(InvoiceKey key, DunningStep step, int attempt) {
        String asOf = step.asOf().toString();
        DunningRequest request = new DunningRequest(DunningRequest.SCHEMA, step.requestType(), step.requestId(),
                key.client(), key.invoiceNumber(), step.contactEmail().orElse(null), step.balance().toPlainString(),
                step.balance().currency().getCurrencyCode(), step.dueOn().toString(), step.daysOverdue(), step.level(),
                step.lateByDays(), asOf, key.client() + "/" + asOf);
        return new Emission(key, step.seq(), Emission.Kind.REQUEST, attempt, step.requestId(), step.requestType(), request);
    }

    private static Emission revocation(InvoiceKey key, DunningStep step, String reason, Emission.Kind kind) {
        DunningRevocation revocation = new DunningRevocation(DunningRequest.SCHEMA, DunningRevocation.REMINDER_REVOKED,
                step.requestId(), key.client(), key.invoiceNumber(), reason);
        return new Emission(key, step.seq(), kind, 1, step.requestId(),
                DunningRevocation.REMINDER_REVOKED, revocation);
    }
}
