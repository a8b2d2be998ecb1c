package com.novotechno.collections.health;

import com.novotechno.collections.camel.IntakeMeter;
import com.novotechno.collections.state.ApplyResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One intake route's messages as metrics: {@code collections_messages_total{route, outcome}} and
 * {@code collections_apply_seconds{route}}. Every counter exists from the start at 0, so a rate over
 * a quiet route is 0 rather than absent. Labels are the route and the outcome alone (bounded).
 */
final class IntakeCounters implements IntakeMeter {

    static final String MESSAGES = "collections.messages";
    static final String APPLY = "collections.apply";

    private final Map<ApplyResult.Outcome, Counter> accepted = new EnumMap<>(ApplyResult.Outcome.class);
    private final Counter rejected;
    private final Timer apply;

    IntakeCounters(MeterRegistry registry, String route) {
        for (ApplyResult.Outcome outcome : ApplyResult.Outcome.values()) {
            accepted.put(outcome, messages(registry, route, outcome.name().toLowerCase(Locale.ROOT)));
        }
        rejected = messages(registry, route, "rejected");
        apply = Timer.builder(APPLY).description("Time the store took to apply or recognise a message, its fsync included")
                .tag("route", route).register(registry);
    }

    private static Counter messages(MeterRegistry registry, String route, String outcome) {
        return Counter.builder(MESSAGES).description("Messages taken by an intake route, by outcome")
                .tag("route", route).tag("outcome", outcome).register(registry);
    }

    @Override
    public void accepted(ApplyResult.Outcome outcome, long nanos) {
        accepted.get(outcome).increment();
        apply.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected() {
        rejected.increment();
    }
}
