package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.service.BrokerClients;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.service.ServiceSettings;
import java.io.IOException;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * How a command logs in to the service's broker: as collections.broker.user when that is set;
 * otherwise, for the embedded broker, as the command's own user with its password from the data
 * folder's broker-credentials.properties, as any client on the service's machine would.
 */
final class BrokerLogin {

    /** No credentials to log in with; the message says where they were looked for and what to do. */
    static final class NoCredentials extends Exception {
        NoCredentials(String message) {
            super(message);
        }
    }

    private BrokerLogin() {
    }

    static JmsConnectionFactory factory(Settings settings, ServiceSettings service, String user) throws NoCredentials {
        JmsConnectionFactory factory = BrokerClients.connectionFactory(service.connectUrl());
        String configured = settings.get(Settings.BROKER_USER);
        if (!configured.isEmpty()) {
            factory.setUsername(configured);
            factory.setPassword(settings.get(Settings.BROKER_PASSWORD));
        } else if (service.brokerUrl().isEmpty()) {
            try {
                factory.setUsername(user);
                factory.setPassword(BrokerCredentials.read(settings.dataDir()).password(user));
            } catch (IOException | IllegalArgumentException e) {
                throw new NoCredentials("no broker credentials in " + BrokerCredentials.file(settings.dataDir())
                        + " (" + e.getMessage() + "): start the service on this data folder first, or set "
                        + Settings.BROKER_USER + " and " + Settings.BROKER_PASSWORD);
            }
        }
        return factory;
    }
}
