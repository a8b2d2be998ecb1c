package com.novotechno.collections.service;

import com.novotechno.collections.camel.SenderRules;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.utils.CompositeAddress;

/**
 * Writes the user the broker validated into every message sent to the invoices address, as the
 * property {@value #PROPERTY}, over whatever the client set there. Artemis' own
 * populate-validated-user does so for CORE and STOMP messages but not for AMQP ones, which
 * 'submit' and most clients send.
 */
final class SenderStamp implements ActiveMQServerMessagePlugin {

    public static final String PROPERTY = SenderRules.SENDER;

    private final String address;

    SenderStamp(String address) {
        this.address = address;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue) {
        String target = message.getAddress();
        if (target != null && address.equals(CompositeAddress.extractAddressName(target))) {
            String user = session.getValidatedUser();
            message.putStringProperty(PROPERTY, user == null ? "" : user);
            // A dead letter's first sender is the operator's to carry back (dlq requeue), nobody else's to claim.
            if (!SenderRules.OPERATOR.equals(user)) {
                message.removeProperty(SenderRules.ORIGINAL_SENDER);
            }
            // Broker-side deduplication is the service's tool, not a producer's: one producer naming an id
            // could have another's message dropped after its receipt. The service deduplicates by message_id.
            message.removeProperty(Message.HDR_DUPLICATE_DETECTION_ID);
            // The address has one anycast queue: a multicast send would be confirmed and routed nowhere.
            message.setRoutingType(RoutingType.ANYCAST);
            // An AMQP message is delivered and stored from its encoded bytes, which must carry the property too
            // (a large one would be delivered from its client's bytes: EmbeddedBroker stores none as large).
            message.messageChanged();
        }
    }
}
