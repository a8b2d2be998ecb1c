package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult.Outcome;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import}'s batches: the same checks, outcomes and files as one message at a time, with one fsync a batch. */
class BatchApplyTest {

    @TempDir
    Path temp;

    @Test
    void aBatchDecidesEachMessageAgainstWhatItsPredecessorsInTheBatchLeft() throws Exception {
        List<byte[]> batch = List.of(
                issued("i1", "client1", "INV-001", "100", "USD"),
                payment("p1", "client1", "INV-001", "40", "USD"),
                payment("p2", "client1", "INV-001", "60", "USD"),       // pays it off: archived
                payment("p1", "client1", "INV-001", "40", "USD"),       // the same message again: a duplicate
                payment("p1", "client1", "INV-001", "41", "USD"),       // its id with other content: rejected
                "{not json".getBytes(StandardCharsets.UTF_8),            // malformed: rejected, the rest goes on
                payment("p3", "client1", "INV-002", "10", "USD"),       // before its invoice: held
                issued("i2", "client1", "INV-002", "50", "USD"));       // takes the held payment
        Path data = temp.resolve("batched");
        List<CollectionsStore.BatchOutcome> outcomes;
        try (CollectionsStore store = Stores.open(data)) {
            outcomes = store.applyBatch(batch);
            assertThat(store.find(new com.novotechno.collections.domain.InvoiceKey("client1", "INV-002")).orElseThrow()
                    .balance().toPlainString()).isEqualTo("40.00");
        }
        assertThat(outcomes).extracting(o -> o.result() == null ? "rejected" : o.result().outcome().name())
                .containsExactly("APPLIED", "APPLIED", "APPLIED", "DUPLICATE", "rejected", "rejected", "APPLIED", "APPLIED");
        assertThat(outcomes.get(4).rejection().getMessage()).contains("message_id was used before (log seq 2");
        assertThat(data.resolve("state/archive/client1/INV-001.json")).exists();
        assertThat(data.resolve("state/open/client1/INV-001.json")).doesNotExist();
        assertThat(new StoreVerifier(new com.novotechno.collections.storage.FileSystemStorage(),
                new com.novotechno.collections.storage.DataLayout(data)).verify().faults()).isEmpty();
    }

    @Test
    void batchesOfAnySizeLeaveTheLogAndEveryFileByteForByteAsOneByOneDoes() throws Exception {
        for (long seed = 1; seed <= 8; seed++) {
            List<byte[]> stream = new ArrayList<>();
            CrashStream.plan(seed, 20).forEach(plan -> stream.addAll(plan.messages()));
            Random random = new Random(seed);
            // Redeliveries, and messages no invoice accepts, mixed in.
            for (int i = 0; i < 10; i++) {
                stream.add(random.nextInt(stream.size()), stream.get(random.nextInt(stream.size())));
            }
            stream.add(random.nextInt(stream.size()), payment("late-" + seed, "nobody", "INV-9", "5", "USD"));
            stream.add(random.nextInt(stream.size()), Messages.voided("v-" + seed, "client0", "INV-NONE"));

            Path oneByOne = temp.resolve("one-" + seed);
            List<String> expected = new ArrayList<>();
            try (CollectionsStore store = Stores.open(oneByOne)) {
                for (byte[] message : stream) {
                    try {
                        expected.add(store.apply(message).outcome().name());
                    } catch (RejectedMessageException e) {
                        expected.add("rejected: " + e.getMessage());
                    }
                }
            }
            Path batched = temp.resolve("batched-" + seed);
            List<String> actual = new ArrayList<>();
            try (CollectionsStore store = Stores.open(batched)) {
                for (int from = 0; from < stream.size(); ) {
                    int to = Math.min(stream.size(), from + 1 + random.nextInt(40));
                    for (CollectionsStore.BatchOutcome outcome : store.applyBatch(stream.subList(from, to))) {
                        actual.add(outcome.result() != null ? outcome.result().outcome().name()
                                : "rejected: " + outcome.rejection().getMessage());
                    }
                    from = to;
                }
            }
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
            assertThat(withoutSeals(batched)).as("seed %d", seed).isEqualTo(withoutSeals(oneByOne));
            assertThat(Stores.stateFiles(batched)).as("seed %d", seed).containsOnlyKeys(Stores.stateFiles(oneByOne).keySet());
            assertThat(Stores.stateFileTexts(new com.novotechno.collections.storage.FileSystemStorage(), batched))
                    .as("seed %d", seed).isEqualTo(Stores.stateFileTexts(new com.novotechno.collections.storage.FileSystemStorage(), oneByOne));
            assertThat(Files.readString(batched.resolve("ledger.qmd"))).as("seed %d", seed)
                    .isEqualTo(Files.readString(oneByOne.resolve("ledger.qmd")));
        }
    }

    /** The log's lines but for what differs by design: each folder seals with its own keys and fresh nonces. */
    private static String withoutSeals(Path data) throws java.io.IOException {
        return Files.readString(data.resolve("events.log")).replaceAll("sealed:[^\"]*", "sealed")
                .replaceAll("\"(hash|prev)\":\"[0-9a-f]*\"", "\"$1\"");
    }

    @Test
    void anErasureInABatchComesAfterEverythingBeforeItIsDurableAndAppliesAlone() throws Exception {
        Path data = temp.resolve("erasure");
        try (CollectionsStore store = Stores.open(data)) {
            List<CollectionsStore.BatchOutcome> outcomes = store.applyBatch(List.of(
                    issued("i1", "client1", "INV-001", "100", "USD"),
                    Messages.erased("x1", "client1"),
                    issued("i2", "client1", "INV-002", "100", "USD")));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.result().outcome()).isEqualTo(Outcome.APPLIED));
            assertThat(outcomes).extracting(o -> o.result().seq()).containsExactly(1L, 2L, 3L);
        }
        assertThat(Files.readAllLines(data.resolve("events.log"))).hasSize(3);
    }
}
