package com.novotechno.collections.bench;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.reconcile.RollingSweep;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The reconcile route's cost at a size: the CPU of one tick (the ledger's tally, the sweep's slice for
 * ticks a minute apart over 24 hours, and {@code CHANGED} invoices changed since the last tick) as a
 * share of one core over the minute, and the full {@code reconcile}'s wall time.
 *
 * <p>{@code mvn -B -q -o exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.novotechno.collections.bench.ReconcileBenchmark -Dexec.args="INVOICES [CHANGED] [TICKS]"}
 * (defaults 100000, 1000, 5).
 */
public final class ReconcileBenchmark {

    private static final StoreSettings SETTINGS = new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC());

    public static void main(String[] args) throws Exception {
        int invoices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int changed = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("collections-reconcile-bench");
        long t0 = System.nanoTime();
        List<InvoiceKey> keys = new ArrayList<>();
        try (CollectionsStore store = CollectionsStore.open(new NoFsyncStorage(), dir, SETTINGS, notice -> { })) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < invoices; i++) {
                batch.add(("{\"type\":\"invoice.issued\",\"message_id\":\"b" + i + "\",\"client\":\"client" + (i % 100)
                        + "\",\"invoice_number\":\"INV-" + i + "\",\"amount\":\"1000.00\",\"currency\":\"USD\"}")
                        .getBytes(StandardCharsets.UTF_8));
                if (batch.size() == CollectionsStore.MAX_BATCH || i == invoices - 1) {
                    store.applyBatch(batch);
                    batch.clear();
                }
            }
            store.flushLedger();
            keys.addAll(store.keys());
        }
        System.out.printf("filled %,d invoices in %.1f s; ledger %,d bytes%n", invoices, (System.nanoTime() - t0) / 1e9,
                Files.size(dir.resolve("ledger.qmd")));
        DataLayout layout = new DataLayout(dir);
        ReconcileSchedule schedule = new ReconcileSchedule(Duration.ofSeconds(60), Duration.ofHours(24));
        RollingSweep sweep = new RollingSweep(schedule);
        SliceReconciler slices = new SliceReconciler(new FileSystemStorage(), layout, ZoneOffset.UTC, schedule);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long worst = 0;
        long total = 0;
        for (int tick = 0; tick <= ticks; tick++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            Set<InvoiceKey> wanted = new LinkedHashSet<>(sweep.next(() -> keys));
            for (int c = 0; c < changed; c++) {
                wanted.add(keys.get((tick * 7919 + c * 104729) % keys.size()));
            }
            ReconcileReport report = slices.reconcile(wanted, key -> { });
            long spent = cpu.getCurrentThreadCpuTime() - c0;
            if (!report.agrees()) {
                throw new IllegalStateException("the benchmark's ledger does not reconcile: " + report.differences());
            }
            if (tick == 0) {
                continue; // warm-up
            }
            System.out.printf("tick %d: %d files, cpu %.0f ms, wall %.0f ms%n", tick, report.invoices(), spent / 1e6,
                    (System.nanoTime() - w0) / 1e6);
            worst = Math.max(worst, spent);
            total += spent;
        }
        double mean = total / (double) ticks;
        System.out.printf("%,d invoices, slice %d + %d changed: tick cpu mean %.0f ms (worst %.0f ms) = %.2f%% of one"
                        + " core at a tick a minute%n", invoices, sweep.sliceSize(), changed, mean / 1e6, worst / 1e6,
                100.0 * mean / schedule.period().toNanos());
        long t1 = System.nanoTime();
        ReconcileReport full = new Reconciler(new FileSystemStorage(), layout).reconcile(Reconciler.Mode.AT_REST);
        System.out.printf("full reconcile: %,d state files in %.1f s, agrees %s%n", full.invoices(),
                (System.nanoTime() - t1) / 1e9, full.agrees());
    }
}
