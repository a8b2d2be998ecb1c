package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue 15 (b): show, overdue and dunning --dry-run at the limits of their arguments. */
class Review15bReportsTest extends CommandLineRunner {

    @TempDir
    Path temp;

    private String data() {
        return temp.resolve("data").toString();
    }

    private void folder() throws Exception {
        Path big = Files.write(temp.resolve("big.json"), Messages.issuedTo("m1", "ACME", "INV-1", "ada@example.com"));
        Path eur = Files.write(temp.resolve("eur.json"), Messages.issued("m2", "ACME", "INV-2", "999999999999.99", "EUR"));
        Path jpy = Files.write(temp.resolve("jpy.json"), Messages.issued("m3", "Globex", "INV-3", "999999999999", "JPY"));
        assertThat(run("import", "--create", "--data-dir", data(), "--collections.mac.key-file=" + temp.resolve("k.key"),
                big.toString(), eur.toString(), jpy.toString())).as(out + err).isZero();
    }

    @Test
    void datesAtTheExtremesAreAnsweredOrRefusedAsUsageErrorsNeverWithAStackTrace() throws Exception {
        folder();
        for (String asOf : new String[] {"+999999999-12-31", "-999999999-01-01", "9999-12-31", "0000-01-01"}) {
            int overdue = run("overdue", "--data-dir", data(), "--as-of", asOf);
            assertThat(overdue).as(asOf + ": " + out + err).isIn(0, 2);
            assertThat(err).as(asOf).doesNotContain("Exception").doesNotContain("\tat ");
            int json = run("overdue", "--json", "--data-dir", data(), "--as-of", asOf);
            assertThat(json).as(asOf + ": " + out + err).isIn(0, 2);
            int dunning = run("dunning", "--dry-run", "--data-dir", data(), "--as-of", asOf);
            assertThat(dunning).as(asOf + ": " + out + err).isIn(0, 2);
            assertThat(err).as(asOf).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void showOfPathLikeOrControlCharacterArgumentsIsAUsageError() throws Exception {
        folder();
        for (String key : new String[] {"../ACME/INV-1", "ACME/../INV-1", "ACME/INV-1/x", "/INV-1", "ACME/", "\u001b[2J/INV-1",
                "ACME/INV-1\n"}) {
            assertThat(run("show", "--data-dir", data(), key)).as(key + ": " + out + err).isEqualTo(2);
            assertThat(err).doesNotContain("\u001b");
        }
        assertThat(run("show", "--data-dir", data(), "ACME/INV-2")).as(out + err).isZero();
        assertThat(out).contains("999999999999.99");
    }
}
