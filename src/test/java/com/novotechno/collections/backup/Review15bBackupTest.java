package com.novotechno.collections.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.LogForgery;
import com.novotechno.collections.testing.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue 15 (b): backup and restore attacked as a hostile local user and a careless operator would. */
class Review15bBackupTest extends CommandLineRunner {

    @TempDir
    Path temp;

    private Path data() {
        return temp.resolve("data");
    }

    private String key() {
        return "--collections.mac.key-file=" + temp.resolve("config/data.key");
    }

    /** A keyed folder of three invoices, made by import --create, and its backup. */
    private Path keyedFolderAndBackup() throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path message = Files.write(temp.resolve("m" + i + ".json"), Messages.issued("m" + i, "ACME", "INV-" + i, "100.00", "USD"));
            files.add(message.toString());
        }
        List<String> args = new ArrayList<>(List.of("import", "--create", "--data-dir", data().toString(), key()));
        args.addAll(files);
        assertThat(run(args.toArray(String[]::new))).as(out + err).isZero();
        Path backup = temp.resolve("backup");
        assertThat(run("backup", "--data-dir", data().toString(), key(), backup.toString())).as(out + err).isZero();
        assertThat(out).contains("MACs checked under key");
        return backup;
    }

    /** The backup's last line with another amount, hashed correctly, its MAC dropped: what a forger without the key writes. */
    private static void forgeLastLine(Path backup) throws Exception {
        List<String> lines = LogForgery.lines(backup);
        ObjectNode last = LogForgery.line(backup, lines.size() - 1);
        assertThat(last.has("mac")).as("the log is keyed").isTrue();
        String forged = LogForgery.rehashed(last, Optional.empty()).replace("\"100.00\"", "\"1.00\"");
        ObjectNode reread = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(forged);
        lines.set(lines.size() - 1, LogForgery.rehashed(reread, Optional.empty()));
        LogForgery.write(backup, lines);
    }

    /** Every line's MAC stripped, one amount changed, every hash and prev link recomputed: a whole log without MACs. */
    private static void forgeWholeLogWithoutMacs(Path backup) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = LogForgery.lines(backup);
        List<String> forged = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode line = (ObjectNode) json.readTree(i == lines.size() - 1
                    ? lines.get(i).replace("\"100.00\"", "\"1.00\"") : lines.get(i));
            if (prev != null) {
                line.put("prev", prev);
            }
            String text = LogForgery.rehashed(line, Optional.empty());
            prev = json.readTree(text).get("hash").asText();
            forged.add(text);
        }
        LogForgery.write(backup, forged);
    }

    @Test
    void aWhollyForgedLogWithoutMacsIsNeverRestoredWhenTheKeyIsMissing() throws Exception {
        Path backup = keyedFolderAndBackup();
        forgeWholeLogWithoutMacs(backup);
        Path restored = temp.resolve("restored");
        Path missingKey = temp.resolve("elsewhere/restored.key");
        int exit = run("restore", "--data-dir", restored.toString(), "--collections.mac.key-file=" + missingKey,
                backup.toString());
        assertThat(exit).as(out + err).isEqualTo(2);
        assertThat(err).contains("no MAC key at " + missingKey);
        assertThat(missingKey).doesNotExist();
        assertThat(restored).doesNotExist();
    }

    @Test
    void twoBackupsIntoOneFolderAtOnceNeverAppendOneLogToTheOther() throws Exception {
        Path source = Files.write(temp.resolve("source.log"), List.of("{\"seq\":1}", "{\"seq\":2}"));
        Path target = Files.createDirectories(temp.resolve("backup")).resolve("events.log");
        byte[] theOthers = "{\"seq\":1}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // The other backup creates the log just after this one looked for it: both passed the check.
        com.novotechno.collections.storage.Storage racing = new com.novotechno.collections.storage.ForwardingStorage(
                new com.novotechno.collections.storage.FileSystemStorage()) {
            @Override
            public boolean exists(Path path) {
                boolean there = super.exists(path);
                if (!there && path.equals(target)) {
                    try {
                        Files.write(target, theOthers);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return there;
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogCopy.copyWholeLines(source, racing, target))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining(target + " exists already");
        assertThat(target).hasBinaryContent(theOthers);
    }

    @Test
    void aBackupFolderOthersMayWriteIsRefused() throws Exception {
        keyedFolderAndBackup();
        // An empty folder another local user made (or left open) for the backup: they could swap its files after the check.
        Path open = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(run("backup", "--data-dir", data().toString(), key(), open.toString())).as(out + err).isEqualTo(2);
        assertThat(err).contains("the backup folder " + open + " may be written by others (rwxrwxrwx)");
        try (var entries = Files.list(open)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void everythingARestoreWritesIsTheOwnersAlone() throws Exception {
        Path backup = keyedFolderAndBackup();
        Path restored = temp.resolve("restored");
        assertThat(run("restore", "--data-dir", restored.toString(), key(), backup.toString())).as(out + err).isZero();
        List<String> loose = new ArrayList<>();
        for (Path root : List.of(restored, backup)) {
            try (var all = Files.walk(root)) {
                for (Path path : all.toList()) {
                    String mode = java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
                    if (!mode.endsWith("------")) {
                        loose.add(path + " " + mode);
                    }
                }
            }
        }
        assertThat(loose).isEmpty();
    }

    @Test
    void aRestoreKilledMidwayLeavesTheDataFolderAsItWasAndTheNextRestoreClearsItsLeftOver() throws Exception {
        Path backup = keyedFolderAndBackup();
        byte[] log = Files.readAllBytes(data().resolve("events.log"));
        // What a kill -9 while the copy was assembled leaves: a half-built folder beside the data folder.
        Path leftOver = Files.createDirectories(temp.resolve("data.restoring-20260101T000000Z/state/open/ACME"));
        Files.writeString(leftOver.resolve("INV-0.json"), "{}");
        Files.write(temp.resolve("data.restoring-20260101T000000Z/events.log"), log);
        assertThat(run("verify", "--data-dir", data().toString(), key())).as(out + err).isZero();

        assertThat(run("restore", "--force", "--data-dir", data().toString(), key(), backup.toString())).as(out + err).isZero();
        assertThat(temp.resolve("data.restoring-20260101T000000Z")).doesNotExist();
        assertThat(err + out).contains("removed data.restoring-20260101T000000Z");
        assertThat(run("verify", "--data-dir", data().toString(), key())).as(out + err).isZero();
    }

    @Test
    void aForgedLineWithoutItsMacIsRefusedUnderTheKey() throws Exception {
        Path backup = keyedFolderAndBackup();
        forgeLastLine(backup);
        Path restored = temp.resolve("restored");
        assertThat(run("restore", "--data-dir", restored.toString(), key(), backup.toString())).as(out + err).isEqualTo(1);
        assertThat(err).contains("the backup's log is damaged");
        assertThat(restored).doesNotExist();
    }

    @Test
    void aKeyedBackupRestoredWithoutItsMacKeyIsRefusedNotVouchedForByANewKey() throws Exception {
        Path backup = keyedFolderAndBackup();
        forgeLastLine(backup);
        Path restored = temp.resolve("restored");
        Path missingKey = temp.resolve("elsewhere/restored.key");
        // The operator forgot step 2 (put the MAC key back): the key named does not exist.
        int exit = run("restore", "--data-dir", restored.toString(), "--collections.mac.key-file=" + missingKey,
                backup.toString());
        assertThat(exit).as(out + err).isEqualTo(2);
        assertThat(err).contains("no MAC key at " + missingKey).contains("nothing was changed");
        assertThat(missingKey).as("no new key vouches for a log no key was checked").doesNotExist();
        assertThat(restored).doesNotExist();
    }
}
