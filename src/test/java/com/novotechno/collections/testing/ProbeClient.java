package com.novotechno.collections.testing;

import java.time.Duration;

/**
 * A client of one protocol, logged in as one user, that tries what a user may or may not do on an
 * address with a probe: a message marked with {@value #PROPERTY} = an id of its own, so that a
 * check finds exactly it among whatever else the address holds. Each call throws the protocol's
 * own error when the broker refuses it; opening one throws it when the broker refuses the login.
 */
public interface ProbeClient extends AutoCloseable {

    /** The message property that marks a probe; its value is the probe's id. */
    String PROPERTY = "Probe";

    /** The protocols the embedded broker speaks, and the error each one's clients get when it refuses them. */
    enum Protocol {
        AMQP(jakarta.jms.JMSSecurityException.class, jakarta.jms.JMSException.class),
        STOMP(StompProbeClient.Refused.class, StompProbeClient.Refused.class),
        CORE(org.apache.activemq.artemis.api.core.ActiveMQSecurityException.class,
                org.apache.activemq.artemis.api.core.ActiveMQException.class),
        OPENWIRE(javax.jms.JMSSecurityException.class, javax.jms.JMSException.class);

        private final Class<? extends Exception> refusal;
        private final Class<? extends Exception> failure;

        Protocol(Class<? extends Exception> refusal, Class<? extends Exception> failure) {
            this.refusal = refusal;
            this.failure = failure;
        }

        /** What a client of this protocol sees when the broker's security refuses its login or an operation. */
        public Class<? extends Exception> refusal() {
            return refusal;
        }

        /** Any error the broker answers a client of this protocol with: a refusal, or a queue that does not exist. */
        public Class<? extends Exception> failure() {
            return failure;
        }

        /** Logs in as the user (none: anonymous); throws {@link #refusal()} if the broker refuses. */
        public ProbeClient open(int port, String user, String password) throws Exception {
            return switch (this) {
                case AMQP -> AmqpProbeClient.open(port, user, password);
                case STOMP -> StompProbeClient.open(port, user, password);
                case CORE -> CoreProbeClient.open(port, user, password);
                case OPENWIRE -> OpenWireProbeClient.open(port, user, password);
            };
        }

        /** STOMP has no browsing: Artemis' STOMP subscriptions always consume. */
        public boolean browses() {
            return this != STOMP;
        }
    }

    /** Sends a persistent probe to the queue; returns once the broker has confirmed it. */
    void send(String queue, String probe) throws Exception;

    /** Whether the probe reached a consumer on the queue within the wait, acknowledged (so taken off the queue). */
    boolean consume(String queue, String probe, Duration wait) throws Exception;

    /** Whether a browser on the queue saw the probe within the wait, leaving it there. */
    boolean browse(String queue, String probe, Duration wait) throws Exception;

    /**
     * Subscribes to the address as to a topic: a queue of the client's own, made by the broker for it,
     * that would get a copy of every message sent there. It is held until the client closes.
     */
    void subscribe(String address) throws Exception;

    static String selector(String probe) {
        return PROPERTY + " = '" + probe + "'";
    }
}
