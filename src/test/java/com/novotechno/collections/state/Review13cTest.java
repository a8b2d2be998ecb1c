package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 13c: the start after an unclean stop attacked. Its sweep of tmp files must stay inside the data
 * folder (a link in the state tree is removed as a link, never followed), and must reach every folder the
 * service writes with atomic writes, ledger/ too.
 */
class Review13cTest {

    @TempDir
    Path data;
    /** A folder of the same user outside the data folder: nothing the service may touch. */
    @TempDir
    Path elsewhere;

    /** One invoice, then a stop the next start takes for a crash. */
    @BeforeEach
    void aFolderStoppedUncleanly() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
        }
        new Checkpoint(1, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));
    }

    private void startAndStop() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i2", "client1", "INV-002", "10", "USD"));
            await().atMost(Duration.ofSeconds(10)).until(store::stateTreeSwept); // close would cut it short
        }
    }

    @Test
    void theSweepDoesNotFollowALinkedFolderOutOfTheDataFolder() throws Exception {
        Path outside = Files.writeString(elsewhere.resolve(".draft.tmp"), "a user's own file");
        Files.createSymbolicLink(data.resolve("state/open/client9"), elsewhere);

        startAndStop();

        assertThat(outside).as("never a file outside the data folder").exists();
    }

    @Test
    void aLinkNamedLikeATmpFileIsRemovedAsALinkNeverItsTarget() throws Exception {
        Path target = Files.writeString(elsewhere.resolve("notes.txt"), "a user's own file");
        Path link = Files.createSymbolicLink(data.resolve("state/open/client1/.INV-009.json.123.tmp"), target);

        startAndStop();

        assertThat(target).exists().hasContent("a user's own file");
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("the link itself is garbage").isFalse();
    }

    /** The state-audit route removes a file the log has nothing for: never one a linked folder leads to. */
    @Test
    void theStrayFileRemovalDoesNotFollowALinkedClientFolder() throws Exception {
        Path outside = Files.writeString(elsewhere.resolve("INV-7.json"), "{\"a user's\": \"own file\"}");
        Files.createSymbolicLink(data.resolve("state/open/client9"), elsewhere);
        try (CollectionsStore store = Stores.open(data)) {
            StateAudit audit = new StateAudit(new FileSystemStorage(), store.layout());
            List<StateAudit.StateFile> listed = new ArrayList<>();
            for (Path entry : audit.entries()) {
                listed.addAll(audit.filesUnder(entry));
            }
            store.removeStrayFiles(listed);
        }

        assertThat(outside).as("never a file outside the data folder").exists();
    }

    /** A kill while a closed period's file was written leaves its tmp file beside the period files. */
    @Test
    void theTmpFileAKillLeftInLedgerIsRemovedAtTheNextStart() throws Exception {
        Files.createDirectories(data.resolve("ledger"));
        Path left = Files.writeString(data.resolve("ledger/.paid-2026-02.qmd.r0123456789abcdef.42.tmp"), "---\ntitle");

        startAndStop();

        assertThat(left).doesNotExist();
    }
}
