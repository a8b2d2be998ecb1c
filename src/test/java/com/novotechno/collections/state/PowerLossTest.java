package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import com.novotechno.collections.testing.PowerLossDisk;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cuts the power at random disk operations, on a disk that then forgets every unsynced byte and
 * a random part of the unsynced namespace changes. A kill -9 leaves the page cache intact; this
 * is the harder case, and it checks every fsync the core relies on: whatever was acknowledged
 * before the power went is there after it, and everything adds up at the end.
 */
class PowerLossTest {

    /** 40 in the regular suite (and half as many with four writers); the long run: -Dcollections.powerloss.seeds=1280. */
    private static final int SEEDS = Integer.getInteger("collections.powerloss.seeds", 40);
    /** One seed alone, as a failure names it: -Dcollections.powerloss.seed=S with -Dtest='PowerLossTest#method'. */
    private static final Long REPLAY = Long.getLong("collections.powerloss.seed");
    private static final int POWER_LOSSES_PER_SEED = 8;
    private static final int INVOICES = 12;
    /** Roughly the disk operations of one pass over the stream, so power losses land anywhere in it. */
    private static final int MAX_OPERATIONS_BEFORE_LOSS = 700;
    /**
     * Checkpoints from every few milliseconds (power losses land in them: during the sync of the state
     * files, or before the checkpoint file is replaced) to none before the clean stop (losses land
     * between acknowledgements and the checkpoint that would have made their state files durable).
     */
    private static final List<Duration> CHECKPOINT_PERIODS = List.of(Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMinutes(1));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void everythingAcknowledgedSurvivesPowerLossAndAllAddsUp() throws Exception {
        runSeeds("everythingAcknowledgedSurvivesPowerLossAndAllAddsUp", 1, SEEDS, 1);
    }

    @Test
    void concurrentWritersSharingFsyncsLoseNothingAcknowledged() throws Exception {
        // Group commit: an acknowledgement must never ride on an fsync that did not cover its line.
        runSeeds("concurrentWritersSharingFsyncsLoseNothingAcknowledged", 1001, SEEDS / 2, 4);
    }

    /** Where the power went, by the operation it cut: a snapshot's write, a checkpoint, a start, or the rest. */
    enum Cut {
        SNAPSHOT, CHECKPOINT, START, OTHER;

        static Cut of(PowerLossDisk.PowerLoss loss) {
            List<String> frames = Arrays.stream(loss.getStackTrace())
                    .map(frame -> frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1) + "."
                            + frame.getMethodName()).toList();
            if (frames.contains("CollectionsStore.publishSnapshot")) {
                return SNAPSHOT;
            }
            if (frames.contains("CollectionsStore.checkpoint") || frames.contains("CollectionsStore.writeChangedNow")
                    || frames.contains("Checkpoint.write")) {
                return CHECKPOINT;
            }
            return frames.contains("CollectionsStore.open") ? START : OTHER;
        }
    }

    /**
     * Runs each seed's scenario (or the one to replay), going on past a failing seed so that a long run
     * names every one, each with the command that replays it; prints how many cut points hit, and where.
     */
    private void runSeeds(String method, long firstSeed, int seeds, int threads) throws Exception {
        List<Long> run = REPLAY != null ? List.of(REPLAY) : LongStream.range(firstSeed, firstSeed + seeds).boxed().toList();
        Map<Cut, Integer> cuts = new EnumMap<>(Cut.class);
        Map<Long, String> failed = new TreeMap<>();
        for (long seed : run) {
            try {
                runScenario(seed, threads).forEach(loss -> cuts.merge(Cut.of(loss), 1, Integer::sum));
            } catch (Exception | AssertionError | PowerLossDisk.PowerLoss failure) {
                if (REPLAY != null) {
                    throw failure; // the replay shows the whole failure, its stack with it
                }
                String replay = "mvn -B test -Dtest='PowerLossTest#" + method + "' -Dcollections.powerloss.seed=" + seed;
                failed.put(seed, failure + "\n  replay: " + replay);
                System.out.printf("power loss seed %d failed: %s%n  replay: %s%n", seed, failure, replay);
            }
        }
        int total = cuts.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("power losses: %,d over %,d seeds (%d %s), %d failed; cut in a snapshot's write %,d, a checkpoint %,d,"
                        + " a start %,d, elsewhere %,d%n", total, run.size(), threads, threads == 1 ? "writer" : "writers",
                failed.size(), cuts.getOrDefault(Cut.SNAPSHOT, 0), cuts.getOrDefault(Cut.CHECKPOINT, 0),
                cuts.getOrDefault(Cut.START, 0), cuts.getOrDefault(Cut.OTHER, 0));
        assertThat(failed).as("failing seeds").withFailMessage("%d of %d seeds failed:%n%s", failed.size(), run.size(),
                failed.entrySet().stream().map(e -> "seed " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")))
                .isEmpty();
        assertThat(total).as("power losses that hit").isGreaterThan(run.size() * POWER_LOSSES_PER_SEED / 2);
        if (REPLAY == null) {
            assertThat(cuts).as("cut points in snapshots' writes and in checkpoints").containsKeys(Cut.SNAPSHOT, Cut.CHECKPOINT);
        }
    }

    /** One seed's scenario; returns the power losses that hit. */
    private List<PowerLossDisk.PowerLoss> runScenario(long seed, int threads) throws Exception {
        PowerLossDisk disk = new PowerLossDisk(seed);
        Random random = new Random(seed);
        Path data = temp.resolve("data-" + seed);
        Files.createDirectories(data); // the real folder holds only the lock file: the data lives on the simulated disk
        List<CrashStream.InvoicePlan> plans = CrashStream.plan(seed, INVOICES);
        List<List<byte[]>> shares = shares(plans, threads);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        for (int attempt = 0; attempt < POWER_LOSSES_PER_SEED; attempt++) {
            // Early power losses land in a first pass; short ones also in the later, duplicate-only passes.
            disk.powerFailsAfter(1 + random.nextInt(MAX_OPERATIONS_BEFORE_LOSS >> random.nextInt(4)));
            CollectionsStore store = null;
            try {
                StoreSettings settings = Stores.SETTINGS.withCheckpointPeriod(
                        CHECKPOINT_PERIODS.get(random.nextInt(CHECKPOINT_PERIODS.size())));
                store = CollectionsStore.open(disk.mount(), data, settings, notice -> { });
                applyAll(store, shares, acknowledged);
                store.close();
            } catch (PowerLossDisk.PowerLoss lost) {
                closeDeadStore(store);
            }
            disk.powerFailsAfter(Long.MAX_VALUE);
            assertAcknowledgedAreLogged(disk.mount(), data, acknowledged, seed);
        }

        disk.powerFailsAfter(Long.MAX_VALUE);
        try (CollectionsStore store = CollectionsStore.open(disk.mount(), data, Stores.SETTINGS, notice -> { })) {
            applyAll(store, shares, acknowledged);
        }
        assertFinalState(disk.mount(), data, plans, seed);
        return disk.cuts();
    }

    /** Applies each share on its own thread; a power loss on any thread ends them all, as it ends the process. */
    private static void applyAll(CollectionsStore store, List<List<byte[]>> shares, Set<String> acknowledged)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(shares.size());
        try {
            List<Future<?>> work = new ArrayList<>();
            for (List<byte[]> share : shares) {
                boolean snapshots = share == shares.get(0);
                work.add(pool.submit(() -> {
                    int applied = 0;
                    for (byte[] message : share) {
                        try {
                            store.apply(message);
                        } catch (RejectedMessageException e) {
                            throw new AssertionError("unexpected rejection: " + e.getMessage(), e);
                        }
                        acknowledged.add(JSON.readTree(message).get("message_id").textValue());
                        if (snapshots && ++applied % 7 == 0) {
                            store.snapshotNow(); // power losses land in snapshots too, and starts use them
                        }
                    }
                    return null;
                }));
            }
            Throwable first = null;
            for (Future<?> future : work) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (first == null || cause instanceof PowerLossDisk.PowerLoss) {
                        first = cause;
                    }
                }
            }
            if (first instanceof PowerLossDisk.PowerLoss lost) {
                throw lost;
            }
            if (first instanceof IOException && first.getCause() instanceof PowerLossDisk.PowerLoss lost) {
                throw lost; // a thread that found the store failed by another thread's power loss
            }
            if (first instanceof Exception e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The process died with the power: only its lock (a real OS lock in this JVM) needs letting go. */
    private static void closeDeadStore(CollectionsStore store) {
        if (store == null) {
            return;
        }
        try {
            store.close();
        } catch (Throwable expected) {
            // every disk call of the dead store fails; close() still releases the lock
        }
    }

    private static List<LogEntry> logEntries(Storage disk, Path data) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        EventLog.replay(disk, data.resolve("events.log"), 0, entries::add);
        return entries;
    }

    /** Reopening (which repairs and recovers) must find every acknowledged message in the log. */
    private static void assertAcknowledgedAreLogged(Storage disk, Path data, Set<String> acknowledged, long seed)
            throws Exception {
        try (CollectionsStore store = CollectionsStore.open(disk, data, Stores.SETTINGS, notice -> { })) {
            assertThat(store.lastSeq()).isGreaterThanOrEqualTo(0);
        }
        Set<String> logged = new HashSet<>();
        for (LogEntry entry : logEntries(disk, data)) {
            assertThat(logged.add(entry.messageId())).as("seed %d: %s logged once", seed, entry.messageId()).isTrue();
        }
        assertThat(logged).as("seed %d: acknowledged messages after a power loss", seed).containsAll(acknowledged);
    }

    private static void assertFinalState(Storage disk, Path data, List<CrashStream.InvoicePlan> plans, long seed)
            throws Exception {
        StoreVerifier.Report report = new StoreVerifier(disk, new DataLayout(data)).verify();
        assertThat(report.faults()).as("seed %d", seed).isEmpty();
        // Power losses mid-render never leave a torn ledger behind (it would be held, stale, and differ here).
        assertThat(new Reconciler(disk, new DataLayout(data)).reconcile(Reconciler.Mode.AT_REST).differences())
                .as("seed %d: ledger against state", seed).isEmpty();
        assertThat(report.stateFiles()).isEqualTo(INVOICES);
        assertThat(disk.listFilesRecursively(data)).as("seed %d: tmp files", seed)
                .noneMatch(FileSystemStorage::isTemporaryFile);

        Set<String> expectedIds = new HashSet<>();
        plans.forEach(plan -> expectedIds.addAll(plan.messageIds()));
        assertThat(logEntries(disk, data)).extracting(LogEntry::messageId).containsExactlyInAnyOrderElementsOf(expectedIds);

        InvoiceFiles invoices = new InvoiceFiles(disk, new DataLayout(data));
        for (CrashStream.InvoicePlan plan : plans) {
            InvoiceKey key = new InvoiceKey(plan.client(), plan.invoice());
            InvoiceState state = invoices.read(key).orElseThrow().state();
            assertThat(state.balance().amount()).as("seed %d: %s balance", seed, key).isEqualByComparingTo(plan.balance());
            assertThat(state.status()).as("seed %d: %s status", seed, key).isEqualTo(plan.status());
            assertThat(state.reminders()).hasSize(plan.reminders());
        }

        // Replaying the surviving log into an empty folder reproduces the state files byte for byte.
        Path replayed = data.resolveSibling(data.getFileName() + "-replayed");
        Files.createDirectories(replayed);
        disk.createDirectories(replayed);
        disk.writeAtomically(replayed.resolve("events.log"), disk.read(data.resolve("events.log"), Integer.MAX_VALUE));
        // The log's sealed personal values open with its keys: both are the truth together.
        if (disk.isDirectory(data.resolve("keys"))) {
            disk.createDirectories(replayed.resolve("keys"));
            for (Path key : disk.list(data.resolve("keys"))) {
                disk.writeAtomically(replayed.resolve("keys").resolve(key.getFileName()), disk.read(key, Integer.MAX_VALUE));
            }
        }
        try (CollectionsStore store = CollectionsStore.open(disk, replayed, Stores.SETTINGS, notice -> { })) {
            assertThat(store.lastSeq()).isEqualTo(expectedIds.size());
        }
        assertThat(Stores.stateFileTexts(disk, replayed)).as("seed %d: replayed state", seed)
                .containsExactlyEntriesOf(Stores.stateFileTexts(disk, data));
    }


    /** Invoice i goes to thread i mod threads; each thread interleaves its invoices' messages. */
    private static List<List<byte[]>> shares(List<CrashStream.InvoicePlan> plans, int threads) {
        List<List<byte[]>> shares = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CrashStream.InvoicePlan> mine = new ArrayList<>();
            for (int i = t; i < plans.size(); i += threads) {
                mine.add(plans.get(i));
            }
            List<byte[]> share = new ArrayList<>();
            int longest = mine.stream().mapToInt(p -> p.messages().size()).max().orElse(0);
            for (int step = 0; step < longest; step++) {
                for (CrashStream.InvoicePlan plan : mine) {
                    if (step < plan.messages().size()) {
                        share.add(plan.messages().get(step));
                    }
                }
            }
            shares.add(share);
        }
        return shares;
    }
}
