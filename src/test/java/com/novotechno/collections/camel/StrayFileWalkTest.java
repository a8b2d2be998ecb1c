package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk lists its share of files a tick on average, whatever the folders' sizes. */
class StrayFileWalkTest {

    @TempDir
    Path data;

    private void files(String client, int count) throws IOException {
        Path folder = new DataLayout(data).openState().resolve(client);
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            Files.writeString(folder.resolve("INV-" + i + ".json"), "{}");
        }
    }

    @Test
    void aFolderLargerThanAShareIsListedWholeAndTheTicksAfterItPayItBack() throws IOException {
        files("BIG", 1_000);
        files("SMALL", 50);
        StrayFileWalk walk = new StrayFileWalk(new StateAudit(new FileSystemStorage(), new DataLayout(data)));

        List<Integer> listed = new ArrayList<>();
        for (int tick = 0; tick < 13; tick++) {
            listed.add(walk.next(100).size());
        }

        // 1,050 files at 100 a tick: BIG at once, nothing for nine ticks, SMALL, then a new cycle when paid back.
        assertThat(listed).containsExactly(1_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 1_000, 0);
        assertThat(walk.cyclesBegun()).isEqualTo(2);
        assertThat(walk.lastCycleTicks()).isEqualTo(11);
    }

    @Test
    void smallFoldersAreTakenUntilTheShareIsListed() throws IOException {
        for (int client = 0; client < 25; client++) {
            files(String.format("C%02d", client), 10);
        }
        StrayFileWalk walk = new StrayFileWalk(new StateAudit(new FileSystemStorage(), new DataLayout(data)));

        assertThat(walk.next(100)).hasSize(100).allSatisfy(f -> assertThat(f.key().client()).isLessThan("C10"));
        assertThat(walk.next(100)).hasSize(100);
        assertThat(walk.next(100)).as("the cycle's end: 50 left").hasSize(50);
        assertThat(walk.next(100)).as("a new cycle").hasSize(100);
    }
}
