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

/** collections.retention.dlq on the embedded broker: dead letters sent before the cut-off go, later ones stay. */
class DeadLetterRetentionTest {

    @TempDir
    Path data;

    @Test
    void deadLettersSentBeforeTheCutOffAreRemovedFromBothQueues() throws Exception {
        int port = RunningService.freePort();
        try (EmbeddedBroker broker = RunningService.brokerAlone(data, port);
             Connection service = RunningService.connect(data, port, BrokerCredentials.SERVICE);
             Connection operator = RunningService.connect(data, port, BrokerCredentials.OPERATOR)) {
            Session session = service.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : new String[] {"collections.invoices.DLQ", "DLQ"}) {
                try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
                    producer.send(session.createTextMessage("{\"dead\":\"" + queue + "\"}"));
                }
            }
            Instant sent = Instant.now();

            assertThat(broker.removeDeadLettersOlderThan(sent.minus(Duration.ofHours(1)))).isZero();
            assertThat(waiting(operator, "collections.invoices.DLQ") + waiting(operator, "DLQ")).isEqualTo(2);

            assertThat(broker.removeDeadLettersOlderThan(sent.plus(Duration.ofSeconds(1)))).isEqualTo(2);
            assertThat(waiting(operator, "collections.invoices.DLQ") + waiting(operator, "DLQ")).isZero();
        }
    }

    private static int waiting(Connection connection, String queue) throws Exception {
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            return Collections.list(browser.getEnumeration()).size();
        }
    }
}
