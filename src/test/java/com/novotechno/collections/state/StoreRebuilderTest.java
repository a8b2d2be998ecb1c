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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuild writes derived files without an fsync each; a crash midway must only ever mean "rebuild again". */
class StoreRebuilderTest {

    @TempDir
    Path data;

    private static void fill(CollectionsStore store) throws Exception {
        for (int i = 1; i <= 8; i++) {
            store.apply(issued("i" + i, "client" + (i % 3), "INV-" + i, "100", i % 2 == 0 ? "EUR" : "USD"));
        }
        for (int i = 1; i <= 8; i += 2) {
            store.apply(payment("p" + i, "client" + (i % 3), "INV-" + i, "100", "USD"));
        }
        store.apply(payment("p2", "client2", "INV-2", "40", "EUR"));
        store.apply(escalated("e4", "client1", "INV-4", "no reply"));
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
            Map<String, String> expected = stateFiles(disk.mount(), folder);

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
            assertThat(stateFiles(checked, folder)).as("seed %d", seed).containsExactlyEntriesOf(expected);
            try (CollectionsStore store = CollectionsStore.open(checked, folder, Stores.SETTINGS, n -> { })) {
                assertThat(store.lastSeq()).isEqualTo(14);
            }
        }
        assertThat(interruptedRebuilds).as("rebuilds the power cut short after their marker").isGreaterThan(5);
        assertThat(completed).as("rebuilds that completed before the power went").isGreaterThan(3);
    }

    private static Map<String, String> stateFiles(Storage disk, Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path state = folder.resolve("state");
        for (Path file : disk.listFilesRecursively(state)) {
            files.put(state.relativize(file).toString(), new String(disk.read(file, Integer.MAX_VALUE)));
        }
        return files;
    }
}
