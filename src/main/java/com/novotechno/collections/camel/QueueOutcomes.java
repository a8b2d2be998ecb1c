package com.novotechno.collections.camel;

import com.novotechno.collections.domain.Printable;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue route's answers to senders (CONTRACT section 4). After a message is applied, found a
 * duplicate or dead-lettered, the exchange's message becomes its outcome addressed to the
 * sender's reply-to queue, if that is a temporary queue the message's broker-validated sender
 * made; otherwise a message without a body, which the route does not send. The route sends it on
 * the message's own session, so it leaves only if the message's transaction commits.
 */
public final class QueueOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(QueueOutcomes.class);

    private final ReplyAddresses replyAddresses;

    public QueueOutcomes(ReplyAddresses replyAddresses) {
        this.replyAddresses = replyAddresses;
    }

    /** After queueIntake.apply, whose result is the body. */
    public void applied(Exchange exchange) throws JMSException, InvalidPayloadException {
        ApplyResult result = exchange.getMessage().getMandatoryBody(ApplyResult.class);
        QueueOutcome.Kind kind = result.outcome() == ApplyResult.Outcome.APPLIED ? QueueOutcome.Kind.APPLIED : QueueOutcome.Kind.DUPLICATE;
        answer(exchange, new QueueOutcome(result.messageId(), kind, null));
    }

    /** After the dead letter was sent, with the rejection the route caught. */
    public void rejected(Exchange exchange) throws JMSException {
        RejectedMessageException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RejectedMessageException.class);
        answer(exchange, new QueueOutcome(rejection.messageId(), QueueOutcome.Kind.REJECTED, rejection.getMessage()));
    }

    /**
     * From the headers Camel copied from the JMS message (the message itself is no longer the
     * exchange's after a bean's result): its reply-to, id and the sender the broker stamped. Whatever
     * a client sets there, the answer goes nowhere but a temporary queue the broker says that sender made.
     */
    private void answer(Exchange exchange, QueueOutcome outcome) throws JMSException {
        Message request = exchange.getMessage();
        String address = queueName(request.getHeader(JmsConstants.JMS_HEADER_REPLY_TO));
        String sender = request.getHeader(SenderRules.SENDER, String.class);
        String requestId = request.getHeader(JmsConstants.JMS_HEADER_MESSAGE_ID, String.class);
        Message answer = new DefaultMessage(exchange);
        if (address != null && replyAddresses.isTemporaryQueueOf(address, sender)) {
            answer.setBody(outcome.toJson());
            answer.setHeader(JmsConstants.JMS_DESTINATION_NAME, address);
            answer.setHeader(JmsConstants.JMS_HEADER_CORRELATION_ID, requestId);
        } else if (address != null) {
            // Most likely a client that sets a reply-to for its own reasons; the route answers nobody else.
            LOG.info("queue: message {} names {} to reply to, not a temporary queue its sender made: no outcome sent",
                    Printable.escape(String.valueOf(outcome.messageId())), Printable.escape(address));
        }
        exchange.setMessage(answer);
    }

    private static String queueName(Object destination) throws JMSException {
        return destination instanceof Queue queue ? queue.getQueueName() : null;
    }

    /** The answer could not be sent: logged, and the message's own transaction goes on to commit. */
    public void notSent(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("queue: could not send an outcome to {} (its sender may have gone): {}",
                Printable.escape(String.valueOf(exchange.getMessage().getHeader(JmsConstants.JMS_DESTINATION_NAME))),
                failure == null ? "cause unknown" : failure.getMessage());
    }
}
