package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import com.novotechno.collections.testing.PowerLossDisk;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuild writes derived files without an fsync each; a crash midway must only ever mean "rebuild again". */
class StoreRebuilderTest {

    @TempDir
    Path data;

    private static final List<byte[]> MESSAGES = messages();

    private static List<byte[]> messages() {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            messages.add(issued("i" + i, "client" + (i % 3), "INV-" + i, "100", i % 2 == 0 ? "EUR" : "USD"));
        }
        for (int i = 1; i <= 8; i += 2) {
            messages.add(payment("p" + i, "client" + (i % 3), "INV-" + i, "100", "USD"));
        }
        messages.add(payment("p2", "client2", "INV-2", "40", "EUR"));
        messages.add(escalated("e4", "client1", "INV-4", "no reply"));
        return List.copyOf(messages);
    }

    private static void fill(CollectionsStore store) throws Exception {
        for (byte[] message : MESSAGES) {
            store.apply(message);
        }
    }

    @Test
    void anInterruptedRebuildMakesEveryStartRefuseUntilItIsRunAgain() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
        }
        Map<String, byte[]> before = Stores.stateFiles(data);
        // What a crash after the marker leaves: the marker, and whatever files were half rebuilt.
        Files.writeString(data.resolve("rebuild.inprogress"), "rebuild in progress\n");
        Files.writeString(data.resolve("state/open/client2/INV-2.json"), "half");

        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(IOException.class)
                .hasMessageContaining("was interrupted").hasMessageContaining("run 'rebuild' again");
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults())
                .contains("rebuild.inprogress: a rebuild has not finished, so state files may be incomplete; run rebuild again");

        StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, n -> { });
        assertThat(data.resolve("rebuild.inprogress")).doesNotExist();
        Map<String, byte[]> after = Stores.stateFiles(data);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((file, bytes) -> assertThat(after.get(file)).as(file).isEqualTo(bytes));
    }

    @Test
    void powerLostAnywhereInARebuildIsRepairedByTheNextRebuild() throws Exception {
        int interruptedRebuilds = 0;
        int completed = 0;
        for (long seed = 1; seed <= 30; seed++) {
            PowerLossDisk disk = new PowerLossDisk(seed);
            Path folder = data.resolve("seed-" + seed);
            Files.createDirectories(folder); // the real folder only holds the lock
            try (CollectionsStore store = CollectionsStore.open(disk.mount(), folder, Stores.SETTINGS, n -> { })) {
                fill(store);
            }
            Map<String, String> expected = Stores.stateFileTexts(disk.mount(), folder);

            disk.powerFailsAfter(1 + seed * 15); // from the first checks to past the end of the rebuild
            try {
                StoreRebuilder.rebuild(disk.mount(), folder, Stores.SETTINGS, n -> { });
            } catch (PowerLossDisk.PowerLoss lost) {
                // the rebuild died with the power; its lock was a real one, released below by the rebuild's finally
            }
            disk.powerFailsAfter(Long.MAX_VALUE);
            disk.cutPower(); // a rebuild that returned must have made its work durable
            Storage afterLoss = disk.mount();
            boolean interrupted = afterLoss.exists(folder.resolve("rebuild.inprogress"));
            if (interrupted) {
                interruptedRebuilds++;
                assertThatThrownBy(() -> CollectionsStore.open(afterLoss, folder, Stores.SETTINGS, n -> { }))
                        .hasMessageContaining("was interrupted");
                StoreRebuilder.rebuild(afterLoss, folder, Stores.SETTINGS, n -> { });
                disk.cutPower();
            } else {
                completed++;
            }
            Storage checked = disk.mount();
            assertThat(new StoreVerifier(checked, new DataLayout(folder)).verify().faults()).as("seed %d", seed).isEmpty();
            assertThat(Stores.stateFileTexts(checked, folder)).as("seed %d", seed).containsExactlyEntriesOf(expected);
            try (CollectionsStore store = CollectionsStore.open(checked, folder, Stores.SETTINGS, n -> { })) {
                assertThat(store.lastSeq()).isEqualTo(14);
                // The message index came through too: every message is known, as the same content.
                for (byte[] message : MESSAGES) {
                    assertThat(store.apply(message).outcome()).as("seed %d", seed).isEqualTo(ApplyResult.Outcome.DUPLICATE);
                }
            }
        }
        assertThat(interruptedRebuilds).as("rebuilds the power cut short after their marker").isGreaterThan(5);
        assertThat(completed).as("rebuilds that completed before the power went").isGreaterThan(3);
    }

    @Test
    void aTornTailFoundByARebuildIsCutDurablyAndKept() throws Exception {
        PowerLossDisk disk = new PowerLossDisk(99);
        Files.createDirectories(data);
        try (CollectionsStore store = CollectionsStore.open(disk.mount(), data, Stores.SETTINGS, n -> { })) {
            fill(store);
        }
        Storage before = disk.mount();
        Path log = data.resolve("events.log");
        byte[] intact = before.read(log, Integer.MAX_VALUE);
        try (Storage.AppendFile append = before.openAppend(log)) {
            append.append("{\"client\":\"torn".getBytes(StandardCharsets.UTF_8));
            append.force();
        }
        new Checkpoint(0, false).write(before, data.resolve("checkpoint.json")); // as after the crash that tore it

        StoreRebuilder.rebuild(before, data, Stores.SETTINGS, n -> { });
        disk.cutPower();

        Storage after = disk.mount();
        assertThat(after.read(log, Integer.MAX_VALUE)).isEqualTo(intact);
        assertThat(after.read(data.resolve("events.log.cut-" + intact.length), 100))
                .isEqualTo("{\"client\":\"torn".getBytes(StandardCharsets.UTF_8));
        assertThat(new StoreVerifier(after, new DataLayout(data)).verify().faults()).isEmpty();
    }

}
