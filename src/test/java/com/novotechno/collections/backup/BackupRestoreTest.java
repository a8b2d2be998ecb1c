package com.novotechno.collections.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.integrity.MacKeyFile;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/** backup DIR and restore DIR, as an operator runs them, against a real service's folder. */
class BackupRestoreTest extends CommandLineRunner {

    private static final Pattern LINES = Pattern.compile("events.log lines 1 to (\\d+)");

    @TempDir
    Path temp;

    private Path data() {
        return temp.resolve("data");
    }

    /** The source's MAC key: a folder elsewhere has another default key file, so commands there name this one. */
    private String sourceKey() {
        return "--collections.mac.key-file=" + MacKeyFile.defaultPath(data());
    }

    /** A folder the service ran on, with invoices from the queue (so keys/ and broker credentials too), stopped. */
    private void serviceFolderWith(int invoices) throws Exception {
        try (RunningService running = RunningService.start(data())) {
            for (int i = 0; i < invoices; i++) {
                running.send(Messages.issuedTo("m" + i, "ACME", "INV-" + i, "ada" + i + "@example.com"));
            }
            await().atMost(60, TimeUnit.SECONDS).until(() -> stateFiles(data()).size() == invoices);
        }
    }

    @Test
    void aBackupTakenWhileTheServiceTakesMessagesVerifiesAndHoldsTheSourceUpToItsSeq() throws Exception {
        Path backup = temp.resolve("backup");
        int invoices = 300;
        String backupOut;
        try (RunningService running = RunningService.start(data())) {
            for (int i = 0; i < 20; i++) {
                running.send(Messages.issuedTo("m" + i, "ACME", "INV-" + i, "ada" + i + "@example.com"));
            }
            await().atMost(60, TimeUnit.SECONDS).until(() -> stateFiles(data()).size() >= 20);
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 20; i < invoices; i++) {
                        running.send(Messages.issuedTo("m" + i, "ACME", "INV-" + i, "ada" + i + "@example.com"));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(60, TimeUnit.SECONDS).until(() -> stateFiles(data()).size() >= 40); // mid-traffic
            assertThat(run("backup", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();
            backupOut = out;
            traffic.get(120, TimeUnit.SECONDS);
            await().atMost(60, TimeUnit.SECONDS).until(() -> stateFiles(data()).size() == invoices);
        }
        assertThat(backupOut).contains("backup: verified: intact").contains("is NOT in the backup: back it up separately")
                .contains(MacKeyFile.defaultPath(data()).toString()).contains("keys/ACME.1.key", "broker-credentials.properties");
        Matcher lines = LINES.matcher(backupOut);
        assertThat(lines.find()).isTrue();
        long seq = Long.parseLong(lines.group(1));
        assertThat(seq).isBetween(40L, (long) invoices);

        // The backup's log is the source's first seq lines, byte for byte.
        byte[] source = Files.readAllBytes(data().resolve("events.log"));
        byte[] copy = Files.readAllBytes(backup.resolve("events.log"));
        assertThat(copy.length).isLessThanOrEqualTo(source.length);
        assertThat(Arrays.copyOf(source, copy.length)).isEqualTo(copy);
        assertThat(new String(copy, StandardCharsets.UTF_8).lines().count()).isEqualTo(seq);
        assertThat(copy[copy.length - 1]).isEqualTo((byte) '\n');
        // Every line an issued invoice, never changed after: the rebuilt state is the source's up to seq.
        Map<String, byte[]> rebuilt = stateFiles(backup);
        Map<String, byte[]> sources = stateFiles(data());
        assertThat(rebuilt).hasSize((int) seq);
        rebuilt.forEach((file, bytes) -> assertThat(bytes).as(file).isEqualTo(sources.get(file)));
        // verify agrees on its own, under the source's key.
        assertThat(run("verify", "--data-dir", backup.toString(), sourceKey())).as(out + err).isZero();
        assertThat(out).contains("MACs checked under key");
        // The owner's alone.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rwx------");
        for (String file : List.of("events.log", "keys/ACME.1.key", "broker-credentials.properties", "ledger.qmd")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.resolve(file)))).as(file)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aBackupRestoredIntoANewFolderRunsAndAgreesWithTheSource() throws Exception {
        serviceFolderWith(5);
        Path backup = temp.resolve("backup");
        Path restored = temp.resolve("restored");
        assertThat(run("backup", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();

        assertThat(run("restore", "--data-dir", restored.toString(), sourceKey(), backup.toString())).as(out + err).isZero();
        assertThat(out).contains("restore: verified: intact (5 state files").contains("send their client.erased again");
        try (Stream<Path> beside = Files.list(temp)) {
            assertThat(beside.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("data", "backup", "restored");
        }
        assertThat(run("status", "--data-dir", data().toString())).isZero();
        String sourceStatus = out;
        assertThat(run("status", "--data-dir", restored.toString())).isZero();
        assertThat(out).isEqualTo(sourceStatus);
        assertThat(run("verify", "--data-dir", restored.toString(), sourceKey())).as(out + err).isZero();

        try (RunningService running = RunningService.start(restored, new FileSystemStorage(),
                Map.of(Settings.MAC_KEY_FILE, MacKeyFile.defaultPath(data()).toString()))) {
            assertThat(running.service.store().lastSeq()).isEqualTo(5);
            running.send(Messages.issued("m-after", "ACME", "INV-after", "7.00", "USD"));
            await().atMost(60, TimeUnit.SECONDS).until(() -> stateFiles(restored).size() == 6);
        }
        assertThat(run("verify", "--data-dir", restored.toString(), sourceKey())).as(out + err).isZero();
    }

    @Test
    void aDamagedBackupIsRefusedWithTheDataFolderUnchanged() throws Exception {
        serviceFolderWith(3);
        Path backup = temp.resolve("backup");
        assertThat(run("backup", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();
        Path log = backup.resolve("events.log");
        byte[] whole = Files.readAllBytes(log);
        Map<String, byte[]> before = everyFile(data());

        String text = new String(whole, StandardCharsets.UTF_8);
        Files.writeString(log, text.replaceFirst("\"100.00\"", "\"900.00\""));
        assertRefusedLeavingDataAsItWas(before, "the backup's log is damaged");

        Files.write(log, Arrays.copyOf(whole, whole.length - 10)); // torn: the last line cut short
        assertRefusedLeavingDataAsItWas(before, "the backup's log is damaged");

        Files.delete(log);
        assertRefusedLeavingDataAsItWas(before, "is not a backup");
    }

    private void assertRefusedLeavingDataAsItWas(Map<String, byte[]> before, String reason) throws IOException {
        Path backup = temp.resolve("backup");
        assertThat(run("restore", "--force", "--data-dir", data().toString(), backup.toString())).as(out + err).isEqualTo(1);
        assertThat(err).contains(reason).contains("nothing was changed");
        Map<String, byte[]> after = everyFile(data());
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((file, bytes) -> assertThat(after.get(file)).as(file).isEqualTo(bytes));
        try (Stream<Path> beside = Files.list(temp)) {
            assertThat(beside.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("data", "backup");
        }
    }

    @Test
    void aFolderWithALogIsReplacedOnlyWithForceAndThenKeptAside() throws Exception {
        serviceFolderWith(2);
        Path backup = temp.resolve("backup");
        assertThat(run("backup", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();
        byte[] oldLog = Files.readAllBytes(data().resolve("events.log"));

        assertThat(run("restore", "--data-dir", data().toString(), backup.toString())).isEqualTo(2);
        assertThat(err).contains(data() + " holds a log (events.log)").contains("--force");
        assertThat(data().resolve("events.log")).hasBinaryContent(oldLog);

        assertThat(run("restore", "--force", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();
        Path aside;
        try (Stream<Path> beside = Files.list(temp)) {
            aside = beside.filter(path -> path.getFileName().toString().startsWith("data.set-aside-")).findFirst().orElseThrow();
        }
        assertThat(out).contains("set aside as " + aside);
        assertThat(aside.resolve("events.log")).hasBinaryContent(oldLog);
        assertThat(aside.resolve("broker-credentials.properties")).exists();
        assertThat(run("verify", "--data-dir", data().toString())).as(out + err).isZero();
    }

    @Test
    void aBackupIntoAFolderThatIsNotEmptyOrInsideTheDataFolderIsAUsageError() throws Exception {
        serviceFolderWith(1);
        Path used = Files.createDirectories(temp.resolve("used"));
        Files.writeString(used.resolve("note.txt"), "mine");
        assertThat(run("backup", "--data-dir", data().toString(), used.toString())).isEqualTo(2);
        assertThat(err).contains("the backup folder " + used + " is not empty");
        assertThat(run("backup", "--data-dir", data().toString(), data().resolve("inner").toString())).isEqualTo(2);
        assertThat(err).contains("is inside the data folder");
        assertThat(data().resolve("inner")).doesNotExist();
    }

    @Test
    void aRestoreBesideTheRunningServiceIsRefusedChangingNothing() throws Exception {
        serviceFolderWith(1);
        Path backup = temp.resolve("backup");
        assertThat(run("backup", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();
        try (RunningService running = RunningService.start(data())) {
            byte[] log = Files.readAllBytes(data().resolve("events.log"));
            assertThat(run("restore", "--force", "--data-dir", data().toString(), backup.toString())).isEqualTo(1);
            assertThat(err).contains("is in use by");
            assertThat(data().resolve("events.log")).hasBinaryContent(log);
            try (Stream<Path> beside = Files.list(temp)) {
                assertThat(beside.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("data", "backup");
            }
        }
    }

    @Test
    void aBackupFromBeforeAnErasureBringsTheClientBackUntilTheErasureIsSentAgain() throws Exception {
        serviceFolderWith(2);
        Path backup = temp.resolve("backup");
        assertThat(run("backup", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();
        Path erasure = Files.write(temp.resolve("erase.json"), Messages.erased("x1", "ACME"));
        assertThat(run("import", "--data-dir", data().toString(), erasure.toString())).as(out + err).isZero();
        assertThat(DataFolders.filesContaining(data().resolve("state"), "ada0@example.com")).isEmpty();

        assertThat(run("restore", "--force", "--data-dir", data().toString(), backup.toString())).as(out + err).isZero();
        assertThat(DataFolders.filesContaining(data().resolve("state"), "ada0@example.com")).isNotEmpty();

        assertThat(run("import", "--data-dir", data().toString(), erasure.toString())).as(out + err).isZero();
        assertThat(DataFolders.filesContaining(data().resolve("state"), "ada0@example.com")).isEmpty();
        assertThat(data().resolve("keys/ACME.1.key")).doesNotExist();
    }

    @Test
    void backupAndRestoreExplainThemselves() {
        for (String command : new String[] {"backup", "restore"}) {
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out).as(command).startsWith("Usage: novotechno-collections " + command).contains("--data-dir=DIR", "DIR",
                    "Exit codes:");
        }
        assertThat(run("restore", "--help")).isZero();
        assertThat(out).contains("--force", "client.erased");
    }

    private static Map<String, byte[]> stateFiles(Path dataDir) throws IOException {
        // Not the service's writes in progress (.NAME.tmp), which its rename removes while this reads.
        return readAll(dataDir, DataFolders.filesUnder(dataDir.resolve("state")).stream()
                .filter(p -> !p.getFileName().toString().startsWith(".")).map(p -> "state/" + p).toList());
    }

    /** Every file of the folder but the broker's journal, which the broker rewrites on its own. */
    private static Map<String, byte[]> everyFile(Path dataDir) throws IOException {
        return readAll(dataDir, DataFolders.filesUnder(dataDir).stream().map(Path::toString)
                .filter(file -> !file.startsWith("broker/")).toList());
    }

    private static Map<String, byte[]> readAll(Path root, List<String> files) throws IOException {
        Map<String, byte[]> bytes = new TreeMap<>();
        for (String file : files) {
            bytes.put(file, Files.readAllBytes(root.resolve(file)));
        }
        return bytes;
    }
}
