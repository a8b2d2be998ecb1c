package com.novotechno.collections.camel;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue route's logic. The route's transaction commits (acknowledging the message) only
 * after {@link #apply} returns, that is after the event is durable; an exception rolls it back
 * and the broker redelivers.
 */
public final class QueueIntake {

    /** Set on a dead-lettered message: why it was refused, and when. Valid JMS property names. */
    public static final String REJECT_REASON = "CollectionsRejectReason";
    public static final String REJECTED_AT = "CollectionsRejectedAt";
    private static final Logger LOG = LoggerFactory.getLogger(QueueIntake.class);

    private final CollectionsStore store;
    private final Clock clock;
    private final Runnable onStoreFailure;
    private final SenderRules senders;
    private final IntakeMeter meter;

    public QueueIntake(CollectionsStore store, Clock clock, Runnable onStoreFailure, SenderRules senders) {
        this(store, clock, onStoreFailure, senders, IntakeMeter.NONE);
    }

    public QueueIntake(CollectionsStore store, Clock clock, Runnable onStoreFailure, SenderRules senders, IntakeMeter meter) {
        this.store = store;
        this.clock = clock;
        this.onStoreFailure = onStoreFailure;
        this.senders = senders;
        this.meter = meter;
    }

    /**
     * Takes the body as it came, text or bytes, and leaves it as it is, so a dead letter carries
     * exactly what was sent. Text is encoded as UTF-8 whatever the platform's default.
     * Returns what became of it, which replaces the body.
     */
    public ApplyResult apply(@Body Object body, @Header(SenderRules.SENDER) String sender,
                             @Header(SenderRules.ORIGINAL_SENDER) String originalSender)
            throws RejectedMessageException, IOException {
        byte[] message;
        if (body instanceof byte[] bytes) {
            message = bytes;
        } else if (body instanceof String text) {
            message = text.getBytes(StandardCharsets.UTF_8);
        } else {
            throw new RejectedMessageException(null, "the message body is neither text nor bytes but "
                    + (body == null ? "empty" : body.getClass().getSimpleName()));
        }
        senders.check(sender, originalSender, message);
        ApplyResult result = StoreCalls.apply(store, onStoreFailure, meter, message);
        LOG.info("queue: {} message {} (log seq {})",
                result.outcome() == ApplyResult.Outcome.APPLIED ? "applied" : "duplicate of", result.messageId(), result.seq());
        return result; // the body from here on, for queueOutcomes
    }

    /** Names the reason on the message before the route sends it, body untouched, to the dead-letter queue. */
    public void reject(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) RejectedMessageException rejection,
                       @Headers Map<String, Object> headers) {
        LOG.warn("queue: {}", rejection.getMessage());
        headers.put(REJECT_REASON, rejection.getMessage());
        headers.put(REJECTED_AT, clock.instant().toString());
        meter.rejected();
    }

    /**
     * The dead-letter send failed. Rethrown, with what was being dead-lettered and why the send
     * failed, so that the transaction rolls back and the broker keeps the message for a retry.
     */
    public void deadLetterFailed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure,
                                 @Header(REJECT_REASON) String reason) throws IOException {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = "queue: could not dead-letter (" + reason + ") to collections.invoices.DLQ: " + root.getMessage()
                + "; rolled back, the broker redelivers it later (a broker over its disk or memory limit refuses"
                + " or holds sends)";
        LOG.error(message);
        throw new IOException(message, failure);
    }
}
