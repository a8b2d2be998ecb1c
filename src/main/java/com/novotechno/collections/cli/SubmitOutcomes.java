package com.novotechno.collections.cli;

import com.novotechno.collections.camel.QueueOutcome;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers 'submit --wait' waits for (CONTRACT section 4): each message sent, known by its
 * JMSMessageID, which its answer carries as JMSCorrelationID, until every one is answered or the
 * time is up. Each answer is printed as it comes; the messages without one are named at the end.
 */
final class SubmitOutcomes {

    /** Messages one invocation may wait for: each costs its id and where it came from until answered. */
    static final int MAX_MESSAGES = 100_000;

    private final Map<String, String> pending = new LinkedHashMap<>();
    private long applied;
    private long duplicates;
    private long rejected;

    /** A message the broker confirmed, with {@code FILE:LINE}. */
    void sent(String jmsMessageId, String where) {
        if (pending.size() >= MAX_MESSAGES) {
            throw new IllegalStateException("more than " + MAX_MESSAGES + " messages to wait for");
        }
        pending.put(jmsMessageId, where);
    }

    /** Takes answers until each message has one or {@code timeout} has passed; exit 0 only if none was rejected or unanswered. */
    int await(MessageConsumer answers, Duration timeout, PrintWriter out, PrintWriter err) throws JMSException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            long leftMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            // receive(0) would wait for ever: the last millisecond is not waited for.
            Message answer = leftMillis < 1 ? null : answers.receive(leftMillis);
            if (answer == null) {
                break;
            }
            String where = pending.remove(answer.getJMSCorrelationID());
            if (where == null) {
                continue; // not one of ours: the queue is ours alone, so only a message answered twice
            }
            report(where, answer, out, err);
        }
        pending.values().forEach(where -> err.println(where + ": no answer within " + seconds(timeout)
                + " (sent; the service may not have taken it yet: see its log, collections.invoices and its DLQ)"));
        out.printf("submit: %d applied, %d duplicates, %d rejected, %d without an answer%n",
                applied, duplicates, rejected, pending.size());
        return rejected == 0 && pending.isEmpty() ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
    }

    private void report(String where, Message answer, PrintWriter out, PrintWriter err) throws JMSException {
        QueueOutcome outcome;
        try {
            outcome = QueueOutcome.parse(answer instanceof TextMessage text ? text.getText() : null);
        } catch (IllegalArgumentException e) {
            rejected++;
            err.println(where + ": an answer that cannot be read: " + e.getMessage());
            return;
        }
        switch (outcome.outcome()) {
            case APPLIED -> {
                applied++;
                out.println(where + ": message " + outcome.messageId() + " applied");
            }
            case DUPLICATE -> {
                duplicates++;
                out.println(where + ": message " + outcome.messageId() + " duplicate (applied before; nothing changed)");
            }
            case REJECTED -> {
                rejected++;
                err.println(where + ": " + outcome.reason());
            }
        }
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
