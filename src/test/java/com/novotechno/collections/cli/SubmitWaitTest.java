package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'submit --wait': the service's answer to each message, and that it answers no one else. */
class SubmitWaitTest extends CommandLineRunner {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private static String line(byte[] message) {
        return new String(message, StandardCharsets.UTF_8) + "\n";
    }

    private int submitAndWait(RunningService running, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "submit";
        args[1] = "--wait";
        args[2] = "--data-dir=" + running.layout.root();
        args[3] = "--collections.broker.port=" + running.port;
        System.arraycopy(more, 0, args, 4, more.length);
        return run(args);
    }

    @Test
    void waitReportsEachMessageAppliedDuplicateOrRejectedWithTheReasonOnItsDeadLetter() throws Exception {
        try (RunningService running = RunningService.start(temp.resolve("data"))) {
            Path first = Files.write(temp.resolve("first.json"), Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"));
            assertThat(submitAndWait(running, first.toString())).isZero();
            assertThat(out).contains("first.json:1: message s1 applied\n")
                    .endsWith("submit: 1 applied, 0 duplicates, 0 rejected, 0 without an answer\n");

            Path batch = Files.writeString(temp.resolve("batch.jsonl"), line(Messages.payment("p1", "ACME", "INV-1", "30.00", "USD"))
                    + line(Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"))
                    + line(Messages.escalated("e1", "ACME", "INV-404", "no answer")));
            assertThat(submitAndWait(running, batch.toString())).isEqualTo(1);

            assertThat(out).contains("submit: 3 sent to collections.invoices, 0 not sent\n")
                    .contains("batch.jsonl:1: message p1 applied\n")
                    .contains("batch.jsonl:2: message s1 duplicate (applied before; nothing changed)\n")
                    .endsWith("submit: 1 applied, 1 duplicates, 1 rejected, 0 without an answer\n");
            Message dead = running.receive("collections.invoices.DLQ", WAIT).orElseThrow();
            String reason = dead.getStringProperty("CollectionsRejectReason");
            assertThat(reason).isEqualTo("message e1 rejected: invoice ACME/INV-404 does not exist");
            assertThat(err).isEqualTo(batch + ":3: " + reason + "\n");
            // Answered only after the store took it: the balance is there when submit returns.
            assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-1")).orElseThrow().balance().toPlainString())
                    .isEqualTo("70.00");
        }
    }

    @Test
    void aMessageNotAnsweredInTimeIsNamedAndExitsOne() throws Exception {
        // Without the queue route nobody takes the messages, so nobody answers.
        Path routes = RunningService.shippedRoutesBut(Files.createDirectories(temp.resolve("routes")), "queue-intake.yaml");
        try (RunningService running = RunningService.start(temp.resolve("data"), new FileSystemStorage(),
                Map.of("collections.routes", routes.toString()))) {
            Path batch = Files.writeString(temp.resolve("batch.jsonl"), line(Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"))
                    + "\n" + line(Messages.issued("s2", "ACME", "INV-2", "100.00", "USD")));

            assertThat(submitAndWait(running, "--timeout=1s", batch.toString())).isEqualTo(1);

            assertThat(err).contains("batch.jsonl:1: no answer within 1 s").contains("batch.jsonl:3: no answer within 1 s");
            assertThat(out).endsWith("submit: 0 applied, 0 duplicates, 0 rejected, 2 without an answer\n");
            assertThat(running.waiting("collections.invoices")).isEqualTo(2);
        }
    }

    @Test
    void waitAgainstAnotherBrokerIsAUsageError() {
        assertThat(run("submit", "--wait", "--collections.broker.url=amqp://127.0.0.1:1", temp.toString())).isEqualTo(2);
        assertThat(err).contains("--wait needs the service's embedded broker");
    }

    /**
     * A producer names where the answer goes, so the service answers only a temporary queue its own
     * sender made: not a named queue (here the operator's alerts), nor another user's temporary queue.
     */
    @Test
    void theServiceAnswersNoAddressButATemporaryQueueOfTheMessagesOwnSender() throws Exception {
        Path data = temp.resolve("data");
        try (RunningService running = RunningService.start(data);
             Connection emailer = RunningService.connect(data, running.port, BrokerCredentials.EMAILER)) {
            emailer.start();
            Session emailerSession = emailer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue emailersOwn = emailerSession.createTemporaryQueue();
            MessageConsumer emailersAnswers = emailerSession.createConsumer(emailersOwn);

            running.send(Messages.issued("r1", "ACME", "INV-1", "10.00", "USD"), Map.of(), "collections.alerts");
            running.send(Messages.escalated("r2", "ACME", "INV-404", "no reply"), Map.of(), "collections.alerts");
            running.send(Messages.issued("r3", "ACME", "INV-3", "10.00", "USD"), Map.of(), emailersOwn.getQueueName());

            assertThat(running.receive("collections.invoices.DLQ", WAIT).orElseThrow().getStringProperty("CollectionsRejectReason"))
                    .contains("r2");
            await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-3")).isPresent());
            assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-1"))).isPresent();
            assertThat(running.receive("collections.alerts", Duration.ofSeconds(1))).isEmpty();
            assertThat(emailersAnswers.receive(1000)).isNull();
        }
    }

    @Test
    void aTemporaryQueueIsConsumedByItsMakerAloneAndAnswersAreCorrelatedToTheRequest() throws Exception {
        Path data = temp.resolve("data");
        try (RunningService running = RunningService.start(data);
             Connection producer = RunningService.connect(data, running.port, BrokerCredentials.PRODUCER);
             Connection emailer = RunningService.connect(data, running.port, BrokerCredentials.EMAILER);
             Connection operator = RunningService.connect(data, running.port, BrokerCredentials.OPERATOR)) {
            producer.start();
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue answers = session.createTemporaryQueue();
            MessageConsumer consumer = session.createConsumer(answers);

            for (Connection other : new Connection[] {emailer, operator}) {
                other.start();
                Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
                try {
                    otherSession.createConsumer(otherSession.createQueue(answers.getQueueName())).close();
                    throw new AssertionError("another user consumed the producer's temporary queue");
                } catch (jakarta.jms.JMSSecurityException expected) {
                    // refused by the broker
                }
            }

            MessageProducer sender = session.createProducer(session.createQueue("collections.invoices"));
            Message request = session.createTextMessage(new String(Messages.issued("t1", "ACME", "INV-1", "10.00", "USD"),
                    StandardCharsets.UTF_8));
            request.setJMSReplyTo(answers);
            sender.send(request);

            Message answer = consumer.receive(WAIT.toMillis());
            assertThat(answer).isNotNull();
            assertThat(answer.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
            assertThat(answer.getBody(String.class)).isEqualTo("{\"message_id\":\"t1\",\"outcome\":\"applied\"}");
        }
    }
}
