package com.novotechno.collections.service;

import java.util.Set;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;

/**
 * Makes every message routed to the service's addresses durable, whatever the client asked for.
 * STOMP sends non-persistent by default and a JMS or CORE client may ask for it; the broker would
 * confirm such a message and lose it at its next stop, while the sender believes it accepted.
 *
 * <p>Hooked where the post office routes, after the queues are chosen and before the message is
 * stored, so every path (any protocol, a redelivery, a dead-letter move) passes here.
 */
final class DurableAddresses implements ActiveMQServerMessagePlugin {

    private final Set<SimpleString> addresses;

    DurableAddresses(Set<String> addresses) {
        this.addresses = Set.copyOf(addresses.stream().map(SimpleString::of).toList());
    }

    @Override
    public void beforeMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates) {
        if (!message.isDurable() && addresses.contains(context.getAddress(message))) {
            message.setDurable(true);
            // An AMQP message is stored from its encoded bytes, which must now carry the durable header too.
            message.messageChanged();
        }
    }
}
