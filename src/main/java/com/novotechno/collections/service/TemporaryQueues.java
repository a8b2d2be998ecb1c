package com.novotechno.collections.service;

import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;

/**
 * The temporary queues clients make for the service's answers, as 'submit --wait' does: a queue
 * on an address of its own name, which the broker deletes with its connection and whose maker it
 * records. Its name is a UUID, as Artemis names an AMQP client's temporary queue, so that no such
 * queue can take the name of an address the broker or the service uses (a CORE client names its
 * own temporary queues). A topic subscription is a temporary queue too, but on another address.
 */
final class TemporaryQueues {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private TemporaryQueues() {
    }

    /** A name a client may make its temporary queue under: shaped as one, and nothing of that name exists yet. */
    static boolean isFreeName(ActiveMQServer server, String name) {
        SimpleString queue = SimpleString.of(name);
        return UUID.matcher(name).matches() && server.getAddressInfo(queue) == null && server.locateQueue(queue) == null;
    }

    /** True if {@code name} is a temporary queue on its own address that broker user {@code user} made. */
    static boolean isOwnedBy(ActiveMQServer server, String name, String user) {
        if (name == null || user == null || !UUID.matcher(name).matches()) {
            return false;
        }
        Queue queue = server.locateQueue(SimpleString.of(name));
        return queue != null && queue.isTemporary() && queue.getAddress().toString().equals(name)
                && queue.getUser() != null && queue.getUser().toString().equals(user);
    }
}
