package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningCandidate;
import com.novotechno.collections.dunning.DunningDecision;
import com.novotechno.collections.dunning.DunningRequest;
import com.novotechno.collections.dunning.RequestedLevel;
import java.util.Optional;

/** Between the store's invoice states and the dunning planner's and relay's records: the one mapping each way. */
public final class DunningRequests {

    /** A request to emit: the JSON the emailer receives, and what the relay needs beside it. */
    public record Emission(InvoiceKey key, long seq, int attempt, DunningRequest request) {
        public String requestId() {
            return request.requestId();
        }

        /** Artemis' duplicate-detection id (CONTRACT section 3): a send repeated by a crash is dropped by the broker. */
        public String duplicateId() {
            return request.requestId() + ":" + request.type() + ":" + attempt;
        }
    }

    private DunningRequests() {
    }

    static DunningCandidate candidate(InvoiceState state) {
        DunningCandidate.Status status = switch (state.status()) {
            case UNPAID -> DunningCandidate.Status.UNPAID;
            case ESCALATED -> DunningCandidate.Status.ESCALATED;
            case PAID -> DunningCandidate.Status.PAID;
        };
        return new DunningCandidate(state.key(), state.dueOn(), state.balance(), status, state.contactEmail(),
                Optional.empty(), state.dunning().stream().map(step -> new RequestedLevel(step.level(), step.asOf())).toList());
    }

    static Change.DunningRequested change(DunningDecision decision) {
        DunningRequest request = decision.request();
        return new Change.DunningRequested(request.requestId(), request.type(), request.level(),
                Optional.ofNullable(request.contactEmail()), decisionBalance(decision), java.time.LocalDate.parse(request.dueOn()),
                request.daysOverdue(), request.lateByDays(), request.asOfDate(), decision.escalationReason());
    }

    private static com.novotechno.collections.domain.Money decisionBalance(DunningDecision decision) {
        DunningRequest request = decision.request();
        return com.novotechno.collections.domain.Money.ofStored(request.balance(),
                com.novotechno.collections.domain.Currencies.parse(request.currency()));
    }

    static Emission emission(InvoiceKey key, DunningStep step, int attempt) {
        String asOf = step.asOf().toString();
        DunningRequest request = new DunningRequest(DunningRequest.SCHEMA, step.requestType(), step.requestId(),
                key.client(), key.invoiceNumber(), step.contactEmail().orElse(null), step.balance().toPlainString(),
                step.balance().currency().getCurrencyCode(), step.dueOn().toString(), step.daysOverdue(), step.level(),
                step.lateByDays(), asOf, key.client() + "/" + asOf);
        return new Emission(key, step.seq(), attempt, request);
    }
}
