package com.novotechno.collections.testing;

import java.time.Duration;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/** The probes over Artemis' own CORE protocol, with its core client (queues named as their addresses). */
final class CoreProbeClient implements ProbeClient {

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;

    private CoreProbeClient(ServerLocator locator, ClientSessionFactory factory, ClientSession session) {
        this.locator = locator;
        this.factory = factory;
        this.session = session;
    }

    static CoreProbeClient open(int port, String user, String password) throws Exception {
        ServerLocator locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + port)
                // A send and an acknowledgement return once the broker has answered, so a refusal is thrown where it happened.
                .setBlockOnDurableSend(true)
                .setBlockOnAcknowledge(true);
        ClientSessionFactory factory = null;
        try {
            factory = locator.createSessionFactory();
            // The login is checked here: auto-commit sends and acknowledgements, no pre-acknowledgement, no batching.
            ClientSession session = factory.createSession(user, password, false, true, true, false, 0);
            session.start();
            return new CoreProbeClient(locator, factory, session);
        } catch (ActiveMQException e) {
            if (factory != null) {
                factory.close();
            }
            locator.close();
            throw e;
        }
    }

    @Override
    public void send(String queue, String probe) throws ActiveMQException {
        try (ClientProducer producer = session.createProducer(queue)) {
            ClientMessage message = session.createMessage(true);
            message.putStringProperty(PROPERTY, probe);
            producer.send(message);
        }
    }

    @Override
    public boolean consume(String queue, String probe, Duration wait) throws ActiveMQException {
        try (ClientConsumer consumer = session.createConsumer(queue, ProbeClient.selector(probe))) {
            ClientMessage message = consumer.receive(wait.toMillis());
            if (message != null) {
                message.acknowledge();
            }
            return message != null;
        }
    }

    @Override
    public boolean browse(String queue, String probe, Duration wait) throws ActiveMQException {
        try (ClientConsumer browser = session.createConsumer(queue, ProbeClient.selector(probe), true)) {
            return browser.receive(wait.toMillis()) != null;
        }
    }

    /** A temporary multicast queue on the address, as a JMS topic subscriber gets, with a consumer on it. */
    @Override
    public void subscribe(String address) throws ActiveMQException {
        String queue = address + ".subscription." + UUID.randomUUID();
        session.createQueue(QueueConfiguration.of(queue).setAddress(address).setRoutingType(RoutingType.MULTICAST)
                .setDurable(false).setTemporary(true));
        session.createConsumer(queue);
    }

    ClientSession session() {
        return session;
    }

    @Override
    public void close() throws ActiveMQException {
        try {
            session.close();
        } finally {
            factory.close();
            locator.close();
        }
    }
}
