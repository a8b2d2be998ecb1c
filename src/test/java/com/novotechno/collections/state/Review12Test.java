package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue 12 (one shared fsync per message): defects found by attacking it. */
class Review12Test {

    @TempDir
    Path tmp;

    Path data;

    @BeforeEach
    void clearNotices() {
        Stores.NOTICES.clear();
        data = tmp.resolve("data");
    }

    /**
     * The format 1 migration removes index/ by walking it with a link-following isDirectory and deleting
     * what it finds: a symbolic link in index/ (an operator who moved the big index to another disk, or
     * anyone with the service user's rights) makes it delete files outside the data folder.
     */
    @Test
    void migratingFormatOneNeverDeletesFilesOutsideTheDataFolderThroughASymlinkInIndex() throws Exception {
        withOneInvoice();
        Path outside = Files.createDirectories(tmp.resolve("outside/sub"));
        Files.writeString(tmp.resolve("outside/precious.txt"), "not the service's");
        Files.writeString(outside.resolve("deep.txt"), "not the service's either");
        // A format 1 folder: no format.json, an index/ folder, here holding a link to elsewhere.
        Files.delete(data.resolve("format.json"));
        Files.createDirectories(data.resolve("index/messages"));
        Files.createSymbolicLink(data.resolve("index/messages/elsewhere"), tmp.resolve("outside"));

        Stores.open(data).close();

        assertThat(data.resolve("index")).doesNotExist();
        assertThat(tmp.resolve("outside/precious.txt")).exists();
        assertThat(outside.resolve("deep.txt")).exists();
    }

    /** The same with index/ itself a symbolic link: its target's contents are deleted. */
    @Test
    void migratingFormatOneNeverDeletesTheTargetOfAnIndexThatIsASymlink() throws Exception {
        withOneInvoice();
        Path elsewhere = Files.createDirectories(tmp.resolve("other-disk/index"));
        Files.writeString(elsewhere.resolve("keep.txt"), "not the service's");
        Files.delete(data.resolve("format.json"));
        Files.createSymbolicLink(data.resolve("index"), elsewhere);

        Stores.open(data).close();

        assertThat(elsewhere.resolve("keep.txt")).exists();
    }

    /**
     * format.json is read with a plain open, which blocks on a FIFO until a writer comes: a FIFO put in its
     * place (or in checkpoint.json's) makes every start of the service, import and rebuild hang for ever,
     * holding the folder's lock, instead of refusing with a reason as a damaged format file is refused.
     */
    @Test
    void aFifoInPlaceOfFormatJsonRefusesTheStartInsteadOfHangingIt() throws Exception {
        withOneInvoice();
        Path format = data.resolve("format.json");
        Files.delete(format);
        Process mkfifo = new ProcessBuilder("mkfifo", format.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> Stores.open(data).close()).hasMessageContaining("format.json"));
        } finally {
            // Releases the blocked open, if any, so the test JVM is not left with a stuck thread.
            Thread release = new Thread(() -> {
                try (var out = Files.newOutputStream(format)) {
                    out.flush();
                } catch (Exception ignored) {
                    // nobody was reading
                }
            });
            release.setDaemon(true);
            release.start();
            release.join(2000);
        }
    }

    /**
     * An import holds every invoice's lock for a whole batch and takes them again at once for the next, so
     * the background checkpoint, which needs one invoice's lock per changed invoice, starves: after seconds of
     * importing, tens of thousands of entries on, checkpoint.json still says seq 0. A kill then replays and
     * rechecks the whole import, and state files lag the log by the whole import, not "about a second"
     * (seen with the real jar: a kill -9 after 5 s and 16,306 entries left applied_seq 0 and 58 state files).
     */
    @Test
    void theCheckpointAdvancesWhileAnImportRuns() throws Exception {
        StoreSettings settings = Stores.SETTINGS.withCheckpointPeriod(Duration.ofMillis(100));
        try (CollectionsStore store = CollectionsStore.open(data, settings, Stores.NOTICES::add)) {
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int n = 0;
            while (System.nanoTime() < until) {
                List<byte[]> batch = new ArrayList<>();
                for (int i = 0; i < 1000; i++, n++) {
                    batch.add(issued("i" + n, "client" + (n % 50), "INV-" + n, "100", "USD"));
                }
                store.applyBatch(batch);
            }
            long checkpointed = Checkpoint.read(new com.novotechno.collections.storage.FileSystemStorage(),
                    data.resolve("checkpoint.json")).appliedSeq();
            // Three seconds of batches at a 100 ms period: the checkpoint should be well past the first batch.
            assertThat(checkpointed).as("checkpoint after %d imported messages", n).isGreaterThan(1000);
        }
    }

    private void withOneInvoice() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
        }
    }
}
