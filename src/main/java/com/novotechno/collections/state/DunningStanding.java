package com.novotechno.collections.state;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one invoice stands in dunning, as its state file says: what {@code status} counts.
 *
 * @param level                    the highest level requested (the state file's dunning_level); empty: none yet
 * @param awaitingAcknowledgement  the levels of its requests emitted and neither acknowledged by the emailer
 *                                  nor revoked (a revocation needs no answer)
 * @param hasContact               whether it has a contact_email, without which only the last level can be requested
 */
public record DunningStanding(Optional<String> level, List<String> awaitingAcknowledgement, boolean hasContact,
                              long failedRequests, boolean paused) {

    public DunningStanding {
        Objects.requireNonNull(level);
        awaitingAcknowledgement = List.copyOf(awaitingAcknowledgement);
    }

    public static DunningStanding of(InvoiceState state) {
        // Requests are logged in ladder order, so the last one is the highest.
        Optional<String> level = state.dunning().isEmpty() ? Optional.empty()
                : Optional.of(state.dunning().get(state.dunning().size() - 1).level());
        List<String> awaiting = state.dunning().stream()
                .filter(step -> step.emittedAttempts() > 0 && !step.acknowledged() && !step.revoked())
                .map(DunningStep::level).toList();
        long failed = state.dunning().stream().filter(step -> !step.failures().isEmpty()).count();
        // Its own pause only: a whole client's pause is in the log, not in any state file.
        return new DunningStanding(level, awaiting, state.contactEmail().isPresent(), failed, state.pause().isPresent());
    }
}
