package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration file outside the jar: --config FILE or COLLECTIONS_CONFIG, below the environment and the command line. */
class ConfigFileTest extends CommandLineRunner {

    @TempDir
    Path temp;
    private Path message;

    @BeforeEach
    void aMessageWithoutCurrencyOrDueDate() throws Exception {
        // Its state file shows collections.default-currency and collections.terms-days (due_on = issued_on + terms).
        message = Files.write(temp.resolve("m.json"), Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"d\","
                + "\"client\":\"C\",\"invoice_number\":\"1\",\"amount\":\"5\",\"issued_on\":\"2026-01-01\"}"));
    }

    private Path data() {
        return temp.resolve("data");
    }

    private Path configFile(String name, String... lines) throws Exception {
        return Files.writeString(temp.resolve(name), String.join("\n", lines) + "\n");
    }

    private String state() throws Exception {
        return Files.readString(data().resolve("state/open/C/1.json"));
    }

    @Test
    void theFileBeatsTheDefaultsAndLosesToTheEnvironmentAndTheCommandLine() throws Exception {
        Path file = configFile("collections.properties",
                "# the service's own folder",
                "collections.data-dir = " + data(),
                "collections.default-currency=EUR",
                "collections.terms-days=20",
                "collections.time-zone=Europe/Berlin");
        environment.put("COLLECTIONS_TERMS_DAYS", "14");

        assertThat(run("import", "--create", "--config", file.toString(), "--collections.default-currency=GBP", message.toString()))
                .as(err).isZero();
        // data-dir from the file, terms-days from the environment, the currency from the command line.
        assertThat(state()).contains("\"currency\": \"GBP\"").contains("\"due_on\": \"2026-01-15\"");
    }

    @Test
    void theEnvironmentNamesAFileAndConfigBeforeTheCommandNamesAnotherThatWins() throws Exception {
        Path named = configFile("env.properties", "collections.data-dir=" + data(), "collections.default-currency=EUR");
        Path given = configFile("given.properties", "collections.data-dir=" + data(), "collections.default-currency=CHF");
        environment.put("COLLECTIONS_CONFIG", named.toString());

        assertThat(run("--config=" + given, "import", "--create", message.toString())).as(err).isZero();
        assertThat(state()).contains("\"currency\": \"CHF\"");
        assertThat(run("status")).as(err).isZero(); // the environment's file alone names the folder
        assertThat(out).contains("1 open invoice");
    }

    @Test
    void anUnknownKeyInTheFileIsAUsageErrorNamingTheFileTheLineAndTheKnownKeys() throws Exception {
        Path file = configFile("typo.properties", "collections.data-dir=" + data(), "", "collections.terms-day=14");

        assertThat(run("import", "--config", file.toString(), message.toString())).isEqualTo(2);
        assertThat(err).contains("configuration file " + file + ", line 3: unknown key 'collections.terms-day'; known keys: ")
                .contains("collections.terms-days");
        assertThat(data()).doesNotExist();
    }

    @Test
    void aMissingOrUnreadableFileIsAUsageErrorNamingIt() throws Exception {
        Path missing = temp.resolve("nowhere.properties");
        assertThat(run("status", "--config", missing.toString())).isEqualTo(2);
        assertThat(err).contains("configuration file " + missing + " cannot be read: no such file");

        environment.put("COLLECTIONS_CONFIG", temp.toString());
        assertThat(run("status")).isEqualTo(2);
        assertThat(err).contains("configuration file " + temp + " cannot be read");

        assertThat(run("status", "--config")).isEqualTo(2);
        assertThat(err).contains("--config needs a FILE");
    }
}
