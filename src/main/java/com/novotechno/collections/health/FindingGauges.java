package com.novotechno.collections.health;

import com.novotechno.collections.camel.ReconcileCheck;
import com.novotechno.collections.state.CollectionsStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;

/** The findings' numbers, for alert rules: read from the store and the reconcile route at each scrape. */
final class FindingGauges implements MeterBinder {

    private final CollectionsStore store;
    private final ReconcileCheck reconcile;
    private final Duration ackTimeout;

    FindingGauges(CollectionsStore store, ReconcileCheck reconcile, Duration ackTimeout) {
        this.store = store;
        this.reconcile = reconcile;
        this.ackTimeout = ackTimeout;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("collections.reconcile.differences", reconcile, ReconcileCheck::lastDifferences)
                .description("Differences the last reconciliation confirmed (0: the ledger agrees)").register(registry);
        Gauge.builder("collections.dunning.awaiting.acknowledgement", () -> store.awaitingAcknowledgement(ackTimeout).requests())
                .description("Dunning requests emitted and not yet acknowledged by the emailer").register(registry);
        Gauge.builder("collections.dunning.past.ack.timeout", () -> store.awaitingAcknowledgement(ackTimeout).pastTimeout())
                .description("Of those, the ones emitted longer than collections.dunning.ack-timeout ago").register(registry);
        Gauge.builder("collections.ledger.held", () -> store.ledgerHeld() ? 1 : 0)
                .description("1 while ledger.qmd is held after an edit by hand").register(registry);
    }
}
