package com.novotechno.collections.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * ISO 4217 currencies that invoices can be written in. Two checks, on purpose: {@link #parse}
 * reads any code the Java runtime knows (its list keeps withdrawn ones such as DEM), for
 * payments, stored files and the log, so an invoice accepted once can always be paid and
 * replayed; {@link #parseCurrent} also requires the code to be in the repository's list of
 * current currencies, for a new invoice and the configured default.
 */
public final class Currencies {

    /** The publication date of the ISO 4217 list held in {@link #CURRENT_LIST}. */
    public static final String CURRENT_LIST_DATE = "ISO 4217 List One of 2025-05-12";
    private static final String CURRENT_LIST = "iso4217-current.txt";
    /** The list has under 200 lines; anything longer is not the file we ship. */
    private static final int MAX_LIST_LINES = 1000;

    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    private static final Pattern LIST_LINE = Pattern.compile("([A-Z]{3}) ([0-4])");
    private static final Map<String, Integer> CURRENT_MINOR_UNITS = loadCurrentList();

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

    /** As {@link #parse}, and the code must be current in ISO 4217: for a new invoice, never for replay. */
    public static Currency parseCurrent(String code) {
        Currency currency = parse(code);
        if (!CURRENT_MINOR_UNITS.containsKey(code)) {
            throw new IllegalArgumentException("'" + code + "' is not a current ISO 4217 currency (withdrawn, or not in"
                    + " the list of " + CURRENT_LIST_DATE + ")");
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

    /** Code to minor units, as the shipped list gives them (the runtime's digits are the ones amounts use). */
    public static Map<String, Integer> currentMinorUnits() {
        return CURRENT_MINOR_UNITS;
    }

    private static Map<String, Integer> loadCurrentList() {
        Map<String, Integer> current = new TreeMap<>();
        try (InputStream in = Currencies.class.getResourceAsStream(CURRENT_LIST)) {
            if (in == null) {
                throw new IllegalStateException(CURRENT_LIST + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                if (++number > MAX_LIST_LINES) {
                    throw new IllegalStateException(CURRENT_LIST + " has more than " + MAX_LIST_LINES + " lines");
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                var matcher = LIST_LINE.matcher(line);
                if (!matcher.matches() || current.put(matcher.group(1), Integer.parseInt(matcher.group(2))) != null) {
                    throw new IllegalStateException(CURRENT_LIST + ":" + number + ": not 'CODE DIGITS' or a repeated code");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CURRENT_LIST, e);
        }
        return Collections.unmodifiableMap(current);
    }
}
