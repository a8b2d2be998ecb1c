package com.novotechno.collections.dunning;

import com.novotechno.collections.domain.InvoiceKey;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's decisions and why the other open invoices got none, for {@code dunning --dry-run}
 * and the run's log line.
 *
 * @param quietReason      set on a skip day or holiday, when no request is made at all
 * @param requestsPerLevel requests decided at each level, in schedule order, zeros included
 * @param noContact        invoices a reminder level was due for today but that have no contact_email
 * @param paused           unpaid invoices held by a pause today
 * @param belowMinBalance  unpaid invoices whose balance is under collections.dunning.min-balance
 */
public record DunningPlan(LocalDate today, Optional<String> quietReason, List<DunningDecision> decisions,
                          Map<String, Integer> requestsPerLevel, List<InvoiceKey> noContact, int paused,
                          int belowMinBalance) {

    public DunningPlan {
        decisions = List.copyOf(decisions);
        requestsPerLevel = Collections.unmodifiableMap(new LinkedHashMap<>(requestsPerLevel));
        noContact = List.copyOf(noContact);
    }
}
