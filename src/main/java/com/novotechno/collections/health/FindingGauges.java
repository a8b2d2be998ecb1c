package com.novotechno.collections.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The findings' numbers, for alert rules: read from the store and the reconcile route at each scrape. */
final class FindingGauges implements MeterBinder {

    private final Findings findings;

    FindingGauges(Findings findings) {
        this.findings = findings;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("collections.reconcile.differences", findings, Findings::reconcileDifferences)
                .description("Differences the last reconciliation confirmed (0: the ledger agrees)").register(registry);
        Gauge.builder("collections.dunning.awaiting.acknowledgement", () -> findings.awaitingAcknowledgement().requests())
                .description("Dunning requests emitted and not yet acknowledged by the emailer").register(registry);
        Gauge.builder("collections.dunning.past.ack.timeout", () -> findings.awaitingAcknowledgement().pastTimeout())
                .description("Of those, the ones emitted longer than collections.dunning.ack-timeout ago").register(registry);
        // Held payments are accepted money the ledger shows under Unapplied: to refund ones wait for a person.
        Gauge.builder("collections.unapplied.payments", () -> findings.heldPayments(false)).tag("status", "held")
                .description("Payments held for an invoice not yet issued, waiting for it").register(registry);
        Gauge.builder("collections.unapplied.payments", () -> findings.heldPayments(true)).tag("status", "to_refund")
                .description("Payments held for an invoice not yet issued, marked to refund").register(registry);
        Gauge.builder("collections.ledger.held", () -> findings.ledgerHeld() ? 1 : 0)
                .description("1 while ledger.qmd is held after an edit by hand").register(registry);
    }
}
