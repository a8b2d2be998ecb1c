package com.novotechno.collections.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.camel.QueueIntake;
import com.novotechno.collections.camel.SenderRules;
import com.novotechno.collections.domain.Limits;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.message.JmsMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;

/**
 * The dead-letter queues as an operator reaches them, over the same AMQP client as {@code submit}:
 * browsed without taking anything, and a dead letter moved back to the queue it failed on once its
 * cause is fixed. Each move is one local transaction (the receive from the dead-letter queue and the
 * send to the queue commit together), so a crash midway leaves the message in one place: where it
 * was, or moved, never both nor neither.
 */
public final class DeadLetters implements AutoCloseable {

    /** The service's dead letters, and those the broker gave up redelivering or found expired. */
    public static final String INVOICES_DLQ = "collections.invoices.DLQ";
    /** The broker's own, for every other address (the emailer's queue among them). */
    public static final String BROKER_DLQ = "DLQ";
    /** Listed at most per call: a DLQ that grows beyond it needs a look at its cause, not a longer list. */
    public static final int MAX_LISTED = 10_000;
    /** How long a move waits for the named message, which a browse has just seen, to be delivered. */
    static final long RECEIVE_TIMEOUT_MILLIS = 5_000;
    /** Artemis' own record of where a message it dead-lettered or expired was: a property (CORE) or annotation (AMQP). */
    private static final String ORIGINAL_ADDRESS_PROPERTY = "_AMQ_ORIG_ADDRESS";
    private static final String ORIGINAL_ADDRESS_ANNOTATION = "x-opt-ORIG-ADDRESS";

    private static final List<String> IDENTIFYING_FIELDS = List.of("type", "message_id", "client", "invoice_number");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Session browsing;
    private final Session moving;

    private DeadLetters(Connection connection) throws JMSException {
        this.connection = connection;
        this.browsing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.moving = connection.createSession(true, Session.SESSION_TRANSACTED);
    }

    /** Connects with the factory's credentials (the operator's). */
    public static DeadLetters connect(JmsConnectionFactory factory) throws JMSException {
        Connection connection = factory.createConnection();
        try {
            connection.start();
            return new DeadLetters(connection);
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * One message on a dead-letter queue.
     *
     * @param reason          the service's (CollectionsRejectReason); empty for one the broker dead-lettered itself
     * @param originalAddress where the broker took it from, when it dead-lettered or expired it itself
     * @param deliveryCount   how often it was delivered before (JMSXDeliveryCount, 1 for never redelivered)
     * @param body            its body as text (bytes that are not UTF-8 read with replacement characters)
     */
    public record DeadLetter(String jmsMessageId, Instant time, Optional<String> reason, Optional<String> rejectedAt,
                             Optional<String> originalAddress, int deliveryCount, String body) {

        /** The fields that say which message it is, those of them the body has as text, when it is a JSON object. */
        public Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            JsonNode json;
            if (body.length() > Limits.MAX_MESSAGE_BYTES) {
                return fields; // larger than any message the service takes: not worth parsing
            }
            try {
                json = JSON.readTree(body);
            } catch (IOException notJson) {
                return fields;
            }
            for (String name : IDENTIFYING_FIELDS) {
                if (json != null && json.path(name).isTextual()) {
                    fields.put(name, json.path(name).textValue());
                }
            }
            return fields;
        }

        /** The body on one line (runs of white space as one space), cut to {@code maxChars}. */
        public String excerpt(int maxChars) {
            String line = body.strip().replaceAll("\\s+", " ");
            return line.length() <= maxChars ? line : line.substring(0, maxChars) + "...";
        }
    }

    /** @param more whether the queue held more than {@link #MAX_LISTED}, which were left out */
    public record Listing(String queue, List<DeadLetter> letters, boolean more) {
    }

    /** The queue's messages, oldest first, without taking any. */
    public Listing list(String queue) throws JMSException {
        List<DeadLetter> letters = new ArrayList<>();
        try (QueueBrowser browser = browsing.createBrowser(browsing.createQueue(queue))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                if (letters.size() == MAX_LISTED) {
                    return new Listing(queue, List.copyOf(letters), true);
                }
                letters.add(deadLetter((Message) messages.nextElement()));
            }
        }
        return new Listing(queue, List.copyOf(letters), false);
    }

    /**
     * Moves one dead letter to {@code target} in one transaction, as a new message with the same body
     * and message group: the service's verdict on it (reason, time) stays behind, and the broker
     * stamps its new sender (the operator).
     *
     * @return false when the queue holds no message with that id (never there, or moved meanwhile)
     */
    public boolean requeue(String queue, String jmsMessageId, String target) throws JMSException {
        String selector = "JMSMessageID = '" + jmsMessageId.replace("'", "''") + "'";
        Queue from = moving.createQueue(queue);
        try (QueueBrowser browser = browsing.createBrowser(browsing.createQueue(queue), selector)) {
            if (!browser.getEnumeration().hasMoreElements()) {
                return false; // not there: no need to wait for a delivery that cannot come
            }
        }
        try (MessageConsumer consumer = moving.createConsumer(from, selector);
             MessageProducer producer = moving.createProducer(moving.createQueue(target))) {
            Message letter = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
            if (letter == null) {
                moving.rollback();
                return false;
            }
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(copy(letter));
            moving.commit();
            return true;
        } catch (JMSException | RuntimeException e) {
            moving.rollback();
            throw e;
        }
    }

    private Message copy(Message letter) throws JMSException {
        Message copy;
        if (letter instanceof BytesMessage bytes) {
            BytesMessage body = moving.createBytesMessage();
            body.writeBytes(bytes.getBody(byte[].class));
            copy = body;
        } else if (letter instanceof TextMessage text) {
            copy = moving.createTextMessage(text.getText());
        } else {
            // The service refuses any other kind unread; moving it back would only bring it here again.
            throw new JMSException("message " + letter.getJMSMessageID() + " is neither text nor bytes: not moved");
        }
        // Judged again as its first sender's, not as the operator's who moves it (SenderRules.ORIGINAL_SENDER):
        // a message refused for its sender stays refused. A dead letter that names none was the broker's
        // own or an external broker's; it is sent as it was, an empty sender, which the service refuses.
        String original = letter.getStringProperty(SenderRules.ORIGINAL_SENDER);
        if (original == null) {
            original = letter.getStringProperty(SenderRules.SENDER);
        }
        copy.setStringProperty(SenderRules.ORIGINAL_SENDER, original == null ? "" : original);
        String group = letter.getStringProperty(InvoiceGroup.PROPERTY);
        if (group != null) {
            copy.setStringProperty(InvoiceGroup.PROPERTY, group);
        }
        return copy;
    }

    private static DeadLetter deadLetter(Message message) throws JMSException {
        int deliveries = message.propertyExists("JMSXDeliveryCount") ? message.getIntProperty("JMSXDeliveryCount") : 1;
        return new DeadLetter(message.getJMSMessageID(), Instant.ofEpochMilli(message.getJMSTimestamp()),
                Optional.ofNullable(message.getStringProperty(QueueIntake.REJECT_REASON)),
                Optional.ofNullable(message.getStringProperty(QueueIntake.REJECTED_AT)),
                originalAddress(message), deliveries, body(message));
    }

    private static Optional<String> originalAddress(Message message) throws JMSException {
        String property = message.getStringProperty(ORIGINAL_ADDRESS_PROPERTY);
        if (property != null) {
            return Optional.of(property);
        }
        if (message instanceof JmsMessage jms && jms.getFacade() instanceof AmqpJmsMessageFacade amqp) {
            Object annotation = amqp.getTracingAnnotation(ORIGINAL_ADDRESS_ANNOTATION);
            return Optional.ofNullable(annotation).map(Object::toString);
        }
        return Optional.empty();
    }

    private static String body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText() == null ? "" : text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) Math.min(bytes.getBodyLength(), Limits.MAX_MESSAGE_BYTES)];
            bytes.readBytes(body);
            return new String(body, StandardCharsets.UTF_8);
        }
        return "(a " + message.getClass().getSimpleName() + ", not text or bytes)";
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
