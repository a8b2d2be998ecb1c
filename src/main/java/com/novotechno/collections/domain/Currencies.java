package com.novotechno.collections.domain;

import java.util.Currency;
import java.util.regex.Pattern;

/** ISO 4217 currencies that invoices can be written in. */
public final class Currencies {

    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private Currencies() {
    }

    /** Parses an ISO 4217 code, refusing codes without a minor unit (gold, test codes, "XXX"). */
    public static Currency parse(String code) {
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("must be an ISO 4217 code of three capital letters, found '" + code + "'");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("'" + code + "' has no minor unit and cannot be invoiced");
        }
        return currency;
    }

    public static int fractionDigits(Currency currency) {
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new IllegalArgumentException(currency + " has no minor unit");
        }
        return digits;
    }
}
