package com.novotechno.collections.bench;

import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Apply throughput with fsync on, through the real pipeline (parse, deduplicate, log with
 * group commit, index, state file, archive move), against its SQLite peer ({@link SqlitePeer}:
 * WAL, synchronous=FULL, one transaction per message) on the same workload in the same run, and
 * against the disk's floor ({@link DiskFloor}). Each invoice gets three events: issued, a partial
 * payment, the final payment, so a third of the events also archive a file. Each thread works
 * through its own invoices, one message at a time.
 *
 * <p>{@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.novotechno.collections.bench.ApplyBenchmark -Dexec.args="[EVENTS] [THREADS,...]"}
 * (defaults: 3000 events, threads 1 and 8). Everything goes to one temporary folder in
 * {@code java.io.tmpdir} (set it to measure another disk), deleted afterwards.
 *
 * <p>SQLite with several threads: {@code -Dbench.sqlite.connections=shared} (the default) gives
 * all threads one connection guarded by a lock; {@code per-thread} gives each thread its own
 * connection (BEGIN IMMEDIATE, busy_timeout 30 s). SQLite admits one writer at a time either way,
 * so the default is the shared connection: a thread waiting for the writer's turn parks on the
 * lock and is woken when it is free, whereas contending connections wait in SQLite's busy
 * handler, which sleeps and retries (1, 2, 5, 10... ms). The lock is not fair: the thread that
 * just committed may take it again at once, while it still has the CPU. On the shared 2-core
 * development machine a fair lock, which hands each turn to a parked thread that must first be
 * scheduled, fell to 540-600 events/s in two of six 8-thread runs (1,800-3,300 in the others);
 * the unfair lock gave 2,000-2,500 in each of four, per-thread connections 1,300-1,900 with a
 * p99 of 20-34 ms.
 */
public final class ApplyBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int[] threadCounts = args.length > 1
                ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8};
        boolean sharedConnection = !"per-thread".equals(System.getProperty("bench.sqlite.connections", "shared"));
        int invoices = events / Workload.MESSAGES_PER_INVOICE;
        events = invoices * Workload.MESSAGES_PER_INVOICE;
        Path root = Files.createTempDirectory("collections-apply-bench");
        try {
            System.out.printf("apply benchmark: %,d events per run (issued, partial payment, final payment), fsync on, %d cores,"
                    + " in %s%n", events, Runtime.getRuntime().availableProcessors(), root);
            System.out.printf("SQLite peer: sqlite-jdbc, WAL, synchronous=FULL, one transaction per message, %s%n",
                    sharedConnection ? "one connection shared by the threads under a (non-fair) lock" : "one connection per thread");
            int warmUp = Math.min(invoices, 200);
            runProject(root, warmUp, 4); // JIT, page cache
            runSqlite(root, warmUp, 4, sharedConnection);

            System.out.println();
            System.out.println("the disk's floor, in the same folder:");
            // The files first: right after the fsync loops, creating files ran at a third of its rate here.
            Workload.Figures files = DiskFloor.createAndRename(root, events);
            Map<Integer, Workload.Figures> fsyncs = new LinkedHashMap<>();
            for (int threads : threadCounts) {
                Workload.Figures floor = DiskFloor.fsyncs(root, threads);
                fsyncs.put(threads, floor);
                System.out.printf("  fsyncs, %d thread%s:%s   (append 120 bytes + fdatasync, one file)%n", threads,
                        threads == 1 ? " " : "s", floor.describe("fsyncs"));
            }
            System.out.printf("  state-file floor:  %s   (create + rename a 300-byte file, no fsync)%n", files.describe("files"));

            System.out.println();
            List<String> summary = new ArrayList<>();
            for (int threads : threadCounts) {
                Workload.Figures project = runProject(root, invoices, threads);
                Workload.Figures sqlite = runSqlite(root, invoices, threads, sharedConnection);
                Workload.Figures fsync = fsyncs.get(threads);
                System.out.printf("threads %d: project %s%n", threads, project.describe("events"));
                System.out.printf("           SQLite  %s%n", sqlite.describe("events"));
                System.out.printf("           project/SQLite %.2fx; per fsync the disk allows (%d thread%s): project %.2f, SQLite %.2f events;"
                        + " project %.3fx the state-file floor%n",
                        project.perSecond() / sqlite.perSecond(), threads, threads == 1 ? "" : "s",
                        project.perSecond() / fsync.perSecond(), sqlite.perSecond() / fsync.perSecond(),
                        project.perSecond() / files.perSecond());
                summary.add(String.format("| %d | %,.0f | %,.0f | %.2fx | %,.0f | %.2f | %.2f |", threads, project.perSecond(),
                        sqlite.perSecond(), project.perSecond() / sqlite.perSecond(), fsync.perSecond(),
                        project.perSecond() / fsync.perSecond(), sqlite.perSecond() / fsync.perSecond()));
            }
            System.out.println();
            System.out.printf("state-file floor: %,.0f files/s%n", files.perSecond());
            System.out.println("| threads | project events/s | SQLite events/s | project/SQLite | disk fsyncs/s | project events per fsync | SQLite events per fsync |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            summary.forEach(System.out::println);
        } finally {
            Workload.deleteTree(root);
        }
    }

    private static Workload.Figures runProject(Path root, int invoices, int threads) throws Exception {
        Path dir = Files.createTempDirectory(root, "project");
        try {
            StoreSettings settings = new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC());
            try (CollectionsStore store = CollectionsStore.open(dir, settings, notice -> { })) {
                return inThreads(invoices, threads, thread -> message -> {
                    ApplyResult result = store.apply(message.getBytes(StandardCharsets.UTF_8));
                    if (result.outcome() != ApplyResult.Outcome.APPLIED) {
                        throw new IllegalStateException("benchmark message not applied: " + result);
                    }
                });
            }
        } finally {
            Workload.deleteTree(dir);
        }
    }

    private static Workload.Figures runSqlite(Path root, int invoices, int threads, boolean sharedConnection) throws Exception {
        Path dir = Files.createTempDirectory(root, "sqlite");
        Path database = dir.resolve("collections.db");
        List<SqlitePeer> connections = new ArrayList<>();
        try {
            connections.add(SqlitePeer.open(database));
            if (sharedConnection) {
                SqlitePeer shared = connections.get(0);
                ReentrantLock lock = new ReentrantLock(false);
                return inThreads(invoices, threads, thread -> message -> {
                    lock.lock();
                    try {
                        expectApplied(shared.apply(message), message);
                    } finally {
                        lock.unlock();
                    }
                });
            }
            for (int t = 1; t < threads; t++) {
                connections.add(SqlitePeer.open(database));
            }
            return inThreads(invoices, threads, thread -> {
                SqlitePeer own = connections.get(thread);
                return message -> expectApplied(own.apply(message), message);
            });
        } finally {
            for (SqlitePeer connection : connections) {
                connection.close();
            }
            Workload.deleteTree(dir);
        }
    }

    private static void expectApplied(SqlitePeer.Outcome outcome, String message) {
        if (outcome != SqlitePeer.Outcome.APPLIED) {
            throw new IllegalStateException("benchmark message not applied by SQLite: " + message);
        }
    }

    private interface Applier {
        void apply(String message) throws Exception;
    }

    private interface ApplierPerThread {
        Applier forThread(int thread) throws Exception;
    }

    /** Thread t applies invoices t, t + threads, ... each one's three messages in order; times each message. */
    private static Workload.Figures inThreads(int invoices, int threads, ApplierPerThread appliers) throws Exception {
        long[] latenciesNanos = new long[invoices * Workload.MESSAGES_PER_INVOICE];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Applier> perThread = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                perThread.add(appliers.forThread(t));
            }
            List<Future<?>> work = new ArrayList<>();
            long started = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    Applier applier = perThread.get(thread);
                    for (int i = thread; i < invoices; i += threads) {
                        String[] messages = Workload.invoice(i);
                        for (int m = 0; m < messages.length; m++) {
                            long start = System.nanoTime();
                            applier.apply(messages[m]);
                            latenciesNanos[i * Workload.MESSAGES_PER_INVOICE + m] = System.nanoTime() - start;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            return Workload.Figures.of(latenciesNanos, System.nanoTime() - started);
        } finally {
            pool.shutdown();
        }
    }
}
