package com.novotechno.collections.service.hostile;

import com.novotechno.collections.camel.QueueIntake;
import com.novotechno.collections.camel.SenderRules;
import com.novotechno.collections.domain.Utf8;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.service.EmbeddedBroker;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.StompClient;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a case to collections.invoices as the producer, the way its delivery says: JMS over AMQP
 * (text, bytes, map, object, stream, no body), or raw STOMP frames as a client in another language
 * writes them. Every message carries the property {@value #CASE}, which the service keeps on a dead
 * letter, so each dead letter is known by its case.
 */
final class QueueDeliveries implements AutoCloseable {

    static final String CASE = "HostileCase";
    private static final String DEAD_LETTERS = "collections.invoices.DLQ";
    private static final int HUGE_STOMP_HEADER_CHARS = 200_000;
    private static final int HUGE_JMS_PROPERTY_CHARS = 1024 * 1024;
    /** Over the broker's 100 KiB threshold for a large message, under its journal record's limit. */
    private static final int LARGE_PADDING_CHARS = 150_000;

    /** A dead letter as the operator takes it from collections.invoices.DLQ: a text or bytes message keeps its body. */
    record DeadLetter(String reason, int deliveryCount, byte[] body) {
    }

    /** Set if a serialised object sent here is ever read back into an object, by anyone in this JVM. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialised;
        private final String text;

        Tripwire(String text) {
            this.text = text;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialised = true;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final RunningService running;
    private final Connection producerConnection;
    private final Session producer;
    private final MessageProducer invoices;
    private final Connection operatorConnection;
    private final MessageConsumer deadLetters;
    private StompClient stomp;

    QueueDeliveries(RunningService running, Path data) throws IOException, JMSException {
        this.running = running;
        producerConnection = RunningService.connect(data, running.port, BrokerCredentials.PRODUCER);
        producer = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        invoices = producer.createProducer(producer.createQueue(EmbeddedBroker.INVOICES));
        operatorConnection = RunningService.connect(data, running.port, BrokerCredentials.OPERATOR);
        operatorConnection.start();
        Session operator = operatorConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        deadLetters = operator.createConsumer(operator.createQueue(DEAD_LETTERS));
    }

    /** Sends the case; empty once the broker took it, else what the broker answered instead. */
    Optional<String> deliver(HostileCase hostile, byte[] body) throws Exception {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (hostile.delivery()) {
            // Text, as most clients send JSON; bytes where the case is about bytes that are not UTF-8.
            case HostileCase.PLAIN -> jms(hostile, Utf8.decode(body).isPresent() ? producer.createTextMessage(text) : bytes(body));
            case "jms-bytes" -> jms(hostile, bytes(body));
            case "jms-map" -> {
                MapMessage map = producer.createMapMessage();
                map.setString("json", text);
                yield jms(hostile, map);
            }
            case "jms-object" -> jms(hostile, producer.createObjectMessage(new Tripwire(text)));
            case "jms-stream" -> {
                StreamMessage stream = producer.createStreamMessage();
                stream.writeString(text);
                yield jms(hostile, stream);
            }
            case "jms-no-body" -> jms(hostile, producer.createMessage());
            case "jms-huge-property" -> {
                Message message = producer.createTextMessage(text);
                message.setStringProperty("Huge", "x".repeat(HUGE_JMS_PROPERTY_CHARS));
                yield jms(hostile, message);
            }
            case "jms-forged-sender" -> jms(hostile, forged(text, 0));
            case "jms-forged-sender-large" -> jms(hostile, forged(text, LARGE_PADDING_CHARS));
            case "stomp" -> stomp(hostile, text, Map.of());
            case "stomp-content-length" -> stomp(hostile, text, Map.of("content-length", Integer.toString(body.length)));
            case "stomp-huge-header" -> stomp(hostile, text, Map.of("X-Huge", "y".repeat(HUGE_STOMP_HEADER_CHARS)));
            case "stomp-octet-stream" -> stomp(hostile, text, Map.of("content-type", "application/octet-stream"));
            case "stomp-forged-sender-large" -> stomp(hostile, text, Map.of(SenderRules.SENDER, BrokerCredentials.EMAILER,
                    "X-Padding", "p".repeat(LARGE_PADDING_CHARS)));
            default -> throw new IllegalArgumentException(hostile + ": no queue delivery '" + hostile.delivery() + "'");
        };
    }

    /**
     * Sends a message that is rejected at once, behind everything sent so far, and takes the dead
     * letters up to it: with the service's one consumer, every message before it has been answered
     * then (a message rolled back for a retry comes later, and so has no outcome here).
     */
    Map<String, DeadLetter> fenceAndTakeDeadLetters(String fence, Duration wait) throws JMSException {
        Message marker = producer.createTextMessage("{}");
        marker.setStringProperty(CASE, fence);
        invoices.send(marker);
        Map<String, DeadLetter> taken = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(wait);
        while (!taken.containsKey(fence) && Instant.now().isBefore(deadline)) {
            Message dead = deadLetters.receive(Duration.between(Instant.now(), deadline).toMillis() + 1);
            if (dead != null) {
                taken.put(dead.getStringProperty(CASE), new DeadLetter(dead.getStringProperty(QueueIntake.REJECT_REASON),
                        dead.getIntProperty("JMSXDeliveryCount"), bodyBytes(dead)));
            }
        }
        if (!taken.containsKey(fence)) {
            throw new AssertionError("the fence " + fence + " was not dead-lettered within " + wait);
        }
        taken.remove(fence);
        return taken;
    }

    private Optional<String> jms(HostileCase hostile, Message message) throws JMSException {
        message.setStringProperty(CASE, hostile.name());
        try {
            invoices.send(message);
            return Optional.empty();
        } catch (JMSException refused) {
            return Optional.of(String.valueOf(refused.getMessage()));
        }
    }

    /** A text message that names the emailer as its sender itself, with a padding property of {@code padding} characters. */
    private Message forged(String text, int padding) throws JMSException {
        Message message = producer.createTextMessage(text);
        message.setStringProperty(SenderRules.SENDER, BrokerCredentials.EMAILER);
        if (padding > 0) {
            message.setStringProperty("Padding", "p".repeat(padding));
        }
        return message;
    }

    private BytesMessage bytes(byte[] body) throws JMSException {
        BytesMessage message = producer.createBytesMessage();
        message.writeBytes(body);
        return message;
    }

    private Optional<String> stomp(HostileCase hostile, String body, Map<String, String> headers) throws IOException {
        if (stomp == null) {
            stomp = StompClient.open(running.port);
            String answer = stomp.connect(BrokerCredentials.PRODUCER, running.credentials.password(BrokerCredentials.PRODUCER));
            if (!answer.startsWith("CONNECTED")) {
                throw new IllegalStateException("STOMP login refused: " + answer);
            }
        }
        Map<String, String> all = new HashMap<>(headers);
        all.put(CASE, hostile.name());
        String answer = stomp.send(EmbeddedBroker.INVOICES, body, all);
        return answer.startsWith("RECEIPT") ? Optional.empty() : Optional.of(answer);
    }

    /** A text or bytes message's body; none for the other kinds, whose bodies are no message of ours. */
    private static byte[] bodyBytes(Message message) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            return bytes.getBodyLength() == 0 ? new byte[0] : bytes.getBody(byte[].class);
        }
        if (message instanceof TextMessage text && text.getText() != null) {
            return text.getText().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    @Override
    public void close() throws IOException, JMSException {
        try {
            if (stomp != null) {
                stomp.close();
            }
        } finally {
            producerConnection.close();
            operatorConnection.close();
        }
    }
}
