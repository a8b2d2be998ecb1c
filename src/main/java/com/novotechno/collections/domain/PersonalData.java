package com.novotechno.collections.domain;

/**
 * What {@code client.erased} erases (CONTRACT section 1): contact e-mail addresses, and every free
 * text that may name a person (reasons, a payment's method and reference). Amounts, dates, names of
 * clients and invoices and message ids stay, so the books still add up.
 */
public final class PersonalData {

    /** What an erased free text reads as, everywhere it used to show; an erased address is simply absent. */
    public static final String ERASED = "[erased]";

    private PersonalData() {
    }
}
