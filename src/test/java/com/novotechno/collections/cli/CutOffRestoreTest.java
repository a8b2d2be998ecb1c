package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore killed between its two renames leaves no data folder, its verified copy beside it as
 * {@code <folder>.restoring-<time>}: a start there must not make a new, empty book in its place.
 */
class CutOffRestoreTest extends CommandLineRunner {

    @TempDir
    Path temp;

    @Test
    void runAndImportCreateRefuseToMakeAFolderWhereARestoreWasCutOffBetweenItsRenames() throws Exception {
        Path data = temp.resolve("data");
        Path restoring = temp.resolve("data.restoring-20261203T081500Z");
        Files.createDirectories(restoring);
        Files.writeString(restoring.resolve("events.log"), "");
        Path message = temp.resolve("m.json");
        Files.write(message, Messages.issued("m1", "ACME", "INV-1", "10.00", "USD"));

        assertThat(run("run", "--data-dir", data.toString())).isEqualTo(CollectionsCommand.EXIT_FAULT);
        assertThat(err).contains("no data folder at " + data.toAbsolutePath(), restoring.getFileName().toString(),
                "restore was cut off");
        assertThat(run("import", "--create", "--data-dir", data.toString(), message.toString()))
                .isEqualTo(CollectionsCommand.EXIT_FAULT);
        assertThat(err).contains(restoring.getFileName().toString());
        assertThat(data).doesNotExist();
        assertThat(restoring.resolve("events.log")).exists();
    }

    @Test
    void aFolderMerelyNamedAlikeDoesNotStopANewDataFolder() throws Exception {
        Files.createDirectories(temp.resolve("data.restoring-notes"));
        Path message = temp.resolve("m.json");
        Files.write(message, Messages.issued("m1", "ACME", "INV-1", "10.00", "USD"));
        assertThat(run("import", "--create", "--data-dir", temp.resolve("data").toString(), message.toString())).as(err).isZero();
    }
}
