package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.reminder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.MessageEnvelope;
import com.novotechno.collections.domain.MessageType;
import com.novotechno.collections.log.EventDraft;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.state.ApplyResult.Outcome;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Storage;
import com.novotechno.collections.testing.InterceptingStorage;
import com.novotechno.collections.testing.PowerLossDisk;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash between any two steps of applying a message converges to the same state on reopen. */
class RecoveryTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("client1", "INV-001");

    @TempDir
    Path data;

    @BeforeEach
    void clearNotices() {
        Stores.NOTICES.clear();
    }

    private Path openFile() {
        return data.resolve("state/open/client1/INV-001.json");
    }

    private Path archiveFile() {
        return data.resolve("state/archive/client1/INV-001.json");
    }

    /** INV-001 for 100.00, then a payment of 40.00: two log lines. */
    private void issueAndPartlyPay() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "40", "USD"));
        }
    }

    /** Issues INV-001.. with 100.00 each, then edits the second log line's amount as a hand would. */
    private List<String> issueInvoicesAndEditALoggedAmount(int invoices) throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            for (int i = 1; i <= invoices; i++) {
                store.apply(issued("i" + i, "client1", "INV-00" + i, "100", "USD"));
            }
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("events.log")));
        lines.set(1, lines.get(1).replace("100.00", "900.00"));
        Files.write(data.resolve("events.log"), lines);
        return lines;
    }

    @Test
    void aCrashAfterTheLogAppendBeforeTheStateWriteIsReplayedOnReopen() throws Exception {
        InterceptingStorage disk = new InterceptingStorage();
        try (CollectionsStore store = Stores.open(disk, data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.checkpointNow();
            disk.failWritesTo = path -> path.equals(openFile());
            // Acknowledged on the log's fsync; its state file follows at the checkpoint, which fails.
            assertThat(store.apply(payment("p1", "client1", "INV-001", "40", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
            assertThatThrownBy(store::checkpointNow).isInstanceOf(IOException.class).hasMessageContaining("injected");
            // The event is durable, so the message counts as accepted; the store refuses to go on half-done.
            assertThatThrownBy(() -> store.apply(payment("p2", "client1", "INV-001", "1", "USD")))
                    .isInstanceOf(IOException.class).hasMessageContaining("must be restarted");
        }
        assertThat(Files.readAllLines(data.resolve("events.log"))).hasSize(2);

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("60.00");
            // The redelivery of the message whose ack was lost is a duplicate.
            assertThat(store.apply(payment("p1", "client1", "INV-001", "40", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(Stores.NOTICES).anySatisfy(notice -> assertThat(notice)
                .startsWith("repaired from the log: state/open/client1/INV-001.json: ").contains("balance"));
    }

    @Test
    void aCrashBeforeAnyDerivedFileIsWrittenStillDeduplicatesAfterReopen() throws Exception {
        // Deduplication needs no file of its own: the log, read at the next start, is what recognises it.
        InterceptingStorage disk = new InterceptingStorage();
        try (CollectionsStore store = Stores.open(disk, data)) {
            disk.failWritesTo = path -> path.startsWith(data.resolve("state"));
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            assertThatThrownBy(store::checkpointNow).isInstanceOf(IOException.class);
        }
        assertThat(openFile()).doesNotExist();
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1)).isPresent();
            assertThat(store.apply(issued("i1", "client1", "INV-001", "100", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
    }

    @Test
    void anInterruptedMoveToTheArchiveIsFinishedOnReopen() throws Exception {
        InterceptingStorage disk = new InterceptingStorage();
        try (CollectionsStore store = Stores.open(disk, data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.checkpointNow();
            disk.failMovesFrom = path -> path.equals(openFile());
            store.apply(payment("p1", "client1", "INV-001", "100", "USD"));
            assertThatThrownBy(store::checkpointNow).isInstanceOf(IOException.class);
        }
        // The paid state is written in place; the rename did not happen. Still exactly one file.
        assertThat(openFile()).exists();
        assertThat(archiveFile()).doesNotExist();
        // The store failed, so its checkpoint is unclean: verify leaves what came after it to the next start.
        assertThat(new StoreVerifier(new FileSystemStorage(), new com.novotechno.collections.storage.DataLayout(data))
                .verify().faults()).isEmpty();

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
        }
        assertThat(openFile()).doesNotExist();
        assertThat(archiveFile()).exists();
    }

    @Test
    void anInterruptedMoveBackOutOfTheArchiveIsFinishedOnReopen() throws Exception {
        InterceptingStorage disk = new InterceptingStorage();
        try (CollectionsStore store = Stores.open(disk, data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "100", "USD"));
            store.checkpointNow();
            disk.failMovesFrom = path -> path.equals(archiveFile());
            store.apply(com.novotechno.collections.testing.Messages.reversed("r1", "client1", "INV-001", "p1"));
            assertThatThrownBy(store::checkpointNow).isInstanceOf(IOException.class);
        }
        // The reopened state is written in place in the archive; the rename did not happen. Still exactly one file.
        assertThat(archiveFile()).exists();
        assertThat(openFile()).doesNotExist();
        assertThat(Files.readString(archiveFile())).contains("\"status\": \"unpaid\"");

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.UNPAID);
        }
        assertThat(archiveFile()).doesNotExist();
        assertThat(openFile()).exists();
        assertThat(new StoreVerifier(new FileSystemStorage(), new com.novotechno.collections.storage.DataLayout(data))
                .verify().faults()).isEmpty();
    }

    @Test
    void replayingTheLogIntoAnEmptyFolderGivesByteIdenticalStateFiles() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(issued("i2", "client2", "INV-002", "250000", "JPY"));
            store.apply(issued("i3", "client2", "INV-003", "7.50", "EUR"));
            store.apply(payment("p1", "client1", "INV-001", "60", "USD"));
            store.apply(reminder("r1", "client2", "INV-002", "reminder"));
            store.apply(escalated("e1", "client2", "INV-002", "no reply"));
            store.apply(payment("p2", "client1", "INV-001", "40", "USD"));
            store.apply(payment("p3", "client2", "INV-003", "7.50", "EUR"));
        }
        long entries = Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
        assertThat(entries).isEqualTo(8);
        assertThat(Stores.stateFiles(data)).hasSize(3);
    }

    @Test
    void rebuildRestoresACorruptedOrDeletedStateFile() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(issued("i2", "client1", "INV-002", "5", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "30", "USD"));
        }
        Map<String, byte[]> before = Stores.stateFiles(data);
        Files.writeString(openFile(), "garbage");
        Files.delete(data.resolve("state/open/client1/INV-002.json"));
        Files.createDirectories(data.resolve("state/open/stray"));
        Files.writeString(data.resolve("state/open/stray/X.json"), "{}");

        long entries = StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, Stores.NOTICES::add);

        assertThat(entries).isEqualTo(3);
        Map<String, byte[]> after = Stores.stateFiles(data);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((file, bytes) -> assertThat(after.get(file)).as(file).isEqualTo(bytes));
    }

    /** What a kill during an atomic write leaves: a tmp file (returned), and a checkpoint not marked clean. */
    private Path killedDuringAWrite() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
        }
        Path tmp = data.resolve("state/open/client1/.INV-001.json.123456.tmp");
        Files.writeString(tmp, "{\"half\":");
        new Checkpoint(1, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));
        return tmp;
    }

    @Test
    void temporaryFilesLeftByACrashAreSweptOnTheNextStart() throws Exception {
        Path tmp = killedDuringAWrite();

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1)).isPresent();
            await().atMost(Duration.ofSeconds(10)).until(store::stateTreeSwept); // close would cut it short
        }
        assertThat(tmp).doesNotExist();
        assertThat(Stores.temporaryFiles(data)).isEmpty();
    }

    @Test
    void theStateTreesSweepRunsBesideTheStoreAndNeverTakesAWriteOfThisProcess() throws Exception {
        Path left = killedDuringAWrite();
        // What this process's own atomic write looks like while in flight: its run's token in the name.
        Path inFlight = data.resolve("state/open/client1/.INV-002.json." + FileSystemStorage.RUN + ".42.tmp");
        Files.writeString(inFlight, "{\"being\":");

        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i2", "client1", "INV-002", "10", "USD")); // the start did not wait for the sweep
            await().atMost(Duration.ofSeconds(10)).until(store::stateTreeSwept); // close would cut it short
        }
        assertThat(left).doesNotExist();
        assertThat(inFlight).exists();
        assertThat(Checkpoint.read(new FileSystemStorage(), data.resolve("checkpoint.json")).cleanShutdown()).isTrue();
    }

    @Test
    void temporaryFilesACrashLeftInTheServicesOwnFoldersAreSweptToo() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
        }
        // A kill while a rejection report, an outbox file, an alert or a period file was written (ServiceKillTest).
        List<Path> cut = new ArrayList<>();
        for (String tmp : List.of("rejected/.a.json.error.json.123.tmp", "outbox/.dun-1.json.456.tmp",
                "alerts/.reconcile.2026-12-03T02-00-00Z.json.789.tmp", "ledger/.paid-2026-11.qmd.012.tmp")) {
            Path file = data.resolve(tmp);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "{\"half\":");
            cut.add(file);
        }
        Path rejected = Files.writeString(data.resolve("rejected/a.json"), "not json");
        new Checkpoint(1, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1)).isPresent();
            await().atMost(Duration.ofSeconds(10)).until(store::stateTreeSwept); // close would cut it short
        }
        assertThat(cut).allSatisfy(file -> assertThat(file).doesNotExist());
        assertThat(rejected).hasContent("not json");
        assertThat(Stores.temporaryFiles(data)).isEmpty();
    }

    @Test
    void linesAKilledProcessLeftUnsyncedAreMadeDurableBeforeAnythingReliesOnThem() throws Exception {
        PowerLossDisk disk = new PowerLossDisk(7);
        Files.createDirectories(data);
        // A process appends a line and is killed before its fsync: the line is in the page cache only.
        try (CollectionsStore store = CollectionsStore.open(disk.mount(), data, Stores.SETTINGS, n -> { })) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
        }
        disk.cutPower(); // start from a durable folder
        Storage killed = disk.mount();
        try (EventLog log = EventLog.open(killed, data.resolve("events.log"), e -> { }, (s, l) -> { }, r -> { })) {
            MessageEnvelope envelope = new MessageEnvelope(MessageType.INVOICE_ESCALATED, "e1",
                    INV_1, Sha256.hex("e1".getBytes(StandardCharsets.UTF_8)));
            log.write(new EventDraft(Stores.NOW, envelope, new Change.Escalated("no reply")));
        }
        // The next start recovers the line, and answers its redelivery as a duplicate: an acknowledgement.
        try (CollectionsStore store = CollectionsStore.open(disk.mount(), data, Stores.SETTINGS, n -> { })) {
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.ESCALATED);
        }
        disk.cutPower();
        try (CollectionsStore store = CollectionsStore.open(disk.mount(), data, Stores.SETTINGS, n -> { })) {
            assertThat(store.lastSeq()).isEqualTo(2);
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.ESCALATED);
        }
    }

    @Test
    void aDamagedLastLineThatWasAppliedIsNotCutAsTorn() throws Exception {
        issueInvoicesAndEditALoggedAmount(2);
        Path log = data.resolve("events.log");
        byte[] damaged = Files.readAllBytes(log);

        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("seq 2) is damaged, but the checkpoint says seq 2 was applied");
        // With a checkpoint that lags (a crash), the state file still tells a written entry from a torn one.
        new Checkpoint(1, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));
        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("the state of invoice client1/INV-002 reflects it");
        assertThat(Files.readAllBytes(log)).isEqualTo(damaged);
    }

    @Test
    void aLastLineTooDamagedToReadIsNotCutWhenStateReflectsIt() throws Exception {
        issueAndPartlyPay();
        // A crash-like start (the checkpoint lags), and the last line's first byte damaged: no field is readable.
        new Checkpoint(0, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));
        Path log = data.resolve("events.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, "[" + lines.get(1).substring(1));
        Files.write(log, lines);

        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("seq 2) is damaged, but state files reflect seq 2 or later");
        assertThat(Files.readAllLines(log)).isEqualTo(lines);
    }

    @Test
    void rebuildDoesNotCutALastLineThatWasApplied() throws Exception {
        issueAndPartlyPay();
        Path log = data.resolve("events.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, lines.get(1).replace("\"hash\":\"", "\"hash\":\"f").replaceFirst("(\"hash\":\"f[0-9a-f]{63})[0-9a-f]", "$1"));
        Files.write(log, lines);
        Map<String, byte[]> before = Stores.stateFiles(data);

        assertThatThrownBy(() -> StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, n -> { }))
                .isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("not rebuilding, nothing was changed")
                .hasMessageContaining("the checkpoint says seq 2 was applied");
        assertThat(Files.readAllLines(log)).isEqualTo(lines);
        assertThat(Stores.stateFiles(data).keySet()).isEqualTo(before.keySet());
    }

    @Test
    void aTornLastLineIsCutAndEachCutKeptApart() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
        }
        Path log = data.resolve("events.log");
        long intact = Files.size(log);
        for (String torn : List.of("{\"client\":\"cli", "{\"client\":\"other")) {
            Files.write(log, torn.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
            new Checkpoint(1, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));
            try (CollectionsStore store = Stores.open(data)) {
                assertThat(store.lastSeq()).isEqualTo(1);
            }
        }
        assertThat(data.resolve("events.log.cut-" + intact)).hasContent("{\"client\":\"cli");
        assertThat(data.resolve("events.log.cut-" + intact + ".2")).hasContent("{\"client\":\"other");
        assertThat(Files.size(log)).isEqualTo(intact);
    }

    @Test
    void rebuildRefusesADamagedLogAndChangesNothing() throws Exception {
        List<String> lines = issueInvoicesAndEditALoggedAmount(3);
        Map<String, byte[]> before = Stores.stateFiles(data);

        assertThatThrownBy(() -> StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, n -> { }))
                .isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("not rebuilding from a damaged log, nothing was changed: events.log:2: hash mismatch");
        assertThat(Stores.stateFiles(data)).hasSameSizeAs(before);
        assertThat(data.resolve("checkpoint.json")).exists();
        // The lock was released: the folder can be opened by an operator's next step, and refuses the damage.
        Files.delete(data.resolve("snapshot.bin"));
        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class);
    }

    @Test
    void aLogDamagedBeforeTheSnapshotsLineStopsTheStoreOnceTheWalkAfterStartFindsIt() throws Exception {
        issueInvoicesAndEditALoggedAmount(3); // the clean stop left a snapshot at seq 3; line 2 is edited
        try (CollectionsStore store = Stores.open(data)) {
            // The start read nothing before the snapshot's line (3, intact); the walk after it reads lines 1 and 2.
            await().atMost(Duration.ofSeconds(20)).until(store::failed);
            assertThat(store.failure().orElseThrow()).isInstanceOf(LogCorruptionException.class)
                    .hasMessageContaining("events.log:2: hash mismatch");
            assertThatThrownBy(() -> store.apply(issued("i9", "client1", "INV-009", "100", "USD")))
                    .isInstanceOf(IOException.class);
        }
        // Without the snapshot, which the walk deleted, the next start reads the whole log and refuses it.
        assertThat(data.resolve("snapshot.bin")).doesNotExist();
        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("line 2: hash mismatch");
    }

    @Test
    void aLogDamagedBeforeItsEndRefusesToOpenNamingTheLine() throws Exception {
        List<String> lines = issueInvoicesAndEditALoggedAmount(3);
        Files.delete(data.resolve("snapshot.bin")); // a start that reads the whole log
        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("line 2: hash mismatch");
        // Refusing released the folder: an operator's verify or a fixed start can have it.
        Files.write(data.resolve("events.log"), lines.subList(0, 1));
        Files.delete(data.resolve("checkpoint.json"));
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(1);
        }
    }
}
