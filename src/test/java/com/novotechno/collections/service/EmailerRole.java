package com.novotechno.collections.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.testing.RunningService;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The emailer team's program as the README tells it to work: takes requests from
 * {@code collections.emailer} as the user {@code emailer}, answers each reminder or escalation (but
 * one in three, which it could not deliver yet: a payment revokes those) with a
 * {@code reminder.sent} whose {@code message_id} and {@code sent_at} are fixed by the request (so an
 * answer sent again is a duplicate), and commits the take and the answer in one transaction. It keeps
 * every delivery, to show that none came again once its take was committed: a repeat is allowed only
 * for a take a kill cut off (CONTRACT section 3: the same request_id may come more than once after a crash).
 */
final class EmailerRole extends KilledServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageConsumer consumer;
    private MessageProducer answers;
    private final Map<String, Instant> sentAt = new HashMap<>();
    /** By request_id and type: the body first delivered, how often it came, and the run its take was committed in. */
    private final Map<String, JsonNode> requests = new HashMap<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    private final Map<String, Integer> committedIn = new HashMap<>();
    private final List<String> repeatsAfterCommit = new ArrayList<>();
    /** Answers whose transaction committed, and every answer sent (a kill can cut a commit off with its outcome unknown). */
    private final Set<String> answered = new TreeSet<>();
    private final Set<String> answersSent = new TreeSet<>();
    private volatile long lastTakeNanos = System.nanoTime();

    EmailerRole(Path data) {
        super(data, true, "emailer");
    }

    @Override
    boolean step(int runNumber) throws JMSException, IOException {
        Session session = session(BrokerCredentials.EMAILER);
        if (consumer == null) {
            consumer = session.createConsumer(session.createQueue("collections.emailer"));
            answers = session.createProducer(session.createQueue("collections.invoices"));
        }
        Message message = consumer.receive(100);
        if (message == null) {
            return false;
        }
        lastTakeNanos = System.nanoTime();
        JsonNode request = parse(RunningService.bodyOf(message));
        String type = request.path("type").asText();
        String requestId = request.path("request_id").asText();
        String key = requestId + ":" + type;
        synchronized (this) {
            requests.putIfAbsent(key, request);
            deliveries.merge(key, 1, Integer::sum);
            if (committedIn.containsKey(key)) {
                repeatsAfterCommit.add(key + " in run " + runNumber + ", taken and committed in run " + committedIn.get(key));
            }
        }
        boolean answered = !type.equals("reminder.revoked") && !leavesUnanswered(requestId);
        if (answered) {
            this.answers.send(session.createTextMessage(answerTo(request).toString()));
            synchronized (this) {
                answersSent.add(answerId(requestId));
            }
        }
        session.commit();
        synchronized (this) {
            committedIn.putIfAbsent(key, runNumber);
            if (answered) {
                this.answered.add(answerId(requestId));
            }
        }
        return true;
    }

    /** The same answer every time the request comes: the same id, level and sent_at. */
    private ObjectNode answerTo(JsonNode request) {
        String requestId = request.path("request_id").asText();
        Instant sent;
        synchronized (this) {
            sent = sentAt.computeIfAbsent(requestId, id -> Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("type", "reminder.sent");
        answer.put("message_id", answerId(requestId));
        answer.put("client", request.path("client").asText());
        answer.put("invoice_number", request.path("invoice_number").asText());
        answer.put("level", request.path("level").asText());
        answer.put("sent_at", sent.toString());
        answer.put("request_id", requestId);
        return answer;
    }

    /** The requests it leaves unanswered, the same every time one comes: a third of them, by their id. */
    static boolean leavesUnanswered(String requestId) {
        return Math.floorMod(requestId.hashCode(), 3) == 0;
    }

    static String answerId(String requestId) {
        return "sent-" + requestId;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the emailer's queue held a message that is not JSON: " + body, e);
        }
    }

    @Override
    void disconnected() {
        consumer = null;
        answers = null;
    }

    /** Nanoseconds since the last message taken. */
    long idleNanos() {
        return System.nanoTime() - lastTakeNanos;
    }

    synchronized Map<String, JsonNode> requests() {
        return Map.copyOf(requests);
    }

    synchronized Map<String, Integer> deliveries() {
        return Map.copyOf(deliveries);
    }

    /** Every request and revocation taken, by request_id and type, its take committed or cut off by a kill. */
    synchronized Set<String> taken() {
        return Set.copyOf(deliveries.keySet());
    }

    synchronized Set<String> committed() {
        return Set.copyOf(committedIn.keySet());
    }

    synchronized List<String> repeatsAfterCommit() {
        return List.copyOf(repeatsAfterCommit);
    }

    /** The ids of the answers committed, each to be applied once. */
    synchronized Set<String> answered() {
        return Set.copyOf(answered);
    }

    /** The ids of every answer sent: those besides the committed ones may have reached the service or not. */
    synchronized Set<String> answersSent() {
        return Set.copyOf(answersSent);
    }
}
