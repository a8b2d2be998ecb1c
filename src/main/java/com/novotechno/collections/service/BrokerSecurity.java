package com.novotechno.collections.service;

import static com.novotechno.collections.service.BrokerCredentials.EMAILER;
import static com.novotechno.collections.service.BrokerCredentials.OPERATOR;
import static com.novotechno.collections.service.BrokerCredentials.PRODUCER;
import static com.novotechno.collections.service.BrokerCredentials.SERVICE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;

/**
 * Who may log in to the embedded broker and what each user may do on each address. Each user
 * has a role of its own name. Without a default user, a connection without valid credentials is
 * refused, on every protocol.
 */
final class BrokerSecurity {

    private BrokerSecurity() {
    }

    /** The logins, and the roles below with the one grant they cannot express: see {@link TemporaryQueueSecurity}. */
    static TemporaryQueueSecurity securityManager(BrokerCredentials credentials) {
        SecurityConfiguration users = new SecurityConfiguration();
        credentials.passwords().forEach((user, password) -> {
            users.addUser(user, password);
            users.addRole(user, user);
        });
        return new TemporaryQueueSecurity(users);
    }

    /** Per address match; the most specific match wins, so the service is named in each. */
    static Map<String, Set<Role>> roles(String invoices, String invoicesDlq, String emailer, String alerts,
                                        List<String> brokerDeadLetters) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        // Anything else (a reply queue a client names, the broker's own) is the service's alone; a producer's or
        // the emailer's own temporary queue, for the service's answers, is granted by TemporaryQueueSecurity.
        roles.put("#", Set.of(owner(SERVICE)));
        roles.put(invoices, Set.of(reader(SERVICE, true), sender(PRODUCER), sender(EMAILER),
                // An operator moves a dead letter back here once its cause is fixed.
                browserAndSender(OPERATOR)));
        roles.put(invoicesDlq, Set.of(owner(SERVICE), reader(OPERATOR, false)));
        roles.put(emailer, Set.of(owner(SERVICE), reader(EMAILER, false)));
        roles.put(alerts, Set.of(owner(SERVICE), reader(OPERATOR, false)));
        for (String address : brokerDeadLetters) {
            roles.put(address, Set.of(owner(SERVICE), reader(OPERATOR, false)));
        }
        return roles;
    }

    private static Role owner(String name) {
        return new Role(name, true, true, true, true, true, true, true, true, true, true, true, true);
    }

    private static Role sender(String name) {
        return new Role(name, true, false, false, false, false, false, false, false, false, false, false, false);
    }

    private static Role browserAndSender(String name) {
        return new Role(name, true, false, false, false, false, false, false, true, false, false, false, false);
    }

    /** Consumes and browses; the service also sends its dead letters back through the invoices address' DLQ, not here. */
    private static Role reader(String name, boolean send) {
        return new Role(name, send, true, false, false, false, false, false, true, false, false, false, false);
    }
}
