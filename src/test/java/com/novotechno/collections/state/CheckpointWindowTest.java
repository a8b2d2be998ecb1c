package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import com.novotechno.collections.testing.PowerLossDisk;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The windows the log-only acknowledgement opens: a message is acknowledged on its log line's fsync, its
 * state file follows at the next checkpoint. A power cut before or during that checkpoint must cost
 * nothing acknowledged, and the next start rewrites from the log every file the cut took back.
 */
class CheckpointWindowTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("client1", "INV-001");
    private static final InvoiceKey INV_2 = new InvoiceKey("client1", "INV-002");
    /** No periodic checkpoint during a test: the windows are opened by hand. */
    private static final StoreSettings SETTINGS = Stores.SETTINGS.withCheckpointPeriod(Duration.ofMinutes(1));

    @TempDir
    Path temp;

    @Test
    void aPowerCutBetweenTheAcknowledgementAndTheCheckpointLosesNothingAndTheStartRewritesTheFiles() throws Exception {
        PowerLossDisk disk = new PowerLossDisk(11);
        Path data = folder();
        try (CollectionsStore store = CollectionsStore.open(disk.mount(), data, SETTINGS, n -> { })) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.checkpointNow();
            store.apply(payment("p1", "client1", "INV-001", "40", "USD")); // acknowledged: its line is durable
            store.apply(issued("i2", "client1", "INV-002", "50", "USD"));
            disk.cutPower();
        } catch (PowerLossDisk.PowerLoss expected) {
            // the store's close finds the disk gone with the power, as a dead process would
        }
        Storage mount = disk.mount();
        // The state files as the last checkpoint left them: INV-001 unpaid at 100, no INV-002.
        assertThat(new InvoiceFiles(mount, new DataLayout(data)).read(INV_1).orElseThrow().state().balance().toPlainString())
                .isEqualTo("100.00");
        assertThat(new InvoiceFiles(mount, new DataLayout(data)).read(INV_2)).isEmpty();

        List<String> notices = new ArrayList<>();
        try (CollectionsStore store = CollectionsStore.open(mount, data, SETTINGS, notices::add)) {
            assertThat(store.apply(payment("p1", "client1", "INV-001", "40", "USD")).outcome())
                    .isEqualTo(ApplyResult.Outcome.DUPLICATE);
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("60.00");
        }
        assertThat(notices).anySatisfy(n -> assertThat(n).startsWith("repaired from the log: state/open/client1/INV-001.json"))
                .anySatisfy(n -> assertThat(n).startsWith("repaired from the log: state/open/client1/INV-002.json: missing"));
        assertThat(new StoreVerifier(mount, new DataLayout(data)).verify().faults()).isEmpty();
    }

    @Test
    void aPowerCutAtAnyStepOfACheckpointLosesNothingAcknowledged() throws Exception {
        // Every disk operation of one checkpoint in turn: writing the files, the syncs, replacing the checkpoint.
        for (int step = 1; step <= 60; step++) {
            PowerLossDisk disk = new PowerLossDisk(step);
            Path data = folder();
            CollectionsStore store = CollectionsStore.open(disk.mount(), data, SETTINGS, n -> { });
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "100", "USD")); // paid: archived at the checkpoint
            store.apply(issued("i2", "client1", "INV-002", "50", "USD"));
            store.apply(payment("p2", "client2", "INV-009", "5", "USD"));  // held: its own file
            cutPowerDuring(disk, step, store, store::checkpointNow);
            try (CollectionsStore reopened = CollectionsStore.open(disk.mount(), data, SETTINGS, n -> { })) {
                assertThat(reopened.find(INV_1).orElseThrow().status()).as("step %d", step).isEqualTo(InvoiceStatus.PAID);
                assertThat(reopened.find(INV_2)).as("step %d", step).isPresent();
                assertThat(reopened.unapplied()).as("step %d", step).hasSize(1);
            }
            StoreVerifier.Report report = new StoreVerifier(disk.mount(), new DataLayout(data)).verify();
            assertThat(report.faults()).as("step %d", step).isEmpty();
            assertThat(report.stateFiles()).as("step %d", step).isEqualTo(2);
        }
    }

    @Test
    void aPowerCutAtAnyStepOfASnapshotLosesNothingAndTheNextStartUsesAWholeSnapshotOrNone() throws Exception {
        // Every disk operation of one snapshot in turn: its checkpoint, the temporary file, its fsync, the rename.
        for (int step = 1; step <= 40; step++) {
            PowerLossDisk disk = new PowerLossDisk(step);
            Path data = folder();
            try (CollectionsStore first = CollectionsStore.open(disk.mount(), data, SETTINGS, n -> { })) {
                first.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            } // a clean stop: a first snapshot at seq 1
            CollectionsStore store = CollectionsStore.open(disk.mount(), data, SETTINGS, n -> { });
            store.apply(payment("p1", "client1", "INV-001", "100", "USD"));
            store.apply(issued("i2", "client1", "INV-002", "50", "USD"));
            store.apply(payment("p2", "client2", "INV-009", "5", "USD"));
            cutPowerDuring(disk, step, store, store::snapshotNow);
            List<String> notices = new ArrayList<>();
            try (CollectionsStore reopened = CollectionsStore.open(disk.mount(), data, SETTINGS, notices::add)) {
                assertThat(reopened.find(INV_1).orElseThrow().status()).as("step %d", step).isEqualTo(InvoiceStatus.PAID);
                assertThat(reopened.find(INV_2)).as("step %d", step).isPresent();
                assertThat(reopened.unapplied()).as("step %d", step).hasSize(1);
                assertThat(reopened.apply(payment("p1", "client1", "INV-001", "100", "USD")).outcome())
                        .as("step %d", step).isEqualTo(ApplyResult.Outcome.DUPLICATE);
            }
            // A snapshot is whole or absent: the rename is the last step, after its fsync.
            assertThat(notices).as("step %d", step).noneMatch(notice -> notice.contains("set aside"));
            StoreVerifier.Report report = new StoreVerifier(disk.mount(), new DataLayout(data)).verify();
            assertThat(report.faults()).as("step %d", step).isEmpty();
        }
    }

    /** What the store does, the power cut at its {@code step}th disk operation (or just after it, if it has fewer). */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static void cutPowerDuring(PowerLossDisk disk, int step, CollectionsStore store, Work work) throws Exception {
        disk.powerFailsAfter(step);
        try {
            work.run();
            disk.powerFailsAfter(Long.MAX_VALUE);
            disk.cutPower();
        } catch (PowerLossDisk.PowerLoss expected) {
            // the power went during the work
        } finally {
            try {
                store.close();
            } catch (Throwable dead) {
                // the dead store's close finds no disk
            }
        }
    }

    private Path folder() throws Exception {
        Path data = Files.createTempDirectory(temp, "data");
        return data;
    }
}
