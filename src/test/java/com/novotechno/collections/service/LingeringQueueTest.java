package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.RunningService;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one queue a producer may make is a temporary one, which the broker deletes with its connection. A CORE
 * client names the queue's kind itself: a non-durable queue that is not temporary would outlive its maker,
 * so a producer could leave any number of them (and their addresses) behind until the broker restarts.
 */
class LingeringQueueTest {

    @TempDir
    Path temp;

    @Test
    void aProducerMayNotMakeAQueueThatOutlivesItsConnection() throws Exception {
        try (RunningService service = RunningService.start(temp.resolve("data"), new FileSystemStorage(), Map.of())) {
            String name = UUID.randomUUID().toString();
            try (ServerLocator locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + service.port);
                 ClientSessionFactory factory = locator.createSessionFactory();
                 ClientSession session = factory.createSession(BrokerCredentials.PRODUCER,
                         service.credentials.password(BrokerCredentials.PRODUCER), false, true, true, false, 0)) {
                assertThatThrownBy(() -> session.createQueue(QueueConfiguration.of(name).setAddress(name)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(false).setTemporary(false)))
                        .hasMessageContaining("AMQ229213"); // not authorized
                // its own temporary queue it may make, under that name too: the refusal left no address behind
                session.createQueue(QueueConfiguration.of(name).setAddress(name)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(false).setTemporary(true));
            }
        }
    }
}
