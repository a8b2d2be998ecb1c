package com.novotechno.collections.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CurrenciesTest {

    @ParameterizedTest
    @ValueSource(strings = {"DEM", "FRF", "VEF", "ZWD", "CSD", "ZWL", "HRK", "SLL"})
    void withdrawnCurrenciesAreNotCurrentButStillReadFromStoredData(String code) {
        assertThatThrownBy(() -> Currencies.parseCurrent(code))
                .hasMessage("'" + code + "' is not a current ISO 4217 currency (withdrawn, or not in the list of "
                        + Currencies.CURRENT_LIST_DATE + ")");
        assertThat(Currencies.parse(code)).isEqualTo(Currency.getInstance(code));
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "EUR", "JPY", "VND", "BHD", "CLF", "VES", "SLE", "ZWG", "XCG"})
    void currentCurrenciesAreAccepted(String code) {
        assertThat(Currencies.parseCurrent(code)).isEqualTo(Currency.getInstance(code));
    }

    @Test
    void codesWithoutAMinorUnitOrNotCodesAtAllAreRefusedAsBefore() {
        assertThatThrownBy(() -> Currencies.parseCurrent("XAU")).hasMessageContaining("no minor unit");
        assertThatThrownBy(() -> Currencies.parseCurrent("usd")).hasMessageContaining("three capital letters");
        assertThatThrownBy(() -> Currencies.parseCurrent("ZZZ")).hasMessageContaining("not an ISO 4217 currency");
    }

    @Test
    void theListsMinorUnitsAgreeWithTheJavaRuntimesForEveryCodeItKnows() {
        assertThat(Currencies.currentMinorUnits()).hasSizeGreaterThan(150).containsKey("USD").doesNotContainKey("DEM");
        Currencies.currentMinorUnits().forEach((code, digits) -> {
            if (Currency.getAvailableCurrencies().stream().anyMatch(c -> c.getCurrencyCode().equals(code))) {
                assertThat(Currency.getInstance(code).getDefaultFractionDigits()).as(code).isEqualTo(digits);
            }
        });
    }
}
