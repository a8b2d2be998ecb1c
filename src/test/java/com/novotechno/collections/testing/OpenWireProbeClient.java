package com.novotechno.collections.testing;

import java.time.Duration;
import javax.jms.Connection;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.QueueBrowser;
import javax.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * The probes over OpenWire with ActiveMQ Classic's own (javax) client, which is on the class path
 * already: the broker's OpenWire protocol is built on it. The same steps as {@link AmqpProbeClient},
 * written again because javax.jms and jakarta.jms share no type.
 */
final class OpenWireProbeClient implements ProbeClient {

    private final Connection connection;
    private final Session session;

    private OpenWireProbeClient(Connection connection, Session session) {
        this.connection = connection;
        this.session = session;
    }

    static OpenWireProbeClient open(int port, String user, String password) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
        // Advisory topics are ActiveMQ Classic's; subscribing to them would be a refused operation of its own.
        factory.setWatchTopicAdvisories(false);
        Connection connection = user == null ? factory.createConnection() : factory.createConnection(user, password);
        try {
            connection.start();
            return new OpenWireProbeClient(connection, connection.createSession(false, Session.AUTO_ACKNOWLEDGE));
        } catch (JMSException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public void send(String queue, String probe) throws JMSException {
        try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            Message message = session.createTextMessage("probe");
            message.setStringProperty(PROPERTY, probe);
            // Persistent, outside a transaction: the client sends it synchronously and waits for the broker's answer.
            producer.send(message);
        }
    }

    @Override
    public boolean consume(String queue, String probe, Duration wait) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), ProbeClient.selector(probe))) {
            return consumer.receive(wait.toMillis()) != null;
        }
    }

    @Override
    public boolean browse(String queue, String probe, Duration wait) throws JMSException {
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue), ProbeClient.selector(probe))) {
            // The selector picks the probe alone: the first element is it, and no further drain is asked for.
            return browser.getEnumeration().hasMoreElements();
        }
    }

    @Override
    public void subscribe(String address) throws JMSException {
        session.createConsumer(session.createTopic(address));
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
