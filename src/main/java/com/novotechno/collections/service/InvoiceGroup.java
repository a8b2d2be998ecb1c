package com.novotechno.collections.service;

import com.novotechno.collections.domain.MessageParser;
import com.novotechno.collections.domain.RejectedMessageException;
import java.util.Currency;
import java.util.Optional;

/**
 * The JMS message group of a message: its invoice, {@code client/invoice_number}. A broker
 * delivers one group's messages to one consumer at a time, in order, which is what keeps an
 * invoice's messages in order when several consumers share the queue.
 */
public final class InvoiceGroup {

    public static final String PROPERTY = "JMSXGroupID";
    /** The service's own parser; an invoice's key does not depend on the default currency. */
    private static final MessageParser PARSER = new MessageParser(Currency.getInstance("USD"));

    private InvoiceGroup() {
    }

    /** Empty for a message the service will refuse whatever its order; it says why then. */
    public static Optional<String> of(byte[] body) {
        try {
            return Optional.of(PARSER.parse(body).invoice().toString());
        } catch (RejectedMessageException refused) {
            return Optional.empty();
        }
    }
}
