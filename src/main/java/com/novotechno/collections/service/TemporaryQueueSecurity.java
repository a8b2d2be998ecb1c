package com.novotechno.collections.service;

import com.novotechno.collections.camel.ReplyAddresses;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.activemq.artemis.utils.CompositeAddress;

/**
 * The embedded broker's logins and roles (BrokerSecurity), and one grant roles cannot express: a
 * producer or the emailer may make a temporary queue of its own, consume it and delete it, so the
 * service can tell it what became of its messages. Roles match addresses by name, and such a
 * queue's name is a UUID, matched only by "#", which stays the service's alone; so this grant
 * asks the broker instead: creating is allowed for a queue on an address of its own name that
 * does not exist yet (never a subscription to another address, nor a configured queue);
 * consuming and deleting, for a temporary queue the broker recorded this user as having made.
 * It is also what tells the queue route whether a reply-to address is such a queue.
 */
final class TemporaryQueueSecurity extends ActiveMQJAASSecurityManager implements ReplyAddresses {

    private static final Set<String> CLIENTS = Set.of(BrokerCredentials.PRODUCER, BrokerCredentials.EMAILER);
    private static final Set<CheckType> CREATE = Set.of(CheckType.CREATE_NON_DURABLE_QUEUE, CheckType.CREATE_ADDRESS);
    private static final Set<CheckType> USE = Set.of(CheckType.CONSUME, CheckType.DELETE_NON_DURABLE_QUEUE);

    /** Set once the broker exists, which is made with this manager; until then the grant gives nothing. */
    private volatile ActiveMQServer server;

    TemporaryQueueSecurity(SecurityConfiguration users) {
        super(InVMLoginModule.class.getName(), users);
    }

    void attach(ActiveMQServer broker) {
        this.server = broker;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        return super.authorize(subject, roles, checkType, address) || ownTemporaryQueue(getUserFromSubject(subject), checkType, address);
    }

    /** Artemis asks about a queue as ADDRESS::QUEUE; a temporary queue of one's own is on an address of its name. */
    private boolean ownTemporaryQueue(String user, CheckType checkType, String address) {
        ActiveMQServer broker = server;
        if (broker == null || user == null || !CLIENTS.contains(user) || address == null
                || !CompositeAddress.isFullyQualified(address)) {
            return false;
        }
        String name = CompositeAddress.extractAddressName(address);
        if (!name.equals(CompositeAddress.extractQueueName(address))) {
            return false;
        }
        if (CREATE.contains(checkType)) {
            return TemporaryQueues.isFreeName(broker, name);
        }
        return USE.contains(checkType) && TemporaryQueues.isOwnedBy(broker, name, user);
    }

    @Override
    public boolean isTemporaryQueueOf(String address, String sender) {
        ActiveMQServer broker = server;
        return broker != null && TemporaryQueues.isOwnedBy(broker, address, sender);
    }
}
