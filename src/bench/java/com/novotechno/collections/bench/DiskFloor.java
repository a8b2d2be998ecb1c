package com.novotechno.collections.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the disk allows, measured in the benchmark's own temp folder in the same run, so that every
 * figure can be read as a ratio to it:
 * <ul>
 * <li>fsyncs per second: a loop appending a 120-byte line to one file and forcing it
 *     ({@code FileChannel.force(false)}, an fdatasync, as the event log does), for a fixed time,
 *     with 1 thread and with N threads sharing the file. One fsync per event is the best a
 *     store can do without sharing fsyncs between writers.</li>
 * <li>the state-file floor: creating a small file (300 bytes) under a temp name and renaming it
 *     to its final name, without any fsync, for as many files as the run has events, spread over
 *     50 client folders as state files are, after an untimed warm-up of 10,000 files.</li>
 * </ul>
 */
final class DiskFloor {

    private static final long FSYNC_LOOP_NANOS = 2_000_000_000L;
    private static final int WARM_UP_FILES = 10_000;

    private DiskFloor() {
    }

    /** Appends and forces for two seconds with {@code threads} writers on one file. */
    static Workload.Figures fsyncs(Path folder, int threads) throws Exception {
        Path file = folder.resolve("fsync-floor-" + threads + ".log");
        byte[] line = ("{\"seq\":0,\"floor\":\"" + "x".repeat(90) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<long[]>> work = new ArrayList<>();
            long started = System.nanoTime();
            long deadline = started + FSYNC_LOOP_NANOS;
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    long[] latencies = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        long start = System.nanoTime();
                        channel.write(ByteBuffer.wrap(line));
                        channel.force(false);
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - start;
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> future : work) {
                all.add(future.get());
            }
            long elapsed = System.nanoTime() - started;
            pool.shutdown();
            long[] latencies = all.stream().flatMapToLong(Arrays::stream).toArray();
            return Workload.Figures.of(latencies, elapsed);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Creates {@code files} small files under a temp name and renames each to its final name, no fsync. */
    static Workload.Figures createAndRename(Path folder, int files) throws IOException {
        Path root = Files.createDirectories(folder.resolve("file-floor"));
        byte[] body = ("{\"state\":\"" + "y".repeat(280) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        try {
            for (int c = 0; c < 50; c++) {
                Files.createDirectories(root.resolve("client" + c));
            }
            // Untimed warm-up: until the JIT has compiled the file-system calls (some 6,000 files here)
            // this loop runs at 3,000-7,000 files/s instead of 15,000-23,000, a floor of the CPU, not of the disk.
            createAndRename(root, body, "warm-", WARM_UP_FILES, new long[WARM_UP_FILES]);
            long[] latencies = new long[files];
            long started = System.nanoTime();
            createAndRename(root, body, "INV-", files, latencies);
            return Workload.Figures.of(latencies, System.nanoTime() - started);
        } finally {
            Workload.deleteTree(root);
        }
    }

    private static void createAndRename(Path root, byte[] body, String prefix, int files, long[] latencies) throws IOException {
        for (int i = 0; i < files; i++) {
            long start = System.nanoTime();
            Path dir = root.resolve("client" + (i % 50));
            Path tmp = dir.resolve(prefix + i + ".json.tmp");
            Files.write(tmp, body, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, dir.resolve(prefix + i + ".json"), StandardCopyOption.ATOMIC_MOVE);
            latencies[i] = System.nanoTime() - start;
        }
    }
}
