package com.novotechno.collections.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code collections_queue_messages{queue}}: the messages waiting on the invoices queue and its
 * dead-letter queue, as the embedded broker counts them. An external broker's queues are its own to
 * measure: with one, these gauges are absent.
 */
final class QueueDepths implements MeterBinder {

    static final String NAME = "collections.queue.messages";

    private final List<String> queues;
    /** The broker's count of a queue's messages, -1 when it has no such queue. */
    private final ToLongFunction<String> messageCount;

    QueueDepths(List<String> queues, ToLongFunction<String> messageCount) {
        this.queues = List.copyOf(queues);
        this.messageCount = messageCount;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String queue : queues) {
            Gauge.builder(NAME, () -> {
                long count = messageCount.applyAsLong(queue);
                return count < 0 ? Double.NaN : count;
            }).description("Messages on a queue of the embedded broker").tag("queue", queue).register(registry);
        }
    }
}
