package com.novotechno.collections.service;

import org.apache.qpid.jms.JmsConnectionFactory;

/** How the service's routes and 'submit' connect to the broker, with a bound on every wait. */
public final class BrokerClients {

    /**
     * A send the broker neither confirms nor refuses (a full broker that blocks producers, one
     * that hangs) fails after this instead of holding its thread, and a transaction, for ever.
     */
    public static final long SEND_TIMEOUT_MILLIS = 30_000;
    public static final long CONNECT_TIMEOUT_MILLIS = 15_000;

    private BrokerClients() {
    }

    /** A factory for the URL; options the URL sets itself (jms.sendTimeout=...) win over these bounds. */
    public static JmsConnectionFactory connectionFactory(String url) {
        JmsConnectionFactory factory = new JmsConnectionFactory(url);
        if (!url.contains("jms.sendTimeout")) {
            factory.setSendTimeout(SEND_TIMEOUT_MILLIS);
        }
        if (!url.contains("jms.connectTimeout")) {
            factory.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        }
        return factory;
    }
}
