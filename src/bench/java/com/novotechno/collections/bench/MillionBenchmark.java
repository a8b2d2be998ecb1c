package com.novotechno.collections.bench;

import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreRebuilder;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The store at a million invoices (issue 13): a full replay's speed and the heap it leaves, the cost of
 * a message at 1M against 1k, a full {@code reconcile} and a render, each printed on its own line with
 * its unit. Starts from a snapshot and the reconcile timer's cost have their places marked below, for
 * when those land.
 *
 * <p>{@code MAVEN_OPTS=-Xmx2g mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.novotechno.collections.bench.MillionBenchmark -Dexec.args="[INVOICES] [MIX] [FOLDER]"}
 * (defaults: 1000000, {@value InvoiceMix#DEFAULT}, a temp folder deleted at the end). A FOLDER given is
 * filled once and kept, and a later run with the same invoices and mix measures it again without
 * filling: filling 1M takes minutes. Each run's measured payments (0.01 towards open invoices) stay in
 * its log. {@code -Dbench.messages=N} sets how many payments are measured (1000), {@code -Dbench.steps=replay,render}
 * picks steps (see {@link #STEPS}), {@code -Dbench.opens=N} repeats the full replay open.
 *
 * <p>The folder is filled fast: {@link LogFiller} writes the log the service would write (no fsyncs,
 * no state files), then {@code rebuild} derives the state files and the ledger, timed against the
 * disk's floor for creating as many files ({@link DiskFloor}).
 */
public final class MillionBenchmark {

    static final StoreSettings SETTINGS = new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC(), ZoneOffset.UTC);
    private static final long SEED = 13;
    private static final String STAMP = "bench-fill.properties";
    /** The disk's file floor is sampled on at most this many files and scaled: a million would take minutes more. */
    private static final int FLOOR_SAMPLE_FILES = 200_000;

    private final Path dir;
    private final int invoices;
    private final InvoiceMix mix;
    private final int messages;

    private MillionBenchmark(Path dir, int invoices, InvoiceMix mix, int messages) {
        this.dir = dir;
        this.invoices = invoices;
        this.mix = mix;
        this.messages = messages;
    }

    public static void main(String[] args) throws Exception {
        int invoices = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        InvoiceMix mix = InvoiceMix.parse(args.length > 1 ? args[1] : InvoiceMix.DEFAULT);
        boolean keep = args.length > 2;
        Path dir = keep ? Path.of(args[2]).toAbsolutePath() : Files.createTempDirectory("collections-million-bench");
        int messages = Integer.getInteger("bench.messages", 1000);
        System.out.printf("million benchmark: %,d invoices, mix %s (%.2f messages an invoice, %.0f %% left open), %d cores,"
                        + " max heap %,d MB, folder %s%n", invoices, mix, mix.messagesPerInvoice(), 100 * mix.openShare(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, dir);
        try {
            new MillionBenchmark(dir, invoices, mix, messages).run();
        } finally {
            if (!keep) {
                Workload.deleteTree(dir);
            }
        }
    }

    /** One measurement; each prints its own lines. */
    @FunctionalInterface
    private interface Step {
        void run(MillionBenchmark bench) throws Exception;
    }

    /**
     * Every measurement, in the order they run, by the name {@code -Dbench.steps=a,b} picks them with
     * (default: all). The 1k per-message step runs first: it warms the JIT up for the full size.
     */
    private static final Map<String, Step> STEPS = stepsInOrder();

    private static Map<String, Step> stepsInOrder() {
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("message-1k", MillionBenchmark::perMessageAtOneThousand);
        steps.put("replay", MillionBenchmark::fullReplayOpenThenApply);
        steps.put("clean-stop", MillionBenchmark::startAfterCleanStop);
        steps.put("kill", MillionBenchmark::startAfterKill);
        steps.put("reconcile-timer", MillionBenchmark::reconcileTimerPerPeriod);
        steps.put("reconcile", MillionBenchmark::fullReconcile);
        steps.put("render", MillionBenchmark::render);
        return steps;
    }

    /** The per-message figures at 1k, once measured: the full size's are printed against them. */
    private double[] perMessageSmall;

    private void run() throws Exception {
        prepareFolder();
        String chosen = System.getProperty("bench.steps", String.join(",", STEPS.keySet()));
        List<String> names = Arrays.stream(chosen.split(",")).map(String::trim).toList();
        for (String name : names) {
            if (!STEPS.containsKey(name)) {
                throw new IllegalArgumentException("no step " + name + "; the steps are " + STEPS.keySet());
            }
        }
        for (Map.Entry<String, Step> step : STEPS.entrySet()) {
            if (names.contains(step.getKey())) {
                step.getValue().run(this);
            }
        }
    }

    // ---- the folder ----

    /** Fills the folder unless it holds this run's invoices already, and prints how it was filled. */
    private void prepareFolder() throws Exception {
        Path stamp = dir.resolve(STAMP);
        if (Files.exists(stamp)) {
            Properties filled = new Properties();
            try (InputStream in = Files.newInputStream(stamp)) {
                filled.load(in);
            }
            if (!filled.getProperty("invoices").equals(Integer.toString(invoices)) || !filled.getProperty("mix").equals(mix.toString())
                    || !filled.getProperty("seed").equals(Long.toString(SEED))) {
                throw new IllegalArgumentException(dir + " was filled with " + filled + ": give another folder");
            }
            System.out.printf("folder: reused, filled on %s: %s entries by writing the log directly in %s s, then"
                            + " rebuild in %s s (the disk's floor for its files: %s s)%n", filled.getProperty("date"),
                    filled.getProperty("entries"), filled.getProperty("fill.seconds"), filled.getProperty("rebuild.seconds"),
                    filled.getProperty("floor.seconds"));
            return;
        }
        Files.createDirectories(dir);
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(dir + " is not empty and was not filled by this benchmark");
            }
        }
        Fill fill = fill(dir, invoices);
        System.out.printf("folder: filled by writing the log directly (LogFiller: parse, decide, EventLog.write, no fsync):"
                        + " %,d entries (%,d MB) in %.1f s (%,.0f entries/s), %,d invoices left open%n", fill.filled.entries(),
                Files.size(new DataLayout(dir).eventLog()) >> 20, fill.fillSeconds, fill.filled.entries() / fill.fillSeconds,
                fill.filled.openInvoices());
        double floorSeconds = stateFileFloorSeconds(invoices);
        System.out.printf("rebuild (state files and ledger from the log, fsyncs at the end): %.1f s for %,d state files;"
                        + " the disk's floor for creating and renaming as many: %.1f s; rebuild/floor %.2f×%n",
                fill.rebuildSeconds, invoices, floorSeconds, fill.rebuildSeconds / floorSeconds);
        Properties filled = new Properties();
        filled.setProperty("invoices", Integer.toString(invoices));
        filled.setProperty("mix", mix.toString());
        filled.setProperty("seed", Long.toString(SEED));
        filled.setProperty("entries", Long.toString(fill.filled.entries()));
        filled.setProperty("date", Instant.now().toString());
        filled.setProperty("fill.seconds", String.format("%.1f", fill.fillSeconds));
        filled.setProperty("rebuild.seconds", String.format("%.1f", fill.rebuildSeconds));
        filled.setProperty("floor.seconds", String.format("%.1f", floorSeconds));
        try (OutputStream out = Files.newOutputStream(stamp)) {
            filled.store(out, "how MillionBenchmark filled this folder");
        }
    }

    private record Fill(LogFiller.Filled filled, double fillSeconds, double rebuildSeconds) {
    }

    private Fill fill(Path folder, int count) throws Exception {
        long t0 = System.nanoTime();
        LogFiller.Filled filled = LogFiller.fill(folder, count, mix, SEED, SETTINGS);
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        long rebuilt = StoreRebuilder.rebuild(new FileSystemStorage(), folder, SETTINGS, notice -> { });
        double rebuildSeconds = (System.nanoTime() - t1) / 1e9;
        if (rebuilt != filled.entries()) {
            throw new IllegalStateException("rebuild replayed " + rebuilt + " of " + filled.entries() + " entries");
        }
        return new Fill(filled, fillSeconds, rebuildSeconds);
    }

    /** Seconds the disk takes to create and rename {@code files} small files without fsync, from a sample. */
    private double stateFileFloorSeconds(int files) throws IOException {
        Path scratch = Files.createTempDirectory(dir.getParent(), "floor");
        try {
            Workload.Figures sample = DiskFloor.createAndRename(scratch, Math.min(files, FLOOR_SAMPLE_FILES));
            return files / sample.perSecond();
        } finally {
            Workload.deleteTree(scratch);
        }
    }

    // ---- starts and messages ----

    /** Mean, p50 and p99 of a message, in ms, in a fresh folder of 1,000 invoices of the same mix. */
    private void perMessageAtOneThousand() throws Exception {
        Path small = Files.createTempDirectory(dir.getParent(), "collections-1k");
        try {
            fill(small, 1000);
            try (CollectionsStore store = CollectionsStore.open(small, SETTINGS, notice -> { })) {
                double[] figures = applyPayments(store, 1000);
                System.out.printf("per message at 1,000 invoices: mean %.2f ms, p50 %.2f ms, p99 %.2f ms (%d payments, fsync on)%n",
                        figures[0], figures[1], figures[2], messages);
                perMessageSmall = figures;
            }
        } finally {
            Workload.deleteTree(small);
        }
    }

    /**
     * A start that replays the whole log (today every start does; once the lead's snapshot exists, delete
     * it before this open), the heap it leaves, then the per-message cost on that store.
     * {@code -Dbench.opens=N} opens N times (the first of a JVM runs partly interpreted), messages after the last.
     */
    private void fullReplayOpenThenApply() throws Exception {
        int opens = Integer.getInteger("bench.opens", 1);
        for (int run = 1; run <= opens; run++) {
            Files.deleteIfExists(new DataLayout(dir).snapshot()); // so that this open replays the whole log
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            try (CollectionsStore store = CollectionsStore.open(dir, SETTINGS, notice -> { })) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
                long entries = store.lastSeq();
                // The CPU beside the wall time: on a shared machine the wall time says as much about the neighbours.
                System.out.printf("full replay open (start without snapshot): %.2f s for %,d entries: %,.0f entries/s"
                        + " (process CPU %.2f s, %.1f cores busy)%n", seconds, entries, entries / seconds, cpuSeconds,
                        cpuSeconds / seconds);
                if (run < opens) {
                    continue;
                }
                System.out.printf("heap after open (after GC): %,d MB%n", usedHeapAfterGc() >> 20);
                double[] large = applyPayments(store, invoices);
                System.out.printf("per message at %,d invoices: mean %.2f ms, p50 %.2f ms, p99 %.2f ms (%d payments, fsync on)%n",
                        invoices, large[0], large[1], large[2], messages);
                if (perMessageSmall != null) {
                    System.out.printf("per message, %,d invoices against 1,000: %.2f× (mean), %.2f× (p50)%n", invoices,
                            large[0] / perMessageSmall[0], large[1] / perMessageSmall[1]);
                }
            }
        }
    }

    /** A start after a clean stop: the snapshot the stop wrote, and the log's last line only. */
    private void startAfterCleanStop() throws Exception {
        try (CollectionsStore store = CollectionsStore.open(dir, SETTINGS, notice -> { })) {
            store.lastSeq(); // a clean stop after a whole replay: it leaves the snapshot
        }
        List<String> notices = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (CollectionsStore store = CollectionsStore.open(dir, SETTINGS, notices::add)) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            requireSnapshotUsed(notices);
            System.out.printf("start after clean stop (snapshot, %,d MB): %.2f s (process CPU %.2f s) for %,d entries%n",
                    Files.size(new DataLayout(dir).snapshot()) >> 20, seconds, (processCpuNanos() - cpu0) / 1e9,
                    store.lastSeq());
            System.out.printf("heap after a start from the snapshot (after GC): %,d MB%n", usedHeapAfterGc() >> 20);
        }
    }

    /**
     * A start after a kill: a child JVM starts from the snapshot, applies {@code bench.tail} payments (default
     * 20,000; its page cache survives it) and halts without stopping, as kill -9 does; the next start reads
     * the snapshot and the tail of the log since it, and checks the invoices that tail touched.
     */
    private void startAfterKill() throws Exception {
        int tail = Integer.getInteger("bench.tail", 20_000);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g",
                "-cp", classPath(), KilledWriter.class.getName(), dir.toString(), mix.toString(), Integer.toString(invoices),
                Integer.toString(tail)).inheritIO().start();
        if (child.waitFor() != 0) {
            throw new IllegalStateException("the writer to kill exited " + child.exitValue());
        }
        List<String> notices = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (CollectionsStore store = CollectionsStore.open(dir, SETTINGS, notices::add)) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            requireSnapshotUsed(notices);
            System.out.printf("start after a kill (snapshot + a tail of %,d entries): %.2f s (process CPU %.2f s)%n", tail,
                    seconds, (processCpuNanos() - cpu0) / 1e9);
        }
    }

    private static void requireSnapshotUsed(List<String> notices) {
        if (notices.stream().anyMatch(notice -> notice.contains("set aside"))) {
            throw new IllegalStateException("the start did not use the snapshot: " + notices);
        }
    }

    /** The class path this benchmark runs on (exec:java loads it in a class loader of its own). */
    private static String classPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader) {
            return Arrays.stream(loader.getURLs()).map(url -> {
                try {
                    return Path.of(url.toURI()).toString();
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    /** The child {@link #startAfterKill} halts: payments to open invoices, then no stop at all. */
    public static final class KilledWriter {
        public static void main(String[] args) throws Exception {
            Path folder = Path.of(args[0]);
            InvoiceMix mix = InvoiceMix.parse(args[1]);
            int invoices = Integer.parseInt(args[2]);
            int tail = Integer.parseInt(args[3]);
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < invoices && open.size() < tail; i++) {
                InvoiceMix.Plan plan = mix.plan(SEED, i);
                if (plan == InvoiceMix.Plan.PARTIAL || plan == InvoiceMix.Plan.ISSUED) {
                    open.add(i);
                }
            }
            CollectionsStore store = CollectionsStore.open(new NoFsyncStorage(), folder, SETTINGS, notice -> { });
            long run = System.currentTimeMillis();
            for (int m = 0; m < tail; m++) {
                store.apply(InvoiceMix.smallPayment(SEED, open.get(m % open.size()), "killed-" + run + "-" + m));
            }
            System.out.printf("the writer applied %,d payments after its start; halting without a stop%n", tail);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** {@link #messages} payments of 0.01, spread over the open invoices of the first {@code count}; fsync on. */
    private double[] applyPayments(CollectionsStore store, int count) throws Exception {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            InvoiceMix.Plan plan = mix.plan(SEED, i);
            if (plan == InvoiceMix.Plan.PARTIAL || plan == InvoiceMix.Plan.ISSUED) {
                open.add(i);
            }
        }
        if (open.isEmpty()) {
            throw new IllegalStateException("the mix " + mix + " leaves no invoice unpaid to send payments to");
        }
        long run = System.currentTimeMillis(); // a reused folder's log has earlier runs' payments
        long[] latencies = new long[messages];
        for (int m = 0; m < messages; m++) {
            int invoice = open.get((int) ((long) m * open.size() / messages));
            byte[] payment = InvoiceMix.smallPayment(SEED, invoice, "bench-" + run + "-" + m);
            long start = System.nanoTime();
            store.apply(payment);
            latencies[m] = System.nanoTime() - start;
        }
        Arrays.sort(latencies);
        return new double[] {Arrays.stream(latencies).average().orElse(0) / 1e6, latencies[messages / 2] / 1e6,
                latencies[(int) (messages * 0.99)] / 1e6};
    }

    /** CPU time of the whole JVM (GC and JIT included), in ns. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The heap in use: mostly the book, the ledger projection and the message locations. */
    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    // ---- the ledger ----

    /**
     * Placeholder: the reconcile route's timer, once rolling (helper "reconcile"): its CPU time per period
     * beside an idle store, as a share of one core (the target: at most 5 % on average).
     */
    private void reconcileTimerPerPeriod() throws Exception {
        List<com.novotechno.collections.domain.InvoiceKey> keys = new ArrayList<>(invoices);
        for (int i = 0; i < invoices; i++) {
            keys.add(new com.novotechno.collections.domain.InvoiceKey(InvoiceMix.client(i), InvoiceMix.invoiceNumber(i)));
        }
        keys.sort(java.util.Comparator.comparing(com.novotechno.collections.domain.InvoiceKey::client)
                .thenComparing(com.novotechno.collections.domain.InvoiceKey::invoiceNumber));
        com.novotechno.collections.reconcile.ReconcileSchedule schedule = new com.novotechno.collections.reconcile.ReconcileSchedule(
                java.time.Duration.ofSeconds(60), java.time.Duration.ofHours(24));
        com.novotechno.collections.reconcile.RollingSweep sweep = new com.novotechno.collections.reconcile.RollingSweep(schedule);
        com.novotechno.collections.reconcile.SliceReconciler slices = new com.novotechno.collections.reconcile.SliceReconciler(
                new FileSystemStorage(), new DataLayout(dir), SETTINGS.zone(), schedule);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        int changed = 1000;
        long total = 0;
        int ticks = 3;
        for (int tick = 0; tick <= ticks; tick++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            java.util.Set<com.novotechno.collections.domain.InvoiceKey> wanted = new java.util.LinkedHashSet<>(sweep.next(() -> keys));
            for (int c = 0; c < changed; c++) {
                wanted.add(keys.get((int) ((tick * 7919L + c * 104729L) % keys.size())));
            }
            ReconcileReport report = slices.reconcile(wanted, key -> { });
            long spent = cpu.getCurrentThreadCpuTime() - c0;
            if (!report.agrees()) {
                throw new IllegalStateException("the benchmark's ledger does not reconcile: " + report.differences());
            }
            if (tick > 0) {
                total += spent; // the first is the warm-up
            } else {
                System.out.printf("reconcile timer: the first tick (reads every period file, and the one its sweep"
                        + " begins in, whole; the JIT still warming) %.0f ms of CPU%n", spent / 1e6);
            }
        }
        double mean = total / (double) ticks;
        System.out.printf("reconcile timer: a tick (slice of %d + %d changed) %.0f ms of CPU = %.2f%% of one core at a tick"
                + " a minute%n", sweep.sliceSize(), changed, mean / 1e6, 100.0 * mean / schedule.period().toNanos());
    }

    /** A full {@code reconcile} as the command runs it with the service stopped: under the folder's lock, at rest. */
    private void fullReconcile() throws IOException {
        long t0 = System.nanoTime();
        ReconcileReport report;
        try (DataDirLock lock = DataDirLock.acquire(dir)) {
            report = new Reconciler(new FileSystemStorage(), new DataLayout(dir), SETTINGS.zone()).reconcile(Reconciler.Mode.AT_REST);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!report.agrees()) {
            throw new IllegalStateException("the benchmark's ledger does not reconcile: " + report.differences());
        }
        System.out.printf("full reconcile: %.1f s (%,d invoices)%n", seconds, report.invoices());
    }

    /**
     * One render of the ledger as the writer renders it, from the snapshot parsed back from ledger.qmd
     * (the same rows and totals the projection holds); it must give the file's bytes again.
     */
    private void render() throws IOException {
        Path ledger = new DataLayout(dir).ledger();
        byte[] written = Files.readAllBytes(ledger);
        ParsedLedger parsed = LedgerParser.parse(ledger.getFileName().toString(), written);
        if (!parsed.intact()) {
            throw new IllegalStateException("ledger.qmd does not parse back: " + parsed.faults());
        }
        LedgerSnapshot snapshot = parsed.content();
        long open = snapshot.rows().entrySet().stream().filter(e -> e.getKey().isOpen()).mapToLong(e -> e.getValue().size()).sum();
        long all = snapshot.rows().values().stream().mapToLong(List::size).sum();
        long[] nanos = new long[3];
        byte[] rendered = null;
        for (int run = 0; run < nanos.length; run++) {
            long t0 = System.nanoTime();
            rendered = LedgerRenderer.render(snapshot);
            nanos[run] = System.nanoTime() - t0;
        }
        if (!Arrays.equals(rendered, written)) {
            throw new IllegalStateException("a render of the parsed ledger differs from ledger.qmd");
        }
        Arrays.sort(nanos);
        double millis = nanos[1] / 1e6;
        System.out.printf("render: %.0f ms (median of 3) for %,d rows (%,d open: Unpaid, Escalated), %,d bytes:"
                        + " %.2f ms per 1,000 open invoices, %.2f ms per 1,000 rows%n", millis, all, open, written.length,
                millis * 1000 / Math.max(1, open), millis * 1000 / Math.max(1, all));
        // LEDGER PERIODS: once the ledger is split into period files, render the open file and one period here.
        System.out.printf("  (sections: %s)%n", Arrays.stream(LedgerSection.values())
                .map(s -> s.heading() + " " + snapshot.rows().get(s).size()).toList());
    }
}
