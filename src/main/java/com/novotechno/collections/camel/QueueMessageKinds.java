package com.novotechno.collections.camel;

import com.novotechno.collections.domain.RejectedMessageException;
import jakarta.jms.MapMessage;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;

/**
 * The queue route's first step: refuses a JMS map, object or stream message before anything reads
 * its body. A step, not a bean method: Camel's bean binding reads the body of every message it
 * binds, and the body of an ObjectMessage is a serialised Java object, which would run the code of
 * whatever classes its sender chose (Camel refuses it, and the message was retried as if the
 * failure were transient, then dead-lettered without a reason). None of the three is JSON text.
 */
public final class QueueMessageKinds implements Processor {

    @Override
    public void process(Exchange exchange) throws RejectedMessageException {
        if (!(exchange.getIn() instanceof JmsMessage in)) {
            return; // not from a JMS consumer: a body as any other route step sees it
        }
        jakarta.jms.Message received = in.getJmsMessage();
        if (received instanceof ObjectMessage || received instanceof StreamMessage) {
            // Set before it is read, so it never is: the dead letter goes with the reason and without this body.
            in.setBody(new byte[0]);
        }
        String kind = received instanceof ObjectMessage ? "ObjectMessage, which is never deserialised"
                : received instanceof StreamMessage ? "StreamMessage"
                : received instanceof MapMessage ? "MapMessage" : null;
        if (kind != null) {
            throw new RejectedMessageException(null, "the message body is neither text nor bytes but a JMS " + kind);
        }
    }
}
