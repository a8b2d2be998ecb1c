package com.novotechno.collections.testing;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * The embedded broker's queues as the service sees them, over CORE: puts probes there, counts and
 * removes them, and tells whether an address exists at all. Each look asks the broker for what it
 * holds now ({@code receiveImmediate}), so a count never waits out a timeout to be sure of a zero.
 */
public final class BrokerQueues implements AutoCloseable {

    private final CoreProbeClient client;

    private BrokerQueues(CoreProbeClient client) {
        this.client = client;
    }

    /** Logs in as the user: the service's own sees every queue. */
    public static BrokerQueues open(int port, String user, String password) throws Exception {
        return new BrokerQueues(CoreProbeClient.open(port, user, password));
    }

    public void put(String queue, String probe) throws ActiveMQException {
        client.send(queue, probe);
    }

    /** How many messages marked with the probe the queue holds, looked at without taking any. */
    public int count(String queue, String probe) throws ActiveMQException {
        return drain(queue, probe, true);
    }

    /** Takes every message marked with the probe off the queue; returns how many. */
    public int remove(String queue, String probe) throws ActiveMQException {
        return drain(queue, probe, false);
    }

    /** Whether the broker has the address, however it came to exist. */
    public boolean exists(String address) throws ActiveMQException {
        return client.session().addressQuery(SimpleString.of(address)).isExists();
    }

    /** How many queues the address has: a client that made one of its own there shows as one more. */
    public int queuesOn(String address) throws ActiveMQException {
        ClientSession.AddressQuery query = client.session().addressQuery(SimpleString.of(address));
        return query.isExists() ? query.getQueueNames().size() : 0;
    }

    private int drain(String queue, String probe, boolean browseOnly) throws ActiveMQException {
        ClientSession session = client.session();
        if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
            return 0;
        }
        int found = 0;
        try (ClientConsumer consumer = session.createConsumer(queue, ProbeClient.selector(probe), browseOnly)) {
            for (ClientMessage message = consumer.receiveImmediate(); message != null; message = consumer.receiveImmediate()) {
                if (!browseOnly) {
                    message.acknowledge();
                }
                found++;
            }
        }
        return found;
    }

    @Override
    public void close() throws ActiveMQException {
        client.close();
    }
}
