package com.novotechno.collections.bench;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * What the ledger costs as the number of invoices grows: per message (through the whole store,
 * fsync on, while the background writer renders ledger.qmd), the in-memory update alone, one
 * render, the start-up of a store and the heap it then uses, and a full {@code reconcile}.
 *
 * <p>{@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.novotechno.collections.bench.LedgerBenchmark -Dexec.args="[INVOICES,...] [MESSAGES]"}
 * (defaults: 1000,100000 invoices, 1000 measured messages). Each folder is first filled without
 * fsyncs (see {@link NoFsyncStorage}), then measured on the real, fsyncing storage.
 */
public final class LedgerBenchmark {

    private static final StoreSettings SETTINGS = new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC());

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1000, 100_000};
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.out.printf("ledger benchmark: %d measured messages per size, fsync on, %d cores%n", messages,
                Runtime.getRuntime().availableProcessors());
        run(500, 300, false); // warm-up: JIT and page cache, so the first size is not measured cold
        for (int invoices : sizes) {
            run(invoices, messages, true);
        }
    }

    private static void run(int invoices, int messages, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("collections-ledger-bench");
        try {
            long t0 = System.nanoTime();
            fill(dir, invoices);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;

            long t1 = System.nanoTime();
            long[] latencies = new long[messages];
            double openSeconds;
            double flushMillis;
            long heapBytes;
            try (CollectionsStore store = CollectionsStore.open(dir, SETTINGS, notice -> { })) {
                openSeconds = (System.nanoTime() - t1) / 1e9;
                heapBytes = usedHeapAfterGc();
                for (int m = 0; m < messages; m++) {
                    int i = (int) ((long) m * invoices / messages);
                    byte[] payment = message("payment.received", "bench-p" + m, i, "\"amount\":\"0.01\",\"currency\":\"USD\"");
                    long start = System.nanoTime();
                    store.apply(payment);
                    latencies[m] = System.nanoTime() - start;
                }
                long t2 = System.nanoTime();
                store.flushLedger();
                flushMillis = (System.nanoTime() - t2) / 1e6;
            }
            long t3 = System.nanoTime();
            ReconcileReport report = new Reconciler(new FileSystemStorage(), new DataLayout(dir)).reconcile(Reconciler.Mode.AT_REST);
            double reconcileSeconds = (System.nanoTime() - t3) / 1e9;
            if (!report.agrees()) {
                throw new IllegalStateException("the benchmark's ledger does not reconcile: " + report.differences());
            }
            long ledgerBytes = Files.size(dir.resolve("ledger.qmd"));
            if (!print) {
                return;
            }
            Arrays.sort(latencies);
            double mean = Arrays.stream(latencies).average().orElse(0) / 1e6;
            System.out.printf("%,d invoices: per message %.2f ms mean, p50 %.2f ms, p99 %.2f ms | projection update %.2f µs"
                            + " | render+write %.0f ms (%,d bytes) | store open %.2f s, heap %.0f MB | reconcile %.2f s"
                            + " | (fill %.1f s)%n",
                    invoices, mean, latencies[messages / 2] / 1e6, latencies[(int) (messages * 0.99)] / 1e6,
                    projectionUpdateMicros(invoices), flushMillis, ledgerBytes, openSeconds, heapBytes / 1e6,
                    reconcileSeconds, fillSeconds);
        } finally {
            deleteTree(dir);
        }
    }

    /** The heap in use with the store open: mostly the ledger projection, one row per invoice. */
    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Issues {@code invoices} invoices of 1000.00 USD with two threads, without fsyncs. */
    private static void fill(Path dir, int invoices) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (CollectionsStore store = CollectionsStore.open(new NoFsyncStorage(), dir, SETTINGS, notice -> { })) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int first = t;
                work.add(pool.submit(() -> {
                    for (int i = first; i < invoices; i += 2) {
                        store.apply(message("invoice.issued", "bench-i" + i, i, "\"amount\":\"1000.00\",\"currency\":\"USD\""));
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The in-memory part of a message's ledger cost, isolated: one row update in a projection of that size. */
    private static double projectionUpdateMicros(int invoices) {
        Currency usd = Currencies.parse("USD");
        LedgerProjection projection = new LedgerProjection(java.time.ZoneOffset.UTC);
        Instant now = Instant.now();
        LocalDate due = LocalDate.parse("2026-02-09");
        for (int i = 0; i < invoices; i++) {
            projection.update(row(i, usd, due, "1000.00"), now);
        }
        int updates = 200_000;
        long start = System.nanoTime();
        for (int u = 0; u < updates; u++) {
            projection.update(row(u % invoices, usd, due, (u % 2 == 0) ? "999.00" : "1000.00"), now);
        }
        long elapsed = System.nanoTime() - start;
        LedgerRenderer.render(projection.snapshot(invoices)); // keep the work observable
        return elapsed / 1e3 / updates;
    }

    private static LedgerRow row(int i, Currency usd, LocalDate due, String balance) {
        return new LedgerRow(new InvoiceKey("client" + (i % 100), "INV-" + i), LedgerSection.UNPAID, due.minusDays(30), due,
                Money.parsePositive("1000.00", usd), Money.parsePositive(balance, usd), due.minusDays(30), Optional.empty());
    }

    private static byte[] message(String type, String id, int invoice, String fields) {
        return ("{\"type\":\"" + type + "\",\"message_id\":\"" + id + "\",\"client\":\"client" + (invoice % 100)
                + "\",\"invoice_number\":\"INV-" + invoice + "\"," + fields + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
