package com.novotechno.collections.domain;

import java.math.BigDecimal;

/** Every size, length and count the service accepts has a named upper bound, here. */
public final class Limits {

    /** One message, as a file or a queue body or a JSON Lines line. Real messages are under 1 KiB. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Messages are flat objects; anything nested deeper is refused by the JSON reader itself. */
    public static final int MAX_JSON_NESTING_DEPTH = 4;
    public static final int MAX_MESSAGE_FIELDS = 32;
    public static final int MAX_NUMBER_CHARS = 32;

    public static final int MAX_MESSAGE_ID_CHARS = 128;
    public static final int MAX_NAME_CHARS = 64;
    public static final int MAX_REASON_CHARS = 1000;
    public static final int MAX_REFERENCE_CHARS = 128;
    public static final int MAX_METHOD_CHARS = 64;
    public static final int MAX_EMAIL_CHARS = 254;
    public static final int MAX_LEVEL_CHARS = 32;

    /**
     * CONTRACT section 1: one message's amount is at most 10^12 in the currency's major unit.
     * An input limit only: totals of many messages go beyond it (see MAX_AMOUNT_INTEGER_DIGITS).
     */
    public static final BigDecimal MAX_AMOUNT = BigDecimal.TEN.pow(12);

    /**
     * Digits before the point of any amount, totals included. Sized for the largest sum the
     * inputs allow with room to spare: Long.MAX_VALUE invoices at MAX_AMOUNT is under 10^32.
     */
    public static final int MAX_AMOUNT_INTEGER_DIGITS = 40;

    /** Bounds a state file's size: an invoice paid in a thousand instalments is already absurd. */
    public static final int MAX_PAYMENTS_PER_INVOICE = 1000;
    public static final int MAX_REMINDERS_PER_INVOICE = 100;
    /** Credit notes on one invoice: a few partial credits, never hundreds. */
    public static final int MAX_CREDITS_PER_INVOICE = 100;
    /** Corrections of one invoice's contact or due date. */
    public static final int MAX_AMENDMENTS_PER_INVOICE = 100;
    /** Payments held for one invoice not yet issued: a bank feed racing an extractor sends a few, not hundreds. */
    public static final int MAX_HELD_PAYMENTS_PER_INVOICE = 100;

    /** A state file, checksum included; bounded by the counts above with a wide margin. */
    public static final int MAX_STATE_FILE_BYTES = 1024 * 1024;
    /** One event log line: a message's content plus the chain fields. */
    public static final int MAX_LOG_LINE_BYTES = 2 * MAX_MESSAGE_BYTES;

    public static final int MAX_TERMS_DAYS = 3650;

    /**
     * ledger.qmd, read whole to verify it: about 150 bytes an invoice, so room for millions of
     * invoices; a file beyond it is refused rather than read into memory.
     */
    public static final int MAX_LEDGER_BYTES = 1024 * 1024 * 1024;

    private Limits() {
    }
}
