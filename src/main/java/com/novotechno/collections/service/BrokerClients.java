package com.novotechno.collections.service;

import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.policy.JmsDefaultPrefetchPolicy;

/** How the service's routes and 'submit' connect to the broker, with a bound on every wait. */
public final class BrokerClients {

    /**
     * A send the broker neither confirms nor refuses (a full broker that blocks producers, one
     * that hangs) fails after this instead of holding its thread, and a transaction, for ever.
     */
    public static final long SEND_TIMEOUT_MILLIS = 30_000;
    public static final long CONNECT_TIMEOUT_MILLIS = 15_000;
    /**
     * Messages the broker hands a queue consumer ahead of the one it is applying. Qpid's default,
     * 1000, lets the first consumer to start take a whole backlog, and with it every message group
     * (invoice) in it, so the other consumers sat idle; with one ahead each, the broker binds groups
     * to consumers as they have room, and the consumers apply (and share the log's fsyncs) in parallel.
     */
    public static final int QUEUE_PREFETCH = 1;

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

    /** As {@link #connectionFactory}, for the service's queue consumers; a URL's own prefetch policy wins. */
    public static JmsConnectionFactory consumerConnectionFactory(String url) {
        JmsConnectionFactory factory = connectionFactory(url);
        if (!url.contains("jms.prefetchPolicy")) {
            JmsDefaultPrefetchPolicy prefetch = new JmsDefaultPrefetchPolicy();
            prefetch.setQueuePrefetch(QUEUE_PREFETCH);
            factory.setPrefetchPolicy(prefetch);
        }
        return factory;
    }
}
