package com.novotechno.collections.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An exact amount in one currency, always at the currency's own scale ("1000.00" USD, "500" JPY).
 * Never negative: a balance reaches zero, never below. It holds one message's amount as well as
 * a total of millions of them: the 10^12 limit is checked where an amount comes in
 * ({@link #parsePositive}), never here, so a sum or a replayed entry is never refused.
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

    /** Plain decimal notation: no sign, no exponent, no leading zeros, no thousands separators. */
    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,15})(\\.[0-9]{1,18})?");
    /** What this service writes, totals included; bounded so a doctored file cannot make parsing costly. */
    private static final Pattern STORED = Pattern.compile(
            "(0|[1-9][0-9]{0," + (Limits.MAX_AMOUNT_INTEGER_DIGITS - 1) + "})(\\.[0-9]{1,18})?");

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("money is never negative: " + amount);
        }
        if (amount.scale() != Currencies.fractionDigits(currency)) {
            throw new IllegalArgumentException("amount " + amount + " is not at the scale of " + currency);
        }
        if (amount.precision() - amount.scale() > Limits.MAX_AMOUNT_INTEGER_DIGITS) {
            throw new IllegalArgumentException("amount " + amount + " has more than " + Limits.MAX_AMOUNT_INTEGER_DIGITS
                    + " digits before the point");
        }
    }

    /**
     * Parses an amount as received in a message. Throws with a reason a sender can act on.
     */
    public static Money parsePositive(String text, Currency currency) {
        // "-5" is a number, so the sender is told what is wrong with it, not that it is none.
        if (text.startsWith("-") && DECIMAL.matcher(text.substring(1)).matches()) {
            throw new IllegalArgumentException("must be above zero, found '" + abbreviate(text) + "'");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a plain decimal number like 1250.00 (digits, at most one point;"
                    + " no sign, exponent, separator or space), found '" + abbreviate(text) + "'");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("must be above zero, found '" + abbreviate(text) + "'");
        }
        if (value.compareTo(Limits.MAX_AMOUNT) > 0) {
            throw new IllegalArgumentException("must be at most 10^12 (" + Limits.MAX_AMOUNT.toPlainString() + "), found '"
                    + abbreviate(text) + "'");
        }
        int digits = Currencies.fractionDigits(currency);
        if (value.scale() > digits) {
            throw new IllegalArgumentException(text + " has more decimals than " + currency + " allows (" + digits + ")");
        }
        return new Money(value.setScale(digits), currency);
    }

    /**
     * Reads a stored amount or total ("1000.00"), which must already be at the currency's scale.
     * No 10^12 check: what was accepted once, and any sum of it, must always read back.
     */
    public static Money ofStored(String text, Currency currency) {
        if (!STORED.matcher(text).matches()) {
            throw new IllegalArgumentException("not a stored amount (plain decimal, at most "
                    + Limits.MAX_AMOUNT_INTEGER_DIGITS + " digits before the point): '" + abbreviate(text) + "'");
        }
        return new Money(new BigDecimal(text), currency);
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO.setScale(Currencies.fractionDigits(currency)), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    /** The stored form: plain decimal at the currency's scale. */
    public String toPlainString() {
        return amount.toPlainString();
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + this + " with " + other);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
