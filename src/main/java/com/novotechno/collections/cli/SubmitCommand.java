package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Utf8;
import com.novotechno.collections.service.BrokerClients;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.service.ServiceSettings;
import com.novotechno.collections.service.EmbeddedBroker;
import com.novotechno.collections.service.InvoiceGroup;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.JmsSendTimedOutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Sends messages to the service's queue as any other program would, over AMQP. It does not check
 * them: the service does, and dead-letters what it refuses. Each is sent persistent and
 * confirmed by the broker before the next, with JMSXGroupID set to its invoice, so that with
 * several queue consumers one invoice's messages still apply in the order sent.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, description = {
        "Sends messages to the running service's queue (collections.invoices), as another program would.",
        "A .jsonl or .ndjson file holds one message a line; any other file holds one message.",
        "Exit 0 when every message was sent, 1 if a file could not be read or the broker not reached."})
final class SubmitCommand extends DataDirCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Message files to send, in order.")
    List<Path> files;

    private long sent;
    private long failed;

    @Override
    public Integer call() throws JMSException {
        Settings settings = settings();
        ServiceSettings serviceSettings = serviceSettings(settings);
        String url = serviceSettings.connectUrl();
        JmsConnectionFactory factory;
        try {
            factory = BrokerLogin.factory(settings, serviceSettings, BrokerCredentials.PRODUCER);
        } catch (BrokerLogin.NoCredentials e) {
            err().println("submit: " + e.getMessage());
            return CollectionsCommand.EXIT_FAULT;
        }
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(EmbeddedBroker.INVOICES));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (Path file : files) {
                submitFile(session, producer, file);
            }
        } catch (JmsSendTimedOutException e) {
            // A broker that neither confirms nor refuses holds its producers: a full one does.
            err().printf("submit: the broker at %s did not take the message within %d s: it may be full (its disk or"
                    + " memory over its limit; see its log); %d sent before%n", url,
                    BrokerClients.SEND_TIMEOUT_MILLIS / 1000, sent);
            return CollectionsCommand.EXIT_FAULT;
        } catch (JMSException e) {
            err().println("submit: cannot send to the broker at " + url + ": " + e.getMessage()
                    + " (is the service running? collections.broker.url names another broker)");
            return CollectionsCommand.EXIT_FAULT;
        }
        out().printf("submit: %d sent to %s, %d not sent%n", sent, EmbeddedBroker.INVOICES, failed);
        return failed == 0 ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
    }

    private void submitFile(Session session, MessageProducer producer, Path file) throws JMSException {
        try {
            MessageFiles.read(file, (message, where) -> send(session, producer, message, where));
        } catch (IOException e) {
            failed++;
            err().println(file + ": not sent: cannot read it: " + e.getMessage());
        }
    }

    private void send(Session session, MessageProducer producer, byte[] body, String where) throws JMSException {
        if (body.length > Limits.MAX_MESSAGE_BYTES) {
            failed++;
            err().println(where + ": not sent: larger than the limit of " + Limits.MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        Optional<String> text = Utf8.decode(body);
        // Text, as most clients send JSON; bytes that are not UTF-8 go as they are, for the service to refuse.
        Message message = text.isPresent() ? session.createTextMessage(text.get()) : bytesMessage(session, body);
        Optional<String> group = InvoiceGroup.of(body);
        if (group.isPresent()) {
            message.setStringProperty(InvoiceGroup.PROPERTY, group.get());
        }
        producer.send(message);
        sent++;
    }

    private static Message bytesMessage(Session session, byte[] body) throws JMSException {
        var message = session.createBytesMessage();
        message.writeBytes(body);
        return message;
    }
}
