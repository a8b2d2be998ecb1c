package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.StompClient;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message the broker confirmed on collections.invoices survives the broker's stop, whatever
 * persistence the client asked for: STOMP's default is non-persistent, and JMS and CORE clients
 * can ask for it.
 */
class DurableQueueTest {

    private static final int PER_PROTOCOL = 40;

    @TempDir
    Path data;

    @Test
    void nonPersistentMessagesConfirmedOnEveryProtocolAreAppliedAfterTheBrokerRestarts() throws Exception {
        int port = RunningService.freePort();
        // The broker alone, no service consuming: every message must still be queued after the stop.
        try (EmbeddedBroker broker = RunningService.brokerAlone(data, port)) {
            String password = BrokerCredentials.read(data).password(BrokerCredentials.PRODUCER);
            sendOverStomp(port, password, "stomp");
            sendOverAmqp(port, password, "amqp");
            sendOverCore(port, password, "core");
        }

        try (RunningService running = RunningService.start(data)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(3 * PER_PROTOCOL));
            assertThat(running.waiting("collections.invoices.DLQ")).isZero();
        }
    }

    private static void sendOverStomp(int port, String password, String prefix) throws Exception {
        try (StompClient stomp = StompClient.open(port)) {
            assertThat(stomp.connect(BrokerCredentials.PRODUCER, password)).startsWith("CONNECTED");
            for (int i = 0; i < PER_PROTOCOL; i++) {
                assertThat(stomp.send(EmbeddedBroker.INVOICES, body(prefix, i))).startsWith("RECEIPT");
            }
        }
    }

    private static void sendOverAmqp(int port, String password, String prefix) throws Exception {
        try (Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + port)
                .createConnection(BrokerCredentials.PRODUCER, password)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(EmbeddedBroker.INVOICES));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            // Qpid sends non-persistent messages without waiting for the broker; a persistent one at the end waits for all before it.
            for (int i = 0; i < PER_PROTOCOL - 1; i++) {
                producer.send(session.createTextMessage(body(prefix, i)));
            }
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(session.createTextMessage(body(prefix, PER_PROTOCOL - 1)));
        }
    }

    private static void sendOverCore(int port, String password, String prefix) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + port)
                .setBlockOnNonDurableSend(true);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(BrokerCredentials.PRODUCER, password, false, true, true, false, 0);
             ClientProducer producer = session.createProducer(EmbeddedBroker.INVOICES)) {
            for (int i = 0; i < PER_PROTOCOL; i++) {
                ClientMessage message = session.createMessage(ClientMessage.TEXT_TYPE, false);
                message.getBodyBuffer().writeNullableSimpleString(SimpleString.of(body(prefix, i)));
                producer.send(message);
            }
        }
    }

    private static String body(String prefix, int i) {
        return new String(Messages.issued(prefix + "-" + i, "ACME", prefix + "-INV-" + i, "10.00", "USD"),
                StandardCharsets.UTF_8);
    }
}
