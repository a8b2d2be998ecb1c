package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.MessageEnvelope;
import com.novotechno.collections.domain.MessageType;
import com.novotechno.collections.log.EventDraft;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.storage.Sha256;
import java.nio.charset.StandardCharsets;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult.Outcome;
import com.novotechno.collections.storage.ChecksummedJson;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.novotechno.collections.log.LogCorruptionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log is the truth; state files and the message index are derived from it and are
 * checked against it, never trusted over it: a state file edited and resealed with a valid
 * checksum, or deleted, or left ahead of a log that lost its tail.
 */
class LogIsTheTruthTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("client1", "INV-001");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @BeforeEach
    void issueTwoInvoices() throws Exception {
        Stores.NOTICES.clear();
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "30", "USD"));
            store.apply(issued("i2", "client1", "INV-002", "50", "USD"));
        }
    }

    private Path openFile(String invoice) {
        return data.resolve("state/open/client1/" + invoice + ".json");
    }

    /** Raises amount and balance by 900 and seals the file again as the contract explains the checksum. */
    private void resealWithHigherBalance(Path file) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(Files.readAllBytes(file));
        json.remove(ChecksummedJson.CHECKSUM_KEY);
        json.put("amount", "1000.00");
        json.put("balance", "970.00");
        Files.write(file, ChecksummedJson.encode(json));
    }

    private List<String> verifyFaults() throws Exception {
        return new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults();
    }

    @Test
    void verifyReportsAResealedStateFileNamingTheFieldThatDiffersFromTheLog() throws Exception {
        resealWithHigherBalance(openFile("INV-001"));

        assertThat(verifyFaults()).anySatisfy(fault -> assertThat(fault)
                .startsWith("state/open/client1/INV-001.json: ")
                .contains("amount").contains("1000.00").contains("100.00"));
    }

    @Test
    void verifyReportsADeletedStateFile() throws Exception {
        Files.delete(openFile("INV-002"));

        assertThat(verifyFaults()).anySatisfy(fault -> assertThat(fault)
                .startsWith("state/open/client1/INV-002.json: ").contains("missing"));
    }

    @Test
    void verifyReportsAStateFileTheLogKnowsNothingOf() throws Exception {
        Path stray = openFile("INV-009");
        Files.copy(openFile("INV-002"), stray);

        assertThat(verifyFaults()).anySatisfy(fault -> assertThat(fault)
                .startsWith("state/open/client1/INV-009.json: ").contains("log"));
    }

    @Test
    void aPaymentIsDecidedAgainstTheBalanceTheLogImpliesNotAResealedFile() throws Exception {
        resealWithHigherBalance(openFile("INV-001"));

        try (CollectionsStore store = Stores.open(data)) {
            // The forged file says 970 is owed; the log says 70, so 100 pays it off and 30 is to refund.
            store.apply(payment("p2", "client1", "INV-001", "100", "USD"));
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
            assertThat(store.unapplied()).singleElement().satisfies(record -> assertThat(record.unapplied())
                    .singleElement().satisfies(held -> assertThat(held.amount().toPlainString()).isEqualTo("30.00")));
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(4);
        }
        assertThat(verifyFaults()).isEmpty();
    }

    @Test
    void aDeletedStateFileNeitherLetsTheInvoiceBeIssuedAgainNorBricksTheNextStart() throws Exception {
        Files.delete(openFile("INV-002"));

        try (CollectionsStore store = Stores.open(data)) {
            assertThatThrownBy(() -> store.apply(issued("i2b", "client1", "INV-002", "75", "USD")))
                    .isInstanceOf(RejectedMessageException.class).hasMessageContaining("exists already");
            store.apply(payment("p2", "client1", "INV-002", "50", "USD"));
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(new InvoiceKey("client1", "INV-002")).orElseThrow().status())
                    .isEqualTo(InvoiceStatus.PAID);
        }
        assertThat(data.resolve("state/archive/client1/INV-002.json")).exists();
        assertThat(verifyFaults()).isEmpty();
    }

    @Test
    void theAuditAfterStartRewritesEveryStateFileThatDiffersFromTheLogAndReportsEach() throws Exception {
        resealWithHigherBalance(openFile("INV-001"));
        Files.delete(openFile("INV-002"));
        Files.copy(openFile("INV-001"), openFile("INV-009"));

        try (CollectionsStore store = Stores.open(data)) {
            StateAudit.Report report = store.auditStateFiles();
            assertThat(report.repairs()).hasSize(3);
            assertThat(report.repairs()).anySatisfy(r -> assertThat(r).startsWith("state/open/client1/INV-001.json: ")
                    .contains("amount"));
            assertThat(report.repairs()).anySatisfy(r -> assertThat(r).startsWith("state/open/client1/INV-002.json: ")
                    .contains("missing"));
            assertThat(report.repairs()).anySatisfy(r -> assertThat(r).startsWith("state/open/client1/INV-009.json: "));
            assertThat(store.auditStateFiles().repairs()).as("a second audit finds nothing").isEmpty();
        }
        assertThat(verifyFaults()).isEmpty();
        assertThat(openFile("INV-009")).doesNotExist();
    }

    @Test
    void aStartAfterACrashRepairsTheStateFilesTheCrashMayHaveTouchedWithANotice() throws Exception {
        resealWithHigherBalance(openFile("INV-001"));
        new Checkpoint(0, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("70.00");
        }
        assertThat(Stores.NOTICES).anySatisfy(n -> assertThat(n).contains("state/open/client1/INV-001.json"));
        assertThat(verifyFaults()).isEmpty();
    }

    /** What a disk that loses written data, or a hand, does to the log after a kill: its last whole lines go. */
    private void cutLogTo(int lines) throws Exception {
        List<String> all = new ArrayList<>(Files.readAllLines(data.resolve("events.log")));
        Files.write(data.resolve("events.log"), all.subList(0, lines));
    }

    @Test
    void aLogThatLostItsLastLinesAfterAKillIsTheTruthForTheIndexAndTheStateFiles() throws Exception {
        cutLogTo(1);
        // A kill leaves the checkpoint where it last was, below the derived files.
        new Checkpoint(1, false).write(new FileSystemStorage(), data.resolve("checkpoint.json"));

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(1);
            // The lost messages come back when resent: applied anew, not called duplicates of lost seqs.
            assertThat(store.apply(payment("p1", "client1", "INV-001", "30", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(store.apply(issued("i2", "client1", "INV-002", "50", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(store.apply(issued("i3", "client1", "INV-003", "10", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(store.apply(issued("i1", "client1", "INV-001", "100", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(4);
        }
        assertThat(verifyFaults()).isEmpty();
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void aLogShorterThanTheCheckpointRefusesTheStartUntilTheOperatorChoosesToGoOnWithout() throws Exception {
        cutLogTo(1);

        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("ends at seq 1 but checkpoint.json says seq 3 was applied")
                .hasMessageContaining("Restore events.log from a backup");
        assertThat(openFile("INV-002")).as("nothing rewritten from what is left").exists();

        // The operator's choice: go on with the log as it is. Every state file is then checked against it.
        Files.delete(data.resolve("checkpoint.json"));
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(1);
            assertThat(store.find(new InvoiceKey("client1", "INV-002"))).isEmpty();
            assertThat(store.auditStateFiles().repairs()).anySatisfy(r -> assertThat(r).contains("INV-002"));
            assertThat(store.apply(issued("i2", "client1", "INV-002", "50", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(verifyFaults()).isEmpty();
    }

    @Test
    void aDeletedLogRefusesTheStartAndLeavesEveryStateFileAsItWas() throws Exception {
        Map<String, byte[]> before = Stores.stateFiles(data);
        Files.move(data.resolve("events.log"), data.resolve("events.log.moved"));
        Files.delete(data.resolve("checkpoint.json"));

        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("events.log is empty or missing, but state files exist");
        assertThat(Stores.stateFiles(data).keySet()).isEqualTo(before.keySet());
    }

    @Test
    void aDamagedCheckpointIsSetAsideAndEveryStateFileCheckedInstead() throws Exception {
        resealWithHigherBalance(openFile("INV-001"));
        Files.writeString(data.resolve("checkpoint.json"), "{not json");

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("70.00");
        }
        assertThat(Stores.NOTICES).anySatisfy(n -> assertThat(n).contains("checkpoint.json").contains("set aside"));
        assertThat(verifyFaults()).isEmpty();
    }

    @Test
    void aFolderOfTheFormerFormatIsMigratedItsIndexRemovedAndRedeliveriesStayDuplicates() throws Exception {
        // A new folder is written in the current format from the start: nothing to migrate.
        assertThat(data.resolve("format.json")).exists();
        assertThat(Stores.NOTICES).noneMatch(n -> n.contains("migrated"));
        // Format 1: no format.json, a file per message under index/, one of them forged for a payment not yet sent.
        Files.delete(data.resolve("format.json"));
        Path legacy = data.resolve("index/messages/ab");
        Files.createDirectories(legacy);
        Files.writeString(legacy.resolve("forged.json"), "{\"message_id\":\"p-future\",\"seq\":2}");
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.apply(payment("p1", "client1", "INV-001", "30", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(store.apply(payment("p-future", "client1", "INV-001", "10", "USD")).outcome())
                    .isEqualTo(Outcome.APPLIED);
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("60.00");
        }
        assertThat(data.resolve("index")).doesNotExist();
        assertThat(data.resolve("format.json")).content().contains("\"format\": 2");
        assertThat(Stores.NOTICES).anySatisfy(n -> assertThat(n).contains("from data format 1 to 2")
                .contains("removed the message index (1 files under index/)"));
        assertThat(verifyFaults()).isEmpty();
    }

    @Test
    void aFolderOfANewerFormatIsRefusedAndLeftAsItWas() throws Exception {
        ObjectNode format = JSON.createObjectNode();
        format.put("format", 3);
        Files.write(data.resolve("format.json"), ChecksummedJson.encode(format));
        byte[] log = Files.readAllBytes(data.resolve("events.log"));
        assertThatThrownBy(() -> Stores.open(data)).isInstanceOf(IOException.class)
                .hasMessageContaining("data format 3, written by a newer release");
        assertThat(Files.readAllBytes(data.resolve("events.log"))).isEqualTo(log);
        assertThat(data.resolve("checkpoint.json")).content().contains("\"clean_shutdown\": true");
    }

    @Test
    void verifyReportsALogRewrittenWithValidHashesOverAnEntryThatCannotApply() throws Exception {
        // Whoever rewrites the log can recompute its chain; what it says must still be possible.
        try (EventLog log = EventLog.open(new FileSystemStorage(), data.resolve("events.log"), e -> { }, (s, l) -> { }, r -> { })) {
            MessageEnvelope envelope = new MessageEnvelope(MessageType.INVOICE_ESCALATED, "e9",
                    new InvoiceKey("client1", "INV-404"), Sha256.hex("e9".getBytes(StandardCharsets.UTF_8)));
            log.write(new EventDraft(Stores.NOW, envelope, new Change.Escalated("no reply")));
        }

        assertThat(verifyFaults()).anySatisfy(fault -> assertThat(fault).startsWith("events.log: ")
                .contains("log entry 4").contains("does not exist"));
        assertThatThrownBy(() -> Stores.open(data)).hasMessageContaining("log entry 4");
    }
}
