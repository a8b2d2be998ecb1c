package com.novotechno.collections.bench;

import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Apply throughput with fsync on, through the real pipeline (parse, deduplicate, log with
 * group commit, index, state file, archive move). Each invoice gets three events: issued, a
 * partial payment, the final payment, so a third of the events also archive a file.
 *
 * <p>{@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.novotechno.collections.bench.ApplyBenchmark -Dexec.args="[EVENTS] [THREADS,...]"}
 * (defaults: 3000 events, threads 1 and 8). Data goes to a temporary folder on the same disk
 * as {@code java.io.tmpdir} and is deleted afterwards.
 */
public final class ApplyBenchmark {

    private static final int EVENTS_PER_INVOICE = 3;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int[] threadCounts = args.length > 1
                ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8};
        System.out.printf("apply benchmark: %d events per run (issued, partial payment, final payment), fsync on, %d cores%n",
                events, Runtime.getRuntime().availableProcessors());
        run(Math.min(events, 600), 4, false); // warm-up: JIT, page cache
        for (int threads : threadCounts) {
            run(events, threads, true);
        }
    }

    private static void run(int events, int threads, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("collections-bench");
        try {
            StoreSettings settings = new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC());
            int invoices = events / EVENTS_PER_INVOICE;
            long[] latenciesNanos = new long[invoices * EVENTS_PER_INVOICE];
            long started;
            long elapsed;
            try (CollectionsStore store = CollectionsStore.open(dir, settings, notice -> { })) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<?>> work = new ArrayList<>();
                started = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    work.add(pool.submit(() -> {
                        for (int i = thread; i < invoices; i += threads) {
                            applyInvoice(store, i, latenciesNanos);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : work) {
                    future.get();
                }
                elapsed = System.nanoTime() - started;
                pool.shutdown();
            }
            if (print) {
                Arrays.sort(latenciesNanos);
                int n = latenciesNanos.length;
                System.out.printf("threads %d: %,.0f events/s  (%d events in %.2f s; latency p50 %.2f ms, p99 %.2f ms)%n",
                        threads, n / (elapsed / 1e9), n, elapsed / 1e9,
                        latenciesNanos[n / 2] / 1e6, latenciesNanos[(int) (n * 0.99)] / 1e6);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void applyInvoice(CollectionsStore store, int i, long[] latenciesNanos) throws Exception {
        String invoice = "INV-" + i;
        String[] messages = {
            "{\"type\":\"invoice.issued\",\"message_id\":\"" + invoice + "-issued\",\"client\":\"client" + (i % 50)
                    + "\",\"invoice_number\":\"" + invoice + "\",\"amount\":\"1000.00\",\"currency\":\"USD\"}",
            "{\"type\":\"payment.received\",\"message_id\":\"" + invoice + "-p1\",\"client\":\"client" + (i % 50)
                    + "\",\"invoice_number\":\"" + invoice + "\",\"amount\":\"400.00\",\"currency\":\"USD\"}",
            "{\"type\":\"payment.received\",\"message_id\":\"" + invoice + "-p2\",\"client\":\"client" + (i % 50)
                    + "\",\"invoice_number\":\"" + invoice + "\",\"amount\":\"600.00\",\"currency\":\"USD\"}",
        };
        for (int m = 0; m < messages.length; m++) {
            long start = System.nanoTime();
            ApplyResult result = store.apply(messages[m].getBytes(StandardCharsets.UTF_8));
            latenciesNanos[i * EVENTS_PER_INVOICE + m] = System.nanoTime() - start;
            if (result.outcome() != ApplyResult.Outcome.APPLIED) {
                throw new IllegalStateException("benchmark message not applied: " + result);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
