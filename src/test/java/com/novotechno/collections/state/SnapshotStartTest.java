package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult.Outcome;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start from a snapshot: the same book, ledger, files and deduplication as a start that reads the
 * whole log, and a snapshot that is damaged, stale, of another log or missing a key set aside for
 * that whole read, with a notice, never trusted over the log.
 */
class SnapshotStartTest {

    @TempDir
    Path temp;
    Path data;

    @BeforeEach
    void setUp() {
        data = temp.resolve("data");
        Stores.NOTICES.clear();
    }

    @Test
    void aStartFromTheSnapshotHoldsExactlyWhatAWholeReplayHolds() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Path folder = temp.resolve("seed-" + seed);
            List<byte[]> stream = trafficOf(seed);
            Random random = new Random(seed);
            // Stops (each leaving a snapshot), snapshots mid-run, and restarts from them, at random points.
            for (int from = 0; from < stream.size(); ) {
                int to = Math.min(stream.size(), from + 1 + random.nextInt(60));
                try (CollectionsStore store = Stores.open(folder)) {
                    for (byte[] message : stream.subList(from, to)) {
                        applyOrReject(store, message);
                        if (random.nextInt(25) == 0) {
                            store.snapshotNow();
                        }
                    }
                }
                from = to;
            }
            Path replayed = temp.resolve("replayed-" + seed);
            SnapshotFolders.copy(folder, replayed);
            Files.delete(replayed.resolve("snapshot.bin"));
            try (CollectionsStore store = Stores.open(replayed)) {
                assertThat(store.lastSeq()).isPositive();
            } // its close writes the snapshot of a whole replay

            StoreSnapshot.Contents fromSnapshots = StoreSnapshot.read(new FileSystemStorage(), folder.resolve("snapshot.bin"));
            StoreSnapshot.Contents fromReplay = StoreSnapshot.read(new FileSystemStorage(), replayed.resolve("snapshot.bin"));
            assertThat(fromSnapshots.position()).as("seed %d", seed).isEqualTo(fromReplay.position());
            assertThat(fromSnapshots.latestEvent()).isEqualTo(fromReplay.latestEvent());
            assertThat(fromSnapshots.firstEvent()).isEqualTo(fromReplay.firstEvent());
            assertThat(SnapshotFolders.sorted(fromSnapshots.records())).as("seed %d", seed).isEqualTo(SnapshotFolders.sorted(fromReplay.records()));
            assertThat(fromSnapshots.clientPauses()).isEqualTo(fromReplay.clientPauses());
            assertThat(MessageLocations.sameMessages(fromSnapshots.locations(), fromReplay.locations())).isTrue();
            assertThat(Stores.stateFiles(folder)).containsOnlyKeys(Stores.stateFiles(replayed).keySet());
            assertThat(folder.resolve("ledger.qmd")).hasSameTextualContentAs(replayed.resolve("ledger.qmd"));
        }
    }

    @Test
    void aMessageFromBeforeTheSnapshotIsStillADuplicateAndItsIdStillTaken() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "acme", "INV-1", "100", "USD"));
            store.apply(payment("p1", "acme", "INV-1", "40", "USD"));
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.apply(payment("p1", "acme", "INV-1", "40", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThatThrownBy(() -> store.apply(payment("p1", "acme", "INV-1", "41", "USD")))
                    .isInstanceOf(RejectedMessageException.class).hasMessageContaining("for different content");
            assertThat(store.apply(payment("p2", "acme", "INV-1", "60", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(store.find(new InvoiceKey("acme", "INV-1")).orElseThrow().balance().toPlainString())
                    .isEqualTo("0.00");
        }
        assertThat(Stores.NOTICES).noneMatch(notice -> notice.contains("set aside"));
    }

    @Test
    void theSnapshotIsOwnerOnlyAndWrittenAtACleanStop() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "acme", "INV-1", "100", "USD"));
            assertThat(data.resolve("snapshot.bin")).doesNotExist();
        }
        assertThat(Files.getPosixFilePermissions(data.resolve("snapshot.bin")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        StoreSnapshot.Contents contents = StoreSnapshot.read(new FileSystemStorage(), data.resolve("snapshot.bin"));
        assertThat(contents.position().seq()).isEqualTo(1);
        assertThat(contents.records()).hasSize(1);
    }

    @Test
    void aDamagedSnapshotIsSetAsideAndTheWholeLogReplayed() throws Exception {
        SnapshotFolders.fill(data);
        Path snapshot = data.resolve("snapshot.bin");
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 1;
        Files.write(snapshot, bytes);
        assertStartsByWholeReplay("checksum mismatch");
    }

    @Test
    void aTruncatedSnapshotIsSetAside() throws Exception {
        SnapshotFolders.fill(data);
        Path snapshot = data.resolve("snapshot.bin");
        byte[] bytes = Files.readAllBytes(snapshot);
        Files.write(snapshot, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        assertStartsByWholeReplay("snapshot.bin");
    }

    @Test
    void aSnapshotOfAnotherLogIsSetAside() throws Exception {
        SnapshotFolders.fill(data);
        Path other = temp.resolve("other");
        try (CollectionsStore store = Stores.open(other)) {
            store.apply(issued("x1", "zeta", "Z-1", "5", "USD"));
            store.apply(issued("x2", "zeta", "Z-2", "5", "USD"));
            store.apply(issued("x3", "zeta", "Z-3", "5", "USD"));
        }
        Files.copy(other.resolve("snapshot.bin"), data.resolve("snapshot.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertStartsByWholeReplay("the log does not hold its line");
    }

    @Test
    void aSnapshotAfterTheCheckpointIsSetAside() throws Exception {
        SnapshotFolders.fill(data);
        // As a power cut could leave it if a snapshot were ever published before its checkpoint.
        new Checkpoint(1, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));
        assertStartsByWholeReplay("after the checkpoint's 1");
    }

    @Test
    void aSnapshotWhoseKeyIsGoneIsSetAsideSoTheWholeReplayReportsTheLostKey() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issuedTo("i1", "acme", "INV-1", "ap@acme.example"));
        }
        try (Stream<Path> keys = Files.list(data.resolve("keys"))) {
            for (Path key : keys.toList()) {
                Files.delete(key);
            }
        }
        assertThatThrownBy(() -> Stores.open(data)).hasMessageContaining("missing from keys/");
        assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("set aside") && notice.contains("no longer in keys/"));
    }

    @Test
    void anErasureDeletesTheSnapshotThatHeldTheClientsTexts() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issuedTo("i1", "acme", "INV-1", "ap@acme.example"));
            store.snapshotNow();
            assertThat(Files.readAllBytes(data.resolve("snapshot.bin"))).containsSubsequence("ap@acme.example".getBytes());
            store.apply(Messages.erased("e1", "acme"));
            assertThat(data.resolve("snapshot.bin")).doesNotExist();
        }
        assertThat(new String(Files.readAllBytes(data.resolve("snapshot.bin")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("ap@acme.example");
    }

    @Test
    void rebuildReplaysTheWholeLogAndLeavesAFreshSnapshot() throws Exception {
        SnapshotFolders.fill(data);
        byte[] before = Files.readAllBytes(data.resolve("snapshot.bin"));
        Path snapshot = data.resolve("snapshot.bin");
        byte[] damaged = before.clone();
        damaged[damaged.length / 3] ^= 1;
        Files.write(snapshot, damaged);
        StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, notice -> { });
        StoreSnapshot.Contents rebuilt = StoreSnapshot.read(new FileSystemStorage(), snapshot);
        StoreSnapshot.Contents original = readBytes(before);
        assertThat(SnapshotFolders.sorted(rebuilt.records())).isEqualTo(SnapshotFolders.sorted(original.records()));
        assertThat(rebuilt.position()).isEqualTo(original.position());
    }

    @Test
    void verifyComparesTheSnapshotWithTheLogAtItsLineSoAResealedEditIsFound() throws Exception {
        SnapshotFolders.fill(data);
        StoreVerifier verifier = new StoreVerifier(new FileSystemStorage(), new DataLayout(data));
        assertThat(verifier.verify().faults()).isEmpty();

        Path snapshot = data.resolve("snapshot.bin");
        StoreSnapshot.Contents honest = StoreSnapshot.read(new FileSystemStorage(), snapshot);
        List<InvoiceRecord> forged = new ArrayList<>(honest.records());
        forged.remove(0); // an invoice forgotten, and the file resealed with a correct checksum
        SnapshotFolders.publish(data, new StoreSnapshot.Contents(honest.position(), honest.firstEvent(), honest.latestEvent(), honest.liveKeyIds(), forged,
                honest.clientPauses(), honest.locations()));
        assertThat(verifier.verify().faults()).singleElement().asString()
                .startsWith("snapshot.bin: 1 records disagree with the log at seq 4, first: ");

        MessageLocations.Table table = honest.locations();
        long[] offsets = table.offsets().clone();
        for (int i = 0; i < offsets.length; i++) {
            if (table.digests()[i] != 0) {
                offsets[i] = 0; // a message moved onto the first line: its duplicates would be misjudged
                break;
            }
        }
        SnapshotFolders.publish(data, new StoreSnapshot.Contents(honest.position(), honest.firstEvent(), honest.latestEvent(), honest.liveKeyIds(), honest.records(),
                honest.clientPauses(), new MessageLocations.Table(table.digests(), offsets, table.size())));
        assertThat(verifier.verify().faults()).singleElement().asString().contains("its message table disagrees");

        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length - StoreSnapshot.TRAILER] ^= 1; // in its SHA-256
        Files.write(snapshot, bytes);
        assertThat(verifier.verify().faults()).singleElement().asString()
                .startsWith("snapshot.bin: checksum mismatch").endsWith("(a start sets it aside and reads the whole log)");
    }

    private StoreSnapshot.Contents readBytes(byte[] bytes) throws IOException {
        Path file = temp.resolve("copy.bin");
        Files.write(file, bytes);
        return StoreSnapshot.read(new FileSystemStorage(), file);
    }

    /** The start sets the snapshot aside with a notice naming why, and still holds everything the log says. */
    private void assertStartsByWholeReplay(String reason) throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("snapshot.bin set aside") && notice.contains(reason));
            assertThat(store.lastSeq()).isEqualTo(4);
            assertThat(store.find(new InvoiceKey("acme", "INV-1")).orElseThrow().balance().toPlainString()).isEqualTo("0.00");
            assertThat(store.find(new InvoiceKey("acme", "INV-2")).orElseThrow().balance().toPlainString()).isEqualTo("200.00");
            assertThat(store.apply(payment("p1", "acme", "INV-1", "100", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
        // The clean stop replaced it with a good one.
        assertThat(StoreSnapshot.read(new FileSystemStorage(), data.resolve("snapshot.bin")).position().seq()).isEqualTo(4);
    }

    private static List<byte[]> trafficOf(long seed) {
        List<byte[]> stream = new ArrayList<>();
        CrashStream.plan(seed, 25).forEach(plan -> stream.addAll(plan.messages()));
        Random random = new Random(seed);
        for (int i = 0; i < 10; i++) {
            stream.add(random.nextInt(stream.size()), stream.get(random.nextInt(stream.size())));
        }
        stream.add(random.nextInt(stream.size()), payment("held-" + seed, "nobody", "INV-9", "5", "USD"));
        return stream;
    }

    private static void applyOrReject(CollectionsStore store, byte[] message) throws IOException {
        try {
            store.apply(message);
        } catch (RejectedMessageException expected) {
            // part of the traffic: rejected alike on either path
        }
    }

}
