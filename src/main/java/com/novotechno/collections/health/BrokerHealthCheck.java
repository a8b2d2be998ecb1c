package com.novotechno.collections.health;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness only: the embedded broker is started and serving. (An external broker is checked through
 * the queue consumer's own health check, which sees whether it is connected.)
 */
final class BrokerHealthCheck extends AbstractHealthCheck {

    static final String ID = "broker";

    private final BooleanSupplier active;

    BrokerHealthCheck(BooleanSupplier active) {
        super(HealthEndpoints.GROUP, ID);
        this.active = active;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (active.getAsBoolean()) {
            builder.up().message("the embedded broker is serving");
        } else {
            builder.down().message("the embedded broker is not serving");
        }
    }
}
