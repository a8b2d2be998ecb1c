package com.novotechno.collections.state;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The child process of the crash test: opens the store (recovering from the last kill),
 * prints "ready", and applies the whole seeded stream from the start with several threads.
 * Messages applied before the last kill come back as duplicates. Exit 0 when all were
 * accepted, 3 on any rejection (none is expected).
 */
public final class CrashWorker {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int invoices = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        List<CrashStream.InvoicePlan> plans = CrashStream.plan(seed, invoices);
        try (CollectionsStore store = CollectionsStore.open(dataDir, Stores.SETTINGS, System.err::println)) {
            System.out.println("ready");
            System.out.flush();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    applyShare(store, plans, thread, threads);
                    return null;
                }));
            }
            // Snapshots all the while, so that kills land in their capture, their write and their rename too.
            // Stopped by a flag, not an interrupt: an interrupt closes the file channel a snapshot is writing.
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread snapshots = new Thread(() -> {
                java.util.Random random = new java.util.Random(seed);
                try {
                    while (!stop.get()) {
                        store.snapshotNow();
                        Thread.sleep(random.nextInt(30));
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            }, "crash-worker-snapshots");
            snapshots.start();
            for (Future<?> future : work) {
                future.get();
            }
            stop.set(true);
            snapshots.join();
            pool.shutdown();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(3);
        }
        System.out.println("done");
        System.exit(0);
    }

    /** This thread's invoices, their messages interleaved so that invoices progress side by side. */
    private static void applyShare(CollectionsStore store, List<CrashStream.InvoicePlan> plans, int thread, int threads)
            throws Exception {
        List<CrashStream.InvoicePlan> mine = new ArrayList<>();
        for (int i = thread; i < plans.size(); i += threads) {
            mine.add(plans.get(i));
        }
        int longest = mine.stream().mapToInt(p -> p.messages().size()).max().orElse(0);
        for (int step = 0; step < longest; step++) {
            for (CrashStream.InvoicePlan plan : mine) {
                if (step < plan.messages().size()) {
                    try {
                        store.apply(plan.messages().get(step));
                    } catch (RejectedMessageException e) {
                        throw new IllegalStateException("unexpected rejection: " + e.getMessage(), e);
                    }
                }
            }
        }
    }
}
