package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.amended;
import static com.novotechno.collections.testing.Messages.erased;
import static com.novotechno.collections.testing.Messages.issuedTo;
import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.json;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.writtenOff;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.PersonalData;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT section 1, erasure: a client's personal data leaves every file, the log included, and the books still add up. */
class ClientErasureTest {

    private static final String ADDRESS = "jane.doe@acme.example";
    private static final String SECOND_ADDRESS = "j.doe.private@mail.example";
    private static final String REASON = "Jane Doe disputes the delivery";
    private static final InvoiceKey INV_1 = new InvoiceKey("acme", "INV-1");

    @TempDir
    Path data;


    private void fill(CollectionsStore store) throws Exception {
        store.apply(issuedTo("i1", "acme", "INV-1", ADDRESS));
        store.apply(amended("a1", "acme", "INV-1", SECOND_ADDRESS, null));
        store.apply(escalated("e1", "acme", "INV-1", REASON));
        store.apply(payment("p1", "acme", "INV-1", "40", "USD"));
        store.apply(issuedTo("i2", "acme", "INV-2", ADDRESS));
        store.apply(writtenOff("w2", "acme", "INV-2"));
        store.apply(payment("p3", "acme", "INV-3", "5", "USD")); // held: no invoice yet
        store.apply(issuedTo("o1", "other", "INV-1", "ap@other.example"));
    }

    @Test
    void afterAnErasureNoByteOfTheAddressesOrTheTextsIsLeftInAnyFileAndVerifyStillPasses(@TempDir Path fresh)
            throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
            store.flushLedger();
            assertThat(filesContaining(ADDRESS)).as("the state files hold the address before").isNotEmpty();
            assertThat(Files.readString(data.resolve("events.log"))).as("the log seals it").doesNotContain(ADDRESS)
                    .doesNotContain(REASON).doesNotContain("bank_transfer");
            store.apply(erased("x1", "acme"));
            store.flushLedger();

            InvoiceState first = store.find(INV_1).orElseThrow();
            assertThat(first.contactEmail()).isEmpty();
            assertThat(first.escalationReason()).contains(PersonalData.ERASED);
            assertThat(first.payments()).singleElement().satisfies(p -> {
                assertThat(p.method()).contains(PersonalData.ERASED);
                assertThat(p.amount().toPlainString()).isEqualTo("40.00");
            });
            assertThat(first.balance().toPlainString()).as("the books still add up").isEqualTo("60.00");
            assertThat(store.find(new InvoiceKey("other", "INV-1")).orElseThrow().contactEmail())
                    .as("another client keeps its own").contains("ap@other.example");
        }
        for (String secret : List.of(ADDRESS, SECOND_ADDRESS, REASON, "Jane Doe", "REF-p1")) {
            assertThat(filesContaining(secret)).as("files holding '%s'", secret).isEmpty();
        }
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
        assertThat(Stores.assertReplayReproducesState(data, fresh)).isEqualTo(9);
    }

    @Test
    void aClientErasedAndBackIsSealedUnderANewKeyThatOpensAfterARestart() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
            store.apply(erased("x1", "acme"));
            store.apply(issuedTo("i9", "acme", "INV-9", "new.contact@acme.example"));
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(new InvoiceKey("acme", "INV-9")).orElseThrow().contactEmail())
                    .contains("new.contact@acme.example");
            assertThat(store.find(INV_1).orElseThrow().contactEmail()).isEmpty();
        }
        assertThat(data.resolve("keys")).isDirectoryContaining(p -> p.getFileName().toString().equals("acme.2.key"));
        // In clear only where the state is kept for reading (state files, the snapshot), which an erasure rewrites or deletes.
        assertThat(filesContaining("new.contact@acme.example")).as("sealed in the log too")
                .allMatch(path -> path.startsWith("state") || path.toString().equals("snapshot.bin"));
    }

    @Test
    void aLogWhoseClientWasErasedRebuildsFromTheLogAloneAndARebuildSweepsNothingAgain() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
            store.apply(erased("x1", "acme"));
        }
        // A file of the client's after its erasure (a message accepted later): a rebuild must leave it.
        Files.createDirectories(data.resolve("processed"));
        Files.writeString(data.resolve("processed/later.json"), "{\"client\":\"acme\",\"message_id\":\"later\"}");
        StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, notice -> { });
        assertThat(data.resolve("processed/later.json")).exists();

        // The log alone, without keys/: the erased client's values read as erased, the other's cannot be read.
        Path logAlone = data.resolveSibling(data.getFileName() + "-log-alone");
        Files.createDirectories(logAlone);
        Files.copy(data.resolve("events.log"), logAlone.resolve("events.log"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Stores.open(logAlone).close())
                .hasMessageContaining("key other.1, which is missing from keys/ although the log never erased it");
    }

    @Test
    void aRebuildThatALostKeyRefusesChangesNothing() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
        }
        java.util.Map<String, byte[]> before = Stores.stateFiles(data);
        Files.delete(data.resolve("keys/acme.1.key"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoreRebuilder.rebuild(new FileSystemStorage(), data,
                Stores.SETTINGS, notice -> { })).hasMessageContaining("not rebuilding, nothing was changed")
                .hasMessageContaining("key acme.1");
        assertThat(Stores.stateFiles(data).keySet()).containsExactlyElementsOf(before.keySet());
        assertThat(data.resolve("rebuild.inprogress")).doesNotExist();
    }

    @Test
    void anEditedLedgerIsWrittenAnewWhenItsClientIsErased() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
            store.flushLedger();
            Files.writeString(data.resolve("ledger.qmd"), Files.readString(data.resolve("ledger.qmd")) + "an edit\n");
            store.apply(payment("p9", "other", "INV-1", "1", "USD"));
            store.flushLedger();
            assertThat(store.ledgerHeld()).isTrue();
            store.apply(erased("x1", "acme"));
            assertThat(store.ledgerHeld()).isFalse();
        }
        assertThat(filesContaining(REASON)).isEmpty();
    }

    @Test
    void aCrashBetweenTheLoggedErasureAndItsEffectsIsFinishedAtTheNextStart() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
        }
        // A rejected file that quotes the address and names no client: only the address finds it.
        Files.createDirectories(data.resolve("rejected"));
        Files.writeString(data.resolve("rejected/text.json"), "not json, but " + ADDRESS);
        // The state before the erasure, and its keys, kept aside: as a kill after the log's fsync leaves them.
        Path before = data.resolveSibling(data.getFileName() + "-before");
        copyTree(data, before);
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(erased("x1", "acme"));
        }
        Files.copy(data.resolve("events.log"), before.resolve("events.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(before.resolve("keys/acme.1.key")).exists();

        try (CollectionsStore store = Stores.open(before)) {
            assertThat(store.find(INV_1).orElseThrow().contactEmail()).isEmpty();
        }
        assertThat(before.resolve("keys/acme.1.key")).as("destroyed at the start, as the log says").doesNotExist();
        assertThat(filesContaining(before, ADDRESS)).isEmpty();
    }

    @Test
    void aDeletedKeyFileIsNoErasureTheStartAndVerifyRefuseIt() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            fill(store);
        }
        Files.delete(data.resolve("keys/acme.1.key"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Stores.open(data).close())
                .hasMessageContaining("sealed under key acme.1, which is missing from keys/ although the log never erased it");
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults())
                .anySatisfy(fault -> assertThat(fault).contains("missing from keys/ although the log never erased it"));
        // Nor does a forged erasure mark beside it make it one: only the log erases.
        com.fasterxml.jackson.databind.node.ObjectNode mark = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("client", "acme").put("erased_at", "2026-03-15T10:00:00Z").put("erased_through", 1);
        Files.write(data.resolve("keys/acme.erased"), com.novotechno.collections.storage.ChecksummedJson.encode(mark));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Stores.open(data).close())
                .hasMessageContaining("sealed under key acme.1, which is missing from keys/ although the log never erased it");
        assertThat(filesContaining(ADDRESS)).as("nothing was rewritten as erased").isNotEmpty();
    }

    private List<Path> filesContaining(String text) throws Exception {
        return DataFolders.filesContaining(data, text);
    }

    private static List<Path> filesContaining(Path root, String text) throws Exception {
        return DataFolders.filesContaining(root, text);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals(".lock")) {
                    Files.copy(source, target);
                }
            }
        }
    }
}
