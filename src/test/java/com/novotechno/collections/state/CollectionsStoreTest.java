package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.json;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.reminder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.cli.CollectionsCommand;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult.Outcome;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Jcs;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.testing.JavaProcess;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionsStoreTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("client1", "INV-001");

    @TempDir
    Path data;

    private Path open(InvoiceKey key) {
        return DataFolders.openStateFile(data, key);
    }

    private Path archive(InvoiceKey key) {
        return DataFolders.archivedStateFile(data, key);
    }

    private static void assertRejected(CollectionsStore store, byte[] message, String reason) {
        assertThatThrownBy(() -> store.apply(message))
                .isInstanceOf(RejectedMessageException.class)
                .satisfies(e -> assertThat(((RejectedMessageException) e).reason()).isEqualTo(reason));
    }

    // The five cases of the original task, in Java.

    @Test
    void anIssuedInvoiceGetsItsStateFile() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "1000", "USD"));
        }
        assertThat(open(INV_1)).exists();
    }

    @Test
    void theStoredChecksumVerifiesAfterTheWrite() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "1000", "USD"));
            assertThat(store.find(INV_1)).get().extracting(s -> s.amount().toPlainString()).isEqualTo("1000.00");
        }
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(open(INV_1).toFile());
        String stored = json.remove("_checksum").textValue();
        assertThat(stored).isEqualTo(Sha256.hex(Jcs.canonicalize(json))).hasSize(64);
    }

    @Test
    void aCorruptedStateFileIsNeitherReadNorFatalAndTheAuditRewritesIt() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "1000", "USD"));
            store.checkpointNow();
            Files.writeString(open(INV_1), "{\"amount\": \"2000.00\", \"_checksum\": \"" + "f".repeat(64) + "\"}");
            assertThat(store.find(INV_1).orElseThrow().amount().toPlainString()).isEqualTo("1000.00");
            assertThat(store.auditStateFiles().repairs()).singleElement().asString()
                    .contains("INV-001.json").contains("checksum mismatch");
            assertThat(store.auditStateFiles().repairs()).isEmpty();
        }
    }

    @Test
    void aFullPaymentMovesTheInvoiceToTheArchive() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "1000", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "1000", "USD"));
            InvoiceState paid = store.find(INV_1).orElseThrow();
            assertThat(paid.status()).isEqualTo(InvoiceStatus.PAID);
            assertThat(paid.statusSince()).isEqualTo(Stores.NOW);
            assertThat(paid.payments()).singleElement().extracting(p -> p.reference().orElseThrow()).isEqualTo("REF-p1");
        }
        assertThat(archive(INV_1)).exists();
        assertThat(open(INV_1)).doesNotExist();
        assertThat(Files.readString(archive(INV_1))).contains("\"status\": \"paid\"").contains("\"balance\": \"0.00\"");
    }

    @Test
    void everyAcceptedChangeIsAppendedToTheLogInOrder() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "1000", "USD"));
            store.apply(issued("i2", "client1", "INV-002", "2000", "USD"));
        }
        List<String> lines = Files.readAllLines(data.resolve("events.log"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"invoice_number\":\"INV-001\"").contains("\"seq\":1");
        assertThat(lines.get(1)).contains("\"invoice_number\":\"INV-002\"").contains("\"seq\":2");
    }

    // The rules of CONTRACT section 1 that need state.

    @Test
    void partialPaymentsLowerTheBalanceUntilItReachesZero() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100.00", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "30.10", "USD"));
            store.apply(payment("p2", "client1", "INV-001", "0.20", "USD"));
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("69.70");
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.UNPAID);
            store.apply(payment("p3", "client1", "INV-001", "69.70", "USD"));
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
        }
    }

    @Test
    void aDuplicateIsAcceptedWithNoEffectEvenAfterARestart() throws Exception {
        byte[] message = issued("i1", "client1", "INV-001", "1000", "USD");
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.apply(message).outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(store.apply(message)).isEqualTo(new ApplyResult(Outcome.DUPLICATE, "i1", 1));
        }
        byte[] log = Files.readAllBytes(data.resolve("events.log"));
        byte[] state = Files.readAllBytes(open(INV_1));
        try (CollectionsStore store = Stores.open(data)) {
            // Same content, other layout: still the same message.
            byte[] reordered = json("{\"due_on\":\"2026-02-09\",\"issued_on\":\"2026-01-10\",\"currency\":\"USD\",\"amount\":1000,"
                    + "\"invoice_number\":\"INV-001\",\"client\":\"client1\",\"message_id\":\"i1\",\"type\":\"invoice.issued\"}");
            assertThat(store.apply(reordered).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(Files.readAllBytes(data.resolve("events.log"))).isEqualTo(log);
        assertThat(Files.readAllBytes(open(INV_1))).isEqualTo(state);
    }

    @Test
    void aDuplicateOfAMessageToAPaidInvoiceIsStillAccepted() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "10", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "10", "USD"));
            assertThat(store.apply(payment("p1", "client1", "INV-001", "10", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(store.apply(issued("i1", "client1", "INV-001", "10", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
    }

    @Test
    void theSameMessageIdWithOtherContentIsRejected() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "1000", "USD"));
            assertRejected(store, issued("i1", "client1", "INV-001", "1001", "USD"),
                    "message_id was used before (log seq 1, invoice client1/INV-001) for different content");
            // Even for another invoice: the id is the idempotency key, globally.
            assertRejected(store, issued("i1", "client2", "INV-001", "1000", "USD"),
                    "message_id was used before (log seq 1, invoice client1/INV-001) for different content");
        }
    }

    @Test
    void stateDependentRulesRejectWithTheirReasons() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            assertRejected(store, issued("i2", "client1", "INV-001", "100", "USD"),
                    "invoice client1/INV-001 exists already (status unpaid)");
            assertRejected(store, payment("p1", "client1", "INV-001", "1", "EUR"),
                    "currency: EUR differs from the invoice's USD");
            assertRejected(store, escalated("e0", "client1", "INV-404", "x"), "invoice client1/INV-404 does not exist");
            assertRejected(store, reminder("r0", "client1", "INV-404", "reminder"), "invoice client1/INV-404 does not exist");
            store.apply(escalated("e1", "client1", "INV-001", "no reply"));
            assertRejected(store, escalated("e2", "client1", "INV-001", "again"), "invoice client1/INV-001 is escalated already");
            store.apply(payment("p3", "client1", "INV-001", "100", "USD"));
            assertRejected(store, escalated("e3", "client1", "INV-001", "too late"),
                    "invoice client1/INV-001 is paid and archived; it takes no further messages");
            // The emailer's feedback is recorded even on a paid invoice (CONTRACT section 1), in its archived file.
            store.apply(reminder("r1", "client1", "INV-001", "reminder"));
            assertThat(store.find(INV_1).orElseThrow().reminders()).hasSize(1);
            assertRejected(store, issued("i3", "client1", "INV-001", "100", "USD"),
                    "invoice client1/INV-001 exists already (status paid)");
        }
    }

    @Test
    void aRejectedMessageLeavesStateAndLogUntouched() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.checkpointNow();
            byte[] log = Files.readAllBytes(data.resolve("events.log"));
            byte[] state = Files.readAllBytes(open(INV_1));
            assertThatThrownBy(() -> store.apply(payment("p1", "client1", "INV-001", "50", "EUR")))
                    .isInstanceOf(RejectedMessageException.class);
            assertThatThrownBy(() -> store.apply(json("{not json")))
                    .isInstanceOf(RejectedMessageException.class);
            assertThat(Files.readAllBytes(data.resolve("events.log"))).isEqualTo(log);
            assertThat(Files.readAllBytes(open(INV_1))).isEqualTo(state);
            // The rejected id is still free: the corrected message goes through.
            assertThat(store.apply(payment("p1", "client1", "INV-001", "50", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
        }
    }

    @Test
    void defaultsAreResolvedOnceAndRecordedInTheLog() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(json("{\"type\":\"invoice.issued\",\"message_id\":\"d1\",\"client\":\"c\",\"invoice_number\":\"1\",\"amount\":\"5\"}"));
            InvoiceState state = store.find(new InvoiceKey("c", "1")).orElseThrow();
            assertThat(state.amount().currency().getCurrencyCode()).isEqualTo("USD");
            assertThat(state.issuedOn()).isEqualTo(LocalDate.of(2026, 3, 15));
            assertThat(state.dueOn()).isEqualTo(LocalDate.of(2026, 4, 14));
        }
        assertThat(Files.readString(data.resolve("events.log")))
                .contains("\"issued_on\":\"2026-03-15\"").contains("\"due_on\":\"2026-04-14\"").contains("\"currency\":\"USD\"");
    }

    @Test
    void anOverdueInvoiceWithOnlyItsDueDateCountsAsIssuedByThen() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(json("{\"type\":\"invoice.issued\",\"message_id\":\"d1\",\"client\":\"c\",\"invoice_number\":\"1\","
                    + "\"amount\":\"5\",\"due_on\":\"2026-01-31\"}"));
            InvoiceState state = store.find(new InvoiceKey("c", "1")).orElseThrow();
            assertThat(state.issuedOn()).isEqualTo(LocalDate.of(2026, 1, 31));
            assertThat(state.dueOn()).isEqualTo(LocalDate.of(2026, 1, 31));
            assertRejected(store, json("{\"type\":\"invoice.issued\",\"message_id\":\"d2\",\"client\":\"c\","
                    + "\"invoice_number\":\"2\",\"amount\":\"5\",\"issued_on\":\"9999-12-31\"}"),
                    "issued_on: 9999-12-31 plus the terms is beyond 9999-12-31");
        }
    }

    @Test
    void escalationAndRemindersAreRecorded() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(reminder("r1", "client1", "INV-001", "reminder"));
            store.apply(escalated("e1", "client1", "INV-001", "no reply"));
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.status()).isEqualTo(InvoiceStatus.ESCALATED);
            assertThat(state.escalationReason()).contains("no reply");
            assertThat(state.reminders()).singleElement().extracting(InvoiceState.Reminder::level).isEqualTo("reminder");
            assertThat(state.lastSeq()).isEqualTo(3);
        }
    }

    @Test
    void aSecondOpenOfTheSameFolderIsRefusedNamingTheHolder() throws Exception {
        Path message = data.resolveSibling("m.json");
        Files.write(message, issued("i1", "client1", "INV-001", "1", "USD"));
        try (CollectionsStore store = Stores.open(data)) {
            assertThatThrownBy(() -> Stores.open(data))
                    .isInstanceOf(DataDirLock.DataDirLockedException.class)
                    .hasMessageContaining("is in use by this process (pid " + ProcessHandle.current().pid() + ")");
            // Refusing within this JVM must not have dropped the OS lock another process sees.
            Process other = JavaProcess.builder(CollectionsCommand.class, "import", "--data-dir", data.toString(),
                    message.toString()).redirectErrorStream(true).start();
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.waitFor()).isEqualTo(1);
            assertThat(output).contains("is in use by pid " + ProcessHandle.current().pid() + " on ");
            assertThat(store.find(new InvoiceKey("client1", "INV-001"))).isEmpty();
        }
        try (CollectionsStore reopened = Stores.open(data)) {
            assertThat(reopened.lastSeq()).isZero();
        }
    }

    @Test
    void deletingTheLockFileLetsNoSecondWriterInAndStopsTheFirstAtItsNextAppend() throws Exception {
        Path message = data.resolveSibling("m.json");
        Files.write(message, issued("i2", "client1", "INV-002", "2", "USD"));
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "1", "USD"));
            // A duplicate is confirmed against the log, which must not open the log anew: closing that
            // descriptor would drop this process's lock on it, and let the second writer in.
            assertThat(store.apply(issued("i1", "client1", "INV-001", "1", "USD")).outcome())
                    .isEqualTo(ApplyResult.Outcome.DUPLICATE);
            Files.delete(data.resolve(DataDirLock.FILE_NAME));

            Process other = JavaProcess.builder(CollectionsCommand.class, "import", "--data-dir", data.toString(),
                    message.toString()).redirectErrorStream(true).start();
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("is in use by another process", "events.log");

            assertThatThrownBy(() -> store.apply(issued("i3", "client1", "INV-003", "3", "USD")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(DataDirLock.FILE_NAME)
                    .hasMessageContaining("no longer holds");
            assertThat(store.failed()).isTrue();
        }
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
        try (CollectionsStore reopened = Stores.open(data)) {
            assertThat(reopened.find(new InvoiceKey("client1", "INV-002"))).isEmpty();
            assertThat(reopened.find(new InvoiceKey("client1", "INV-001"))).isPresent();
        }
    }
}
