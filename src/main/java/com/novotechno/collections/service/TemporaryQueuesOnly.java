package com.novotechno.collections.service;

import java.util.Set;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerQueuePlugin;

/**
 * The queue a producer or the emailer may make (TemporaryQueueSecurity) is a temporary one, which the broker
 * deletes with its maker's connection. The security check names only "a non-durable queue", and a CORE client
 * says itself whether its queue is temporary: one that is not would outlive its connection, so a client could
 * leave any number of queues and addresses behind until the broker restarts. Refused here, where the kind is known.
 */
final class TemporaryQueuesOnly implements ActiveMQServerQueuePlugin {

    private static final Set<String> CLIENTS = Set.of(BrokerCredentials.PRODUCER, BrokerCredentials.EMAILER);

    @Override
    public void beforeCreateQueue(QueueConfiguration queue) throws ActiveMQSecurityException {
        String user = queue.getUser() == null ? null : queue.getUser().toString();
        if (user != null && CLIENTS.contains(user) && !Boolean.TRUE.equals(queue.isTemporary())) {
            throw new ActiveMQSecurityException("AMQ229213: broker user '" + user + "' may make only temporary queues"
                    + " (deleted with its connection), not queue " + queue.getName());
        }
    }
}
