package com.novotechno.collections.health;

import com.novotechno.collections.state.CollectionsStore;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness and readiness: the store is open and has not failed. A failed store (a write after the log
 * failed) refuses every message until a restart recovers, so this is what a restart is for.
 */
final class StoreHealthCheck extends AbstractHealthCheck {

    static final String ID = "store";

    private final CollectionsStore store;

    StoreHealthCheck(CollectionsStore store) {
        super(HealthEndpoints.GROUP, ID);
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (store.failed()) {
            builder.down().message("the store failed and refuses every message until a restart: "
                    + store.failure().map(Throwable::toString).orElse("cause unknown"));
        } else if (!store.isOpen()) {
            builder.down().message("the store is closing");
        } else {
            builder.up().message("the store is open on " + store.layout().root());
        }
    }
}
