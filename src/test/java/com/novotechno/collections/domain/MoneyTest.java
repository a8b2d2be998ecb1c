package com.novotechno.collections.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency JPY = Currency.getInstance("JPY");
    private static final Currency BHD = Currency.getInstance("BHD");

    @ParameterizedTest
    @CsvSource({"1000, USD, 1000.00", "1000.5, USD, 1000.50", "0.01, USD, 0.01", "1000000000000, USD, 1000000000000.00",
            "500, JPY, 500", "1.234, BHD, 1.234"})
    void amountsAreStoredAtTheCurrencyScale(String text, String currency, String stored) {
        assertThat(Money.parsePositive(text, Currency.getInstance(currency)).toPlainString()).isEqualTo(stored);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|must be above zero, found '0'", "0.00|must be above zero, found '0.00'",
            "-5|must be above zero, found '-5'", "-0.00|must be above zero, found '-0.00'",
            "-1250.00|must be above zero, found '-1250.00'",
            "1e3|must be a plain decimal number like 1250.00 (digits, at most one point; no sign, exponent,"
                    + " separator or space), found '1e3'",
            "1,000.00|must be a plain decimal number like 1250.00", "+5|must be a plain decimal number like 1250.00",
            "01.00|must be a plain decimal number like 1250.00", "12.|must be a plain decimal number like 1250.00",
            "abc|must be a plain decimal number like 1250.00", "--5|must be a plain decimal number like 1250.00",
            "1000000000000.01|must be at most 10^12 (1000000000000), found '1000000000000.01'",
            "1.001|has more decimals than USD allows (2)"})
    void badAmountsAreRefusedWithTheirReason(String text, String reason) {
        assertThatThrownBy(() -> Money.parsePositive(text, USD)).hasMessageContaining(reason);
    }

    @Test
    void yenHasNoDecimalsEvenWhenZero() {
        assertThatThrownBy(() -> Money.parsePositive("100.00", JPY)).hasMessageContaining("more decimals than JPY allows (0)");
    }

    @Test
    void arithmeticIsExactAndKeepsTheScale() {
        Money a = Money.parsePositive("0.10", USD);
        Money b = Money.parsePositive("0.20", USD);
        assertThat(a.plus(b)).isEqualTo(Money.parsePositive("0.30", USD));
        assertThat(Money.parsePositive("1000.00", USD).minus(Money.parsePositive("999.99", USD)).toPlainString())
                .isEqualTo("0.01");
    }

    @Test
    void moneyNeverGoesNegativeOrMixesCurrencies() {
        Money one = Money.parsePositive("1", USD);
        assertThatThrownBy(() -> one.minus(Money.parsePositive("2", USD))).hasMessageContaining("never negative");
        assertThatThrownBy(() -> one.plus(Money.parsePositive("1", JPY))).hasMessageContaining("cannot combine");
        assertThatThrownBy(() -> new Money(new BigDecimal("1.5"), USD)).hasMessageContaining("scale");
    }

    @Test
    void currenciesWithoutAMinorUnitCannotBeInvoiced() {
        assertThatThrownBy(() -> Currencies.parse("XAU")).hasMessageContaining("no minor unit");
        assertThatThrownBy(() -> Currencies.parse("usd")).hasMessageContaining("three capital letters");
        assertThatThrownBy(() -> Currencies.parse("ZZZ")).hasMessageContaining("not an ISO 4217 currency");
        assertThat(Currencies.parse("EUR")).isEqualTo(Currency.getInstance("EUR"));
    }
    @Test
    void theLimitIsOnOneMessagesAmountNotOnSums() {
        Money atTheLimit = Money.parsePositive("1000000000000", USD);
        Money sum = atTheLimit.plus(atTheLimit).plus(Money.parsePositive("0.01", USD));
        assertThat(sum.toPlainString()).isEqualTo("2000000000000.01");
        assertThat(sum.minus(atTheLimit).toPlainString()).isEqualTo("1000000000000.01");
        assertThatThrownBy(() -> Money.parsePositive("1000000000000.01", USD)).hasMessageContaining("must be at most 10^12");
    }

    @Test
    void storedTotalsOfABillionMessagesAtTheLimitReadBackExactly() {
        assertThat(Money.ofStored("999999999999999999999.99", USD).toPlainString()).isEqualTo("999999999999999999999.99");
        assertThat(Money.ofStored("1000000000000000000000", JPY).toPlainString()).isEqualTo("1000000000000000000000");
        assertThatThrownBy(() -> Money.ofStored("1e21", JPY)).hasMessageContaining("not a stored amount");
        assertThatThrownBy(() -> Money.ofStored("-1.00", USD)).hasMessageContaining("not a stored amount");
        assertThatThrownBy(() -> Money.ofStored("1".repeat(41), JPY)).hasMessageContaining("not a stored amount");
    }
}
