package com.novotechno.collections.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.MessageEnvelope;
import com.novotechno.collections.domain.MessageType;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Jcs;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.testing.InterceptingStorage;
import com.novotechno.collections.testing.PowerLossDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    @TempDir
    Path dir;

    private final FileSystemStorage storage = new FileSystemStorage();
    private final List<String> notices = new ArrayList<>();

    private Path logFile() {
        return dir.resolve(EventLog.FILE_NAME);
    }

    private EventLog open() throws IOException {
        return EventLog.open(storage, logFile(), entry -> { }, (seq, line) -> { }, report -> report.repairedTail().ifPresent(notices::add));
    }

    static EventDraft draft(int n) {
        String id = "m-" + n;
        return new EventDraft(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n),
                new MessageEnvelope(MessageType.INVOICE_ESCALATED, id, new InvoiceKey("ACME", "INV-" + n),
                        Sha256.hex(id.getBytes(StandardCharsets.UTF_8))),
                new Change.Escalated("reason " + n));
    }

    private List<LogEntry> writeEntries(int count) throws IOException {
        List<LogEntry> written = new ArrayList<>();
        try (EventLog log = open()) {
            for (int i = 1; i <= count; i++) {
                LogEntry entry = log.write(draft(i));
                log.awaitDurable(entry.seq());
                written.add(entry);
            }
        }
        return written;
    }

    private List<LogEntry> readAll() throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        EventLog.replay(storage, logFile(), 0, entries::add);
        return entries;
    }

    @Test
    void entriesAreChainedFromSixtyFourZeros() throws Exception {
        List<LogEntry> written = writeEntries(3);
        assertThat(written).extracting(LogEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(written.get(0).prev()).isEqualTo(Sha256.ZERO);
        assertThat(written.get(1).prev()).isEqualTo(written.get(0).hash());
        assertThat(written.get(2).prev()).isEqualTo(written.get(1).hash());
        assertThat(readAll()).isEqualTo(written);
        assertThat(Files.readAllLines(logFile())).hasSize(3);
    }

    @Test
    void reopeningContinuesTheChain() throws Exception {
        List<LogEntry> first = writeEntries(2);
        try (EventLog log = open()) {
            assertThat(log.lastSeq()).isEqualTo(2);
            LogEntry third = log.write(draft(3));
            log.awaitDurable(3);
            assertThat(third.prev()).isEqualTo(first.get(1).hash());
        }
        assertThat(EventLog.inspect(storage, logFile()).faults()).isEmpty();
    }

    @Test
    void aTornLastLineIsCutOffAndReported() throws Exception {
        writeEntries(3);
        long intact = Files.size(logFile());
        Files.write(logFile(), "{\"seq\":4,\"client\":\"AC".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        try (EventLog log = open()) {
            assertThat(log.lastSeq()).isEqualTo(3);
        }
        assertThat(Files.size(logFile())).isEqualTo(intact);
        assertThat(notices).singleElement().asString().contains("line 4: incomplete last line").contains("cut at byte " + intact);
        assertThat(dir.resolve("events.log.cut-" + intact)).hasContent("{\"seq\":4,\"client\":\"AC");
    }

    @Test
    void aCompleteLastLineWithABadHashIsCutOffToo() throws Exception {
        writeEntries(3);
        List<String> lines = Files.readAllLines(logFile());
        String damaged = lines.get(2).replace("reason 3", "reason X");
        Files.write(logFile(), List.of(lines.get(0), lines.get(1), damaged));

        try (EventLog log = open()) {
            assertThat(log.lastSeq()).isEqualTo(2);
        }
        assertThat(notices).singleElement().asString().contains("line 3: hash mismatch");
        assertThat(readAll()).hasSize(2);
    }

    @Test
    void aLastLineOfGarbageIsCutOff() throws Exception {
        writeEntries(2);
        Files.write(logFile(), new byte[] {0, 0, 0, '\n'}, StandardOpenOption.APPEND);
        try (EventLog log = open()) {
            assertThat(log.lastSeq()).isEqualTo(2);
        }
        assertThat(notices).singleElement().asString().contains("line 3: not a JSON object");
    }

    @Test
    void aWholeLastEntryWithoutItsNewlineIsKeptAndCompleted() throws Exception {
        List<LogEntry> written = writeEntries(3);
        byte[] bytes = Files.readAllBytes(logFile());
        Files.write(logFile(), Arrays.copyOf(bytes, bytes.length - 1));

        try (EventLog log = open()) {
            assertThat(log.lastSeq()).isEqualTo(3);
        }
        assertThat(Files.readAllBytes(logFile())).isEqualTo(bytes);
        assertThat(readAll()).isEqualTo(written);
        assertThat(notices).singleElement().asString().contains("line 3: last line has no newline").contains("entry kept");
    }

    @Test
    void aDamagedLineBreakIsCorruptionNotATornWrite() throws Exception {
        // Two entries run together look like one bad last line; cutting it would lose an acknowledged entry.
        writeEntries(3);
        byte[] bytes = Files.readAllBytes(logFile());
        int secondBreak = -1;
        for (int i = 0, seen = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && ++seen == 2) {
                secondBreak = i;
                break;
            }
        }
        bytes[secondBreak] = 0x0b;
        Files.write(logFile(), bytes);
        assertThatThrownBy(this::open).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("line 2: an intact entry followed by stray bytes");
    }

    @Test
    void corruptionBeforeTheLastLineRefusesToOpenNamingTheLine() throws Exception {
        writeEntries(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(logFile()));
        lines.set(1, lines.get(1).replace("reason 2", "reason 9"));
        Files.write(logFile(), lines);
        byte[] before = Files.readAllBytes(logFile());

        assertThatThrownBy(this::open)
                .isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("line 2: hash mismatch")
                .hasMessageContaining("damaged in a way no crash causes");
        assertThat(Files.readAllBytes(logFile())).isEqualTo(before);
    }

    @Test
    void aDeletedLineBreaksTheChainAtTheLineAfterIt() throws Exception {
        writeEntries(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(logFile()));
        lines.remove(1);
        Files.write(logFile(), lines);
        assertThat(EventLog.inspect(storage, logFile()).faults()).singleElement().asString()
                .startsWith("events.log:2: seq 3 where 2 was expected");
    }

    @Test
    void aRecomputedHashStillBreaksTheChain() throws Exception {
        // An editor who fixes up the edited line's hash still breaks the next line's prev.
        writeEntries(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(logFile()));
        ObjectNode edited = (ObjectNode) new ObjectMapper().readTree(lines.get(0));
        ((ObjectNode) edited.get("data")).put("reason", "forged");
        edited.remove("hash");
        edited.put("hash", Sha256.ofCanonical(edited));
        lines.set(0, new String(Jcs.canonicalize(edited), StandardCharsets.UTF_8));
        Files.write(logFile(), lines);
        assertThat(EventLog.inspect(storage, logFile()).faults()).singleElement().asString().startsWith("events.log:2: chain broken");
    }

    @Test
    void concurrentWritersGetDistinctChainedSeqs() throws Exception {
        InterceptingStorage slowDisk = new InterceptingStorage();
        slowDisk.forceDelayMillis = 2; // a disk's fsync latency, so writers queue behind each other
        int threads = 8;
        int perThread = 50;
        try (EventLog log = EventLog.open(slowDisk, logFile(), entry -> { }, (seq, line) -> { }, report -> { })) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= perThread; i++) {
                        LogEntry entry = log.write(draft(base + i));
                        log.awaitDurable(entry.seq());
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            pool.shutdown();
        }
        List<LogEntry> entries = readAll();
        assertThat(entries).hasSize(threads * perThread);
        assertThat(entries).extracting(LogEntry::messageId).doesNotHaveDuplicates();
        assertThat(EventLog.inspect(storage, logFile()).faults()).isEmpty();
    }

    @Test
    void writersThatAppendDuringAnFsyncShareTheNextOne() throws Exception {
        InterceptingStorage counting = new InterceptingStorage();
        int writers = 8;
        try (EventLog log = EventLog.open(counting, logFile(), entry -> { }, (seq, line) -> { }, report -> { })) {
            int before = counting.forces.get(); // the open's own fsync
            appendWhileTheFirstFsyncHangs(log, counting, writers);
            // The first fsync covers what was appended before it began (one line, or all of them if the
            // others were quicker); one more covers the rest. Without sharing it would be eight.
            assertThat(counting.forces.get() - before).isBetween(1, 2);
        }
        assertThat(readAll()).hasSize(writers);
    }

    @Test
    void eachGroupCommitTellsItsFsyncAndTheLinesItMadeDurableButNotTheOpensForce() throws Exception {
        InterceptingStorage counting = new InterceptingStorage();
        int writers = 8;
        AtomicInteger syncs = new AtomicInteger();
        AtomicLong lines = new AtomicLong();
        try (EventLog log = EventLog.open(counting, logFile(), entry -> { }, (seq, line) -> { }, report -> { })) {
            log.observeSyncs((nanos, covered) -> {
                assertThat(nanos).isNotNegative();
                syncs.incrementAndGet();
                lines.addAndGet(covered);
            });
            int before = counting.forces.get();
            log.awaitDurable(log.write(draft(100)).seq());
            assertThat(syncs.get()).isEqualTo(1);
            assertThat(lines.get()).isEqualTo(1);

            appendWhileTheFirstFsyncHangs(log, counting, writers);
            assertThat(syncs.get()).isEqualTo(counting.forces.get() - before).isLessThan(1 + writers);
            assertThat(lines.get()).isEqualTo(1 + writers);
        }
    }

    @Test
    void aSyncListenerThatFailsNeverFailsTheCommitOfLinesAlreadyDurable() throws Exception {
        try (EventLog log = EventLog.open(new InterceptingStorage(), logFile(), entry -> { }, (seq, line) -> { }, report -> { })) {
            log.observeSyncs((nanos, covered) -> {
                throw new IllegalStateException("a metrics registry that failed");
            });
            long seq = log.write(draft(100)).seq();
            log.awaitDurable(seq);
            // The line is durable and the log goes on: the next one commits as well.
            log.awaitDurable(log.write(draft(101)).seq());
        }
        assertThat(readAll()).hasSize(2);
    }

    /** {@code writers} threads append one line each and await it; the first fsync hangs until all have appended. */
    private static void appendWhileTheFirstFsyncHangs(EventLog log, InterceptingStorage counting, int writers)
            throws Exception {
        long start = log.lastSeq();
        counting.forceGate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 1; w <= writers; w++) {
            int id = w;
            futures.add(pool.submit(() -> {
                log.awaitDurable(log.write(draft(id)).seq());
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log.lastSeq() == start + writers);
        counting.forceGate.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    @Test
    void groupCommitNeverAcknowledgesALineItsFsyncDidNotCover() throws Exception {
        // Writers keep appending while an fsync is under way; the power then goes at a random
        // moment. Every line whose awaitDurable returned must be in what the disk kept.
        for (int round = 0; round < 20; round++) {
            PowerLossDisk disk = new PowerLossDisk(round);
            disk.fsyncLatencyMillis(1);
            Path file = Path.of("/log-" + round);
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            EventLog log = EventLog.open(disk.mount(), file, entry -> { }, (seq, line) -> { }, report -> { });
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int base = t * 1000;
                writers.add(pool.submit(() -> {
                    for (int i = 1; ; i++) {
                        LogEntry entry = log.write(draft(base + i));
                        log.awaitDurable(entry.seq());
                        acknowledged.add(entry.seq());
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 10 + 5 * round && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            disk.cutPower();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            for (Future<?> writer : writers) {
                // Each writer ends when the power goes, and for no other reason.
                assertThatThrownBy(writer::get).cause().isInstanceOf(PowerLossDisk.PowerLoss.class);
            }

            List<LogEntry> kept = new ArrayList<>();
            try (EventLog reopened = EventLog.open(disk.mount(), file, kept::add, (seq, line) -> { }, report -> { })) {
                assertThat(reopened.lastSeq()).isEqualTo(kept.size());
                assertThat(acknowledged).as("round %d", round).isNotEmpty();
                assertThat(kept).extracting(LogEntry::seq).as("round %d", round).containsAll(acknowledged);
            }
        }
    }

    @Test
    void anEmptyOrMissingLogOpensAtSeqZero() throws Exception {
        try (EventLog log = open()) {
            assertThat(log.lastSeq()).isZero();
        }
        assertThat(logFile()).exists();
        assertThat(notices).isEmpty();
        assertThat(readAll()).isEmpty();
    }
}
