package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.Utf8;
import com.novotechno.collections.service.BrokerClients;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.service.ServiceSettings;
import com.novotechno.collections.service.EmbeddedBroker;
import com.novotechno.collections.service.InvoiceGroup;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.JmsSendTimedOutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends messages to the service's queue as any other program would, over AMQP. Every file is
 * checked first (readable, each message JSON and within the size limit), and nothing is sent if
 * any is not; whether a message is valid is the service's to decide, and with --wait it answers
 * each one. Each is sent persistent and confirmed by the broker before the next, with JMSXGroupID
 * set to its invoice, so that with several queue consumers one invoice's messages still apply in
 * the order sent.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, description = {
        "Sends messages to the running service's queue, as another program would.",
        "The queue is collections.invoices. A .jsonl or .ndjson file holds one message a line; any other file holds"
                + " one message.",
        "Every message is checked first: if a file cannot be read, or a message is not JSON or is larger than"
                + " 64 KiB, each is reported as FILE:LINE: reason and nothing at all is sent.",
        "With --wait, each message's outcome is printed as the service answers: applied, duplicate, or the"
                + " reason it was rejected (as on its dead letter).",
        "The broker is the service's embedded one at 127.0.0.1:collections.broker.port (61616), or"
                + " collections.broker.url. --data-dir names the service's data folder, where submit reads the"
                + " producer's password (broker-credentials.properties) unless collections.broker.user is set;"
                + " nothing in it is changed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every message was sent (with --wait: and applied, or a duplicate)",
                "1:a file or message failed the check (nothing sent), the broker was not reached or took no message,"
                        + " or (with --wait) a message was rejected or not answered in time",
                "2:a usage error: no FILE, a bad --timeout, --wait with collections.broker.url"})
final class SubmitCommand extends DataDirCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Message files to send, in order.")
    List<Path> files;

    @Option(names = "--wait", description = "Wait for the service's answer to each message and print it.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "With --wait: how long to wait for all the answers (default: ${DEFAULT-VALUE}), as 60s, 5m or 1h.")
    String timeout;

    private long sent;
    private long failed;

    @Override
    public Integer call() throws JMSException {
        Settings settings = settings();
        ServiceSettings serviceSettings = serviceSettings(settings);
        Duration waitFor = waitTimeout();
        if (await && serviceSettings.brokerUrl().isPresent()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait needs the service's embedded broker: with "
                    + Settings.BROKER_URL + " set, the service cannot tell a sender's temporary queue from any other"
                    + " address, so it answers nobody");
        }
        SubmitCheck.Result check = SubmitCheck.of(files);
        if (!check.passed()) {
            check.problems().forEach(err()::println);
            if (check.unreported() > 0) {
                err().println("... and " + check.unreported() + " more");
            }
            err().println("submit: nothing sent: every message is checked before any is sent");
            return CollectionsCommand.EXIT_FAULT;
        }
        if (await && check.messages() > SubmitOutcomes.MAX_MESSAGES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait: " + check.messages()
                    + " messages, more than the " + SubmitOutcomes.MAX_MESSAGES + " one submit may wait for; send them in parts");
        }
        String url = serviceSettings.connectUrl();
        JmsConnectionFactory factory;
        try {
            factory = BrokerLogin.factory(settings, serviceSettings, BrokerCredentials.PRODUCER);
        } catch (BrokerLogin.NoCredentials e) {
            err().println("submit: " + e.getMessage());
            return CollectionsCommand.EXIT_FAULT;
        }
        SubmitOutcomes outcomes = new SubmitOutcomes();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue answers = null;
            MessageConsumer answerConsumer = null;
            if (await) {
                // Made and consumed before the first send, so no answer can come before anyone listens.
                answers = session.createTemporaryQueue();
                answerConsumer = session.createConsumer(answers);
            }
            MessageProducer producer = session.createProducer(session.createQueue(EmbeddedBroker.INVOICES));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (Path file : files) {
                submitFile(session, producer, file, answers, outcomes);
            }
            out().printf("submit: %d sent to %s, %d not sent%n", sent, EmbeddedBroker.INVOICES, failed);
            if (await) {
                int answered = outcomes.await(answerConsumer, waitFor, out(), err());
                return failed == 0 ? answered : CollectionsCommand.EXIT_FAULT;
            }
        } catch (JmsSendTimedOutException e) {
            // A broker that neither confirms nor refuses holds its producers: a full one does.
            err().printf("submit: the broker at %s did not take the message within %d s: it may be full (its disk or"
                    + " memory over its limit; see its log); %d sent before%n", url,
                    BrokerClients.SEND_TIMEOUT_MILLIS / 1000, sent);
            return CollectionsCommand.EXIT_FAULT;
        } catch (JMSSecurityException e) {
            err().println("submit: the broker at " + brokerName(serviceSettings) + " refused the login or the send of user '"
                    + java.util.Objects.requireNonNullElse(factory.getUsername(), "(none)") + "': " + e.getMessage());
            return CollectionsCommand.EXIT_FAULT;
        } catch (JMSException e) {
            err().println(unreachable(e)
                    ? "submit: no broker answers at " + brokerName(serviceSettings)
                            + (serviceSettings.brokerUrl().isPresent() ? "" : " (is the service running? its port is "
                                    + Settings.BROKER_PORT + ")") + " (" + e.getMessage() + ")"
                    : "submit: cannot send to the broker at " + brokerName(serviceSettings) + ": " + e.getMessage()
                            + "; " + sent + " sent before");
            return CollectionsCommand.EXIT_FAULT;
        }
        return failed == 0 ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
    }

    private Duration waitTimeout() {
        try {
            Duration duration = Settings.duration("--timeout", timeout, Duration.ofSeconds(1));
            if (duration.isZero()) {
                throw new IllegalArgumentException("--timeout must be longer than zero");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The embedded broker by its host and port; another by its URL and the key that names it. */
    private static String brokerName(ServiceSettings settings) {
        return settings.brokerUrl().map(url -> url + " (" + Settings.BROKER_URL + ")").orElse("127.0.0.1:" + settings.brokerPort());
    }

    /** Nothing listens there, or the host cannot be found or reached: not a broker that refused. */
    private static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private void submitFile(Session session, MessageProducer producer, Path file, Queue answers, SubmitOutcomes outcomes)
            throws JMSException {
        try {
            MessageFiles.read(file, (message, where) -> send(session, producer, message, where, answers, outcomes));
        } catch (IOException e) {
            failed++;
            err().println(file + ": not sent: cannot read it: " + e.getMessage());
        }
    }

    private void send(Session session, MessageProducer producer, byte[] body, String where, Queue answers,
                      SubmitOutcomes outcomes) throws JMSException {
        // Checked before anything was sent; a file changed since then is not sent what no longer passes.
        Optional<String> problem = SubmitCheck.problem(body);
        if (problem.isPresent()) {
            failed++;
            err().println(where + ": not sent: changed since it was checked: " + problem.get());
            return;
        }
        Optional<String> text = Utf8.decode(body);
        // Text, as most clients send JSON; JSON in another encoding goes as bytes, for the service to refuse.
        Message message = text.isPresent() ? session.createTextMessage(text.get()) : bytesMessage(session, body);
        Optional<String> group = InvoiceGroup.of(body);
        if (group.isPresent()) {
            message.setStringProperty(InvoiceGroup.PROPERTY, group.get());
        }
        if (answers != null) {
            message.setJMSReplyTo(answers);
        }
        producer.send(message);
        sent++;
        if (answers != null) {
            outcomes.sent(message.getJMSMessageID(), where);
        }
    }

    private static Message bytesMessage(Session session, byte[] body) throws JMSException {
        var message = session.createBytesMessage();
        message.writeBytes(body);
        return message;
    }
}
