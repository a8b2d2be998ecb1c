package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import com.novotechno.collections.testing.RunningService;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 15 (b): collections.retention.dlq counts a dead letter's age from its JMSTimestamp, which is the
 * sender's to set or leave out. An AMQP message without a creation time (a JMS producer with timestamps disabled,
 * many non-Java clients) has timestamp 0, so once the broker dead-letters it, the first retention run removed it
 * however young it was; one dated 2100 stayed for ever. The age must count from its arrival on the dead-letter queue.
 */
class Review15bDeadLetterRetentionTest {

    @TempDir
    Path data;

    @Test
    void aDeadLetterWithoutATimestampIsKeptItsRetentionFromItsArrival() throws Exception {
        int port = RunningService.freePort();
        try (EmbeddedBroker broker = RunningService.brokerAlone(data, port);
             Connection service = RunningService.connect(data, port, BrokerCredentials.SERVICE)) {
            Session session = service.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageProducer producer = session.createProducer(session.createQueue("collections.invoices.DLQ"))) {
                producer.setDisableMessageTimestamp(true); // as the broker moves a message whose sender set none
                producer.send(session.createTextMessage("{\"dead\":\"no timestamp\"}"));
            }
            Instant arrived = Instant.now();

            assertThat(broker.removeDeadLettersOlderThan(arrived.minus(Duration.ofHours(1))))
                    .as("a dead letter that arrived just now is not an hour old").isZero();
            assertThat(broker.removeDeadLettersOlderThan(arrived.plus(Duration.ofSeconds(1)))).isEqualTo(1);
        }
    }
}
