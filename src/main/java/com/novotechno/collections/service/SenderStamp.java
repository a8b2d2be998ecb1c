package com.novotechno.collections.service;

import com.novotechno.collections.camel.QueueIntake;
import com.novotechno.collections.camel.SenderRules;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.utils.CompositeAddress;
import java.util.List;

/**
 * Writes the user the broker validated into every message sent to the invoices address, as the
 * property {@value #PROPERTY}, over whatever the client set there. Artemis' own
 * populate-validated-user does so for CORE and STOMP messages but not for AMQP ones, which
 * 'submit' and most clients send.
 */
final class SenderStamp implements ActiveMQServerMessagePlugin {

    public static final String PROPERTY = SenderRules.SENDER;

    /** Properties only the service or the broker writes on a message of the invoices address. */
    private static final List<String> SERVICE_OWNED = List.of(PROPERTY, SenderRules.ORIGINAL_SENDER,
            QueueIntake.REJECT_REASON, QueueIntake.REJECTED_AT, DeadLetterArrival.PROPERTY);

    private final String address;

    SenderStamp(String address) {
        this.address = address;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue) {
        String target = message.getAddress();
        if (target != null && address.equals(CompositeAddress.extractAddressName(target))) {
            String user = session.getValidatedUser();
            boolean operator = SenderRules.OPERATOR.equals(user);
            // The service's own properties are the service's and the broker's to write, never a client's: the sender
            // the route judges by, and the verdict 'dlq list' shows (a message the broker dead-letters itself keeps
            // its properties). JMS property names are case-sensitive, Camel's header names are not, so a client's
            // "collectionssender" would stand beside the stamp and could be the value the route reads: every spelling
            // goes, but for the first sender of a dead letter the operator moves back (dlq requeue), kept as named.
            for (SimpleString name : List.copyOf(message.getPropertyNames())) {
                String text = name.toString();
                boolean keep = operator && text.equals(SenderRules.ORIGINAL_SENDER);
                if (!keep && SERVICE_OWNED.stream().anyMatch(text::equalsIgnoreCase)) {
                    message.removeProperty(name);
                }
            }
            message.putStringProperty(PROPERTY, user == null ? "" : user);
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
