package com.novotechno.collections.service;

import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the queue's share of the traffic in order, as a producer that must lose nothing does: each
 * send confirmed by the broker before the next; one that a kill cut off is sent again to the next run,
 * since it may or may not have reached the broker (a copy is a duplicate the service must recognise).
 */
final class QueueFeeder extends KilledServiceClient {

    private static final long PACE_MILLIS = 30;

    private final ConcurrentLinkedQueue<KillTraffic.Delivery> pending = new ConcurrentLinkedQueue<>();
    private final Map<String, MessageProducer> producers = new HashMap<>();
    /** Deliveries the broker confirmed, by number. */
    private final Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
    /** Sends cut off by a kill and so made again: their messages may be on the queue twice. */
    private final AtomicInteger resent = new AtomicInteger();
    private volatile int tried = -1;

    QueueFeeder(Path data) {
        super(data, false, "queue-feeder");
    }

    /** Queues the queue's deliveries among these, after those not yet sent. */
    void add(Collection<KillTraffic.Delivery> deliveries) {
        deliveries.stream().filter(d -> d.channel() == KillTraffic.Channel.QUEUE).forEach(pending::add);
    }

    boolean idle() {
        return pending.isEmpty();
    }

    boolean confirmed(KillTraffic.Delivery delivery) {
        return confirmed.contains(delivery.number());
    }

    int resent() {
        return resent.get();
    }

    @Override
    boolean step(int runNumber) throws JMSException, IOException {
        KillTraffic.Delivery next = pending.peek();
        if (next == null) {
            return false;
        }
        MessageProducer producer = producers.get(next.user());
        Session session = session(next.user());
        if (producer == null) {
            producer = session.createProducer(session.createQueue("collections.invoices"));
            producers.put(next.user(), producer);
        }
        if (tried == next.number()) {
            resent.incrementAndGet();
        }
        tried = next.number();
        producer.send(session.createTextMessage(new String(next.body(), StandardCharsets.UTF_8)));
        confirmed.add(next.number());
        pending.poll();
        try {
            // Paced, as a producer's traffic comes: spread over the run, so that a kill finds some of it in flight.
            Thread.sleep(PACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    @Override
    void disconnected() {
        producers.clear();
    }
}
