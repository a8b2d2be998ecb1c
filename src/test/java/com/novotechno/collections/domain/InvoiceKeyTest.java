package com.novotechno.collections.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written name check says exactly what the contract's pattern says. */
class InvoiceKeyTest {

    @Test
    void aNameIsValidExactlyWhenItMatchesTheContractsPattern() {
        String alphabet = "aZ09._-/\\ *\u00e9\u0000\n:%Aa";
        List<String> names = new ArrayList<>(List.of("", ".", "..", ".hidden", "-x", "_x", "INV-1", "a".repeat(Limits.MAX_NAME_CHARS),
                "a".repeat(Limits.MAX_NAME_CHARS + 1), "ACME/INV", "..\\x", "x y", "\u0661"));
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            int length = random.nextInt(6) == 0 ? Limits.MAX_NAME_CHARS - 2 + random.nextInt(4) : random.nextInt(8);
            StringBuilder name = new StringBuilder();
            for (int c = 0; c < length; c++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(name.toString());
        }
        int valid = 0;
        for (String name : names) {
            assertThat(InvoiceKey.isValidName(name)).as("'%s'", name).isEqualTo(InvoiceKey.matchesNamePattern(name));
            valid += InvoiceKey.isValidName(name) ? 1 : 0;
        }
        assertThat(valid).as("both kinds are tried").isBetween(1_000, names.size() - 1_000);
        assertThat(InvoiceKey.isValidName(null)).isFalse();
    }
}
