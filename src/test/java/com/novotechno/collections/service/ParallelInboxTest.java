package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.state.InvoiceStatus;
import com.novotechno.collections.testing.InterceptingStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The file route with several lanes (collections.inbox.consumers): invoices in parallel, each invoice in order. */
class ParallelInboxTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void manyInvoicesDroppedTogetherAreEachAppliedInOrderAndAllEndUpPaid() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        running = RunningService.start(data, storage, Map.of(Settings.INBOX_CONSUMERS, "4"));
        int invoices = 40;
        // Each invoice's issue and its two payments side by side.
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < invoices; i++) {
            String invoice = "INV-" + i;
            String client = "C" + (i % 3);
            messages.add(Messages.issued(invoice + "-i", client, invoice, "100.00", "USD"));
            messages.add(Messages.payment(invoice + "-p1", client, invoice, "40.00", "USD"));
            messages.add(Messages.payment(invoice + "-p2", client, invoice, "60.00", "USD"));
        }
        List<String> names = dropTogetherInOrder(messages);

        await().atMost(WAIT).until(() -> names(running.layout.processed()).size() == names.size());
        assertThat(names(running.layout.processed())).containsExactlyInAnyOrderElementsOf(names);
        assertThat(running.layout.inbox()).isEmptyDirectory();
        assertThat(running.layout.rejected()).isEmptyDirectory();
        for (int i = 0; i < invoices; i++) {
            assertThat(running.service.store().find(new InvoiceKey("C" + (i % 3), "INV-" + i)))
                    .hasValueSatisfying(state -> assertThat(state.status()).isEqualTo(InvoiceStatus.PAID));
        }
        // Never a payment before its invoice: nothing was ever held as unapplied.
        assertThat(running.service.store().unapplied()).isEmpty();
        List<String> log = Files.readAllLines(running.layout.eventLog());
        assertThat(log).hasSize(names.size());
        for (int i = 0; i < invoices; i++) {
            String invoice = "INV-" + i;
            assertThat(lineOf(log, invoice + "-i")).isLessThan(lineOf(log, invoice + "-p1"));
            assertThat(lineOf(log, invoice + "-p1")).isLessThan(lineOf(log, invoice + "-p2"));
        }
    }

    @Test
    void aMessageForAWholeClientWaitsForTheFilesBeforeItAndHoldsThoseAfterIt() throws Exception {
        running = RunningService.start(data, new InterceptingStorage(), Map.of(Settings.INBOX_CONSUMERS, "4"));
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            messages.add(Messages.issued("before-" + i, "C", "INV-" + i, "10.00", "USD"));
        }
        // One client, every invoice: no lane of its own.
        messages.add(Messages.json("{\"type\":\"dunning.paused\",\"message_id\":\"pause-C\",\"client\":\"C\","
                + "\"reason\":\"in administration\"}"));
        messages.add("{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // no invoice to read: any lane
        for (int i = 6; i < 12; i++) {
            messages.add(Messages.issued("after-" + i, "C", "INV-" + i, "10.00", "USD"));
        }
        List<String> names = dropTogetherInOrder(messages);

        await().atMost(WAIT).until(() -> names(running.layout.processed()).size() == names.size() - 1);
        assertThat(names(running.layout.rejected())).contains("f0007.json"); // and its .error.json
        List<String> log = Files.readAllLines(running.layout.eventLog());
        int pause = lineOf(log, "pause-C");
        for (int i = 0; i < 6; i++) {
            assertThat(lineOf(log, "before-" + i)).as("before-%d", i).isBetween(0, pause - 1);
        }
        for (int i = 6; i < 12; i++) {
            assertThat(lineOf(log, "after-" + i)).as("after-%d", i).isGreaterThan(pause);
        }
    }

    @Test
    void filesOfDifferentInvoicesAreAppliedAtOnceAndShareTheLogsFsync() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        running = RunningService.start(data, storage, Map.of(Settings.INBOX_CONSUMERS, "4"));
        CountDownLatch gate = new CountDownLatch(1);
        storage.forceGate = gate;
        int invoices = 8;
        for (int i = 0; i < invoices; i++) {
            running.drop("i" + i + ".json", Messages.issued("i" + i, "ACME", "INV-" + i, "10.00", "USD"));
        }

        // The first file's fsync is held: a second lane's event written behind it can only come from another thread.
        await().atMost(WAIT).until(() -> Files.readAllLines(running.layout.eventLog()).size() >= 2);
        assertThat(running.layout.processed()).isEmptyDirectory();
        gate.countDown();

        await().atMost(WAIT).until(() -> names(running.layout.processed()).size() == invoices);
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(invoices);
        assertThat(storage.forces.get()).isLessThan(invoices);
    }

    @Test
    void aStopWaitsForTheFilesTakenAndLeavesNoneHalfWay() throws Exception {
        InterceptingStorage storage = new InterceptingStorage();
        running = RunningService.start(data, storage, Map.of(Settings.INBOX_CONSUMERS, "4"));
        storage.forceDelayMillis = 20;
        int invoices = 30;
        for (int i = 0; i < invoices; i++) {
            running.drop("i" + i + ".json", Messages.issued("i" + i, "ACME", "INV-" + i, "10.00", "USD"));
        }
        await().atMost(WAIT).until(() -> Files.size(running.layout.eventLog()) > 0);
        running.close();

        // Every file either applied and in processed/, or untouched in the inbox: never both, never neither.
        List<String> applied = names(running.layout.processed());
        List<String> waiting = names(running.layout.inbox());
        assertThat(applied).isNotEmpty();
        assertThat(applied.size() + waiting.size()).isEqualTo(invoices);
        assertThat(applied).doesNotContainAnyElementsOf(waiting);
        List<String> log = Files.readAllLines(running.layout.eventLog());
        assertThat(log).hasSize(applied.size());
        for (String name : applied) {
            assertThat(lineOf(log, name.replace(".json", ""))).isNotNegative();
        }

        running = RunningService.start(data);
        await().atMost(WAIT).until(() -> names(running.layout.processed()).size() == invoices);
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(invoices);
    }

    /**
     * Drops the messages as f0000.json, f0001.json, ... in the order the inbox reads them (modified,
     * then name), all older than the read lock's minimum age, and renamed into place together, so the
     * consumer takes all of them in one poll.
     */
    private List<String> dropTogetherInOrder(List<byte[]> messages) throws IOException {
        List<String> names = new ArrayList<>();
        long oldest = System.currentTimeMillis() - 3_600_000;
        for (byte[] message : messages) {
            String name = String.format("f%04d.json", names.size());
            Path file = running.layout.inbox().resolve("." + name);
            Files.write(file, message);
            Files.setLastModifiedTime(file, FileTime.fromMillis(oldest + names.size()));
            names.add(name);
        }
        for (String name : names) {
            Files.move(running.layout.inbox().resolve("." + name), running.layout.inbox().resolve(name));
        }
        return names;
    }

    private static int lineOf(List<String> log, String messageId) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains("\"" + messageId + "\"")) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
