package com.novotechno.collections.service;

import java.time.Clock;
import java.util.Set;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.utils.CompositeAddress;

/**
 * Stamps every message routed to a dead-letter address with the time it arrived there, as the property
 * {@value #PROPERTY}, over whatever its sender set: the service's rejections, and the messages the broker moves
 * itself (redelivered too often, expired). collections.retention.dlq counts a dead letter's age from it, not from
 * the JMSTimestamp, which the sender sets or leaves out (an AMQP message without a creation time has 0, and
 * would go at the first retention run; one dated 2100 would stay for ever).
 */
final class DeadLetterArrival implements ActiveMQServerMessagePlugin {

    public static final String PROPERTY = "CollectionsDeadLetteredAt";

    private final Set<String> addresses;
    private final Clock clock;

    DeadLetterArrival(Set<String> addresses, Clock clock) {
        this.addresses = Set.copyOf(addresses);
        this.clock = clock;
    }

    @Override
    public void beforeMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates) {
        String target = message.getAddress();
        if (target != null && addresses.contains(CompositeAddress.extractAddressName(target))) {
            message.putLongProperty(PROPERTY, clock.millis());
            message.messageChanged(); // an AMQP message is stored from its encoded bytes, which must carry it too
        }
    }
}
