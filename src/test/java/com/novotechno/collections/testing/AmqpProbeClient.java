package com.novotechno.collections.testing;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Duration;
import org.apache.qpid.jms.JmsConnectionFactory;

/** The probes over AMQP 1.0 with Qpid JMS, as 'submit', the routes and most producers connect. */
final class AmqpProbeClient implements ProbeClient {

    private final Connection connection;
    private final Session session;

    private AmqpProbeClient(Connection connection, Session session) {
        this.connection = connection;
        this.session = session;
    }

    static AmqpProbeClient open(int port, String user, String password) throws JMSException {
        JmsConnectionFactory factory = new JmsConnectionFactory("amqp://127.0.0.1:" + port);
        Connection connection = user == null ? factory.createConnection() : factory.createConnection(user, password);
        try {
            // Qpid JMS connects, and logs in, here.
            connection.start();
            return new AmqpProbeClient(connection, connection.createSession(false, Session.AUTO_ACKNOWLEDGE));
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
            // Persistent by default: the send waits for the broker's disposition.
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
