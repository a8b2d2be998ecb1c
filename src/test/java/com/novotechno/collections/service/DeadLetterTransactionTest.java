package com.novotechno.collections.service;

import static org.apache.camel.builder.Builder.exchangeProperty;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter send commits with the message's acknowledgement, in the consumer's own
 * transaction: if the route fails after sending the dead letter, both roll back.
 */
class DeadLetterTransactionTest extends ServiceTestSupport {

    /** Deliveries come about 0, 1 and 3 s apart (the broker's backoff); a start and three of them fit well within. */
    private static final long WAIT_SECONDS = 30;

    @Test
    void aFailureAfterTheDeadLetterSendRollsTheDeadLetterBackWithTheMessage() throws Exception {
        // The shipped queue route, failing at its end once a message was dead-lettered: after the dead-letter
        // send, outside its doTry (AdviceWith does not weave inside a doCatch, where the send's own steps are). The
        // caught rejection marks it: the outcome step has replaced the message and its headers by then.
        running = RunningService.startAdvised(data, Map.of(), context -> AdviceWith.adviceWith(context, "queue-intake",
                route -> route.weaveAddLast().filter(exchangeProperty(Exchange.EXCEPTION_CAUGHT).isInstanceOf(RejectedMessageException.class))
                        .throwException(new IllegalStateException("the route fails after the dead letter went out"))));
        NotifyBuilder threeFailedDeliveries = new NotifyBuilder(running.camel())
                .fromRoute("queue-intake").whenFailed(3).create();

        running.send(Messages.escalated("p1", "ACME", "INV-404", "no reply"));

        boolean failedThrice = threeFailedDeliveries.matches(WAIT_SECONDS, TimeUnit.SECONDS);
        // Outside one transaction each attempt would have left a dead letter behind.
        assertThat(running.waiting("collections.invoices.DLQ")).isZero();
        assertThat(failedThrice).as("three deliveries of the rejected message, each failing after its dead-letter send")
                .isTrue();
    }
}
