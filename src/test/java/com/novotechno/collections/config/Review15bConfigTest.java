package com.novotechno.collections.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue 15 (b): the configuration file as a careless operator or a hostile local user gives it. */
class Review15bConfigTest {

    private static final Set<String> KNOWN = Set.of("collections.terms-days", "collections.data-dir",
            "collections.broker.password", "collections.broker.url", "collections.broker.tls.keystore-password");

    @TempDir
    Path temp;

    @Test
    void aFifoIsRefusedAtOnceNotWaitedOnForever() throws Exception {
        Path fifo = temp.resolve("collections.properties");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> ConfigFile.read(fifo, KNOWN)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("configuration file " + fifo + " cannot be read: it is a FIFO, socket or device, not a regular file"));
    }

    @Test
    void aKeySetTwiceIsRefusedNamingBothLinesNotSilentlyTheLastOne() throws Exception {
        Path file = Files.write(temp.resolve("twice.properties"), List.of("collections.terms-days=14", "# later",
                "collections.terms-days = 45"));
        assertThatThrownBy(() -> ConfigFile.read(file, KNOWN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configuration file " + file + ", line 3: 'collections.terms-days' is set again (first on line 1)");
    }

    @Test
    void aPasswordInAFileOthersMayReadIsRefused() throws Exception {
        Path file = Files.write(temp.resolve("secret.properties"), List.of("collections.broker.password=hunter2"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ConfigFile.read(file, KNOWN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configuration file " + file + " holds collections.broker.password but others may read it"
                        + " (rw-r--r--)").hasMessageNotContaining("hunter2");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(ConfigFile.read(file, KNOWN)).containsEntry("collections.broker.password", "hunter2");
        // A password in the broker's URL is one too.
        Path url = Files.write(temp.resolve("url.properties"),
                List.of("collections.broker.url=amqp://mq:5672?jms.username=c&jms.password=hunter2"));
        Files.setPosixFilePermissions(url, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> ConfigFile.read(url, KNOWN)).hasMessageContaining("holds collections.broker.url")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void anUnknownKeyWithControlCharactersIsEchoedEscaped() throws Exception {
        Path file = Files.writeString(temp.resolve("esc.properties"), "collections.x\\u001b[2J=1\n");
        assertThatThrownBy(() -> ConfigFile.read(file, KNOWN)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b"));
    }
}
