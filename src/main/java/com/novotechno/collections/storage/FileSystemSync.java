package com.novotechno.collections.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/**
 * syncfs(2) for Java 17, which has no call for it: coreutils' {@code sync --file-system}
 * ({@code /usr/bin/sync} or {@code /bin/sync}). One
 * syncfs makes a batch of thousands of small files durable in tens of milliseconds, where an fsync
 * per file costs what an fsync of the log costs, each (measured: 10,000 files in 80-100 ms against
 * 2.5-3 s). A process start per checkpoint is cheap beside that.
 *
 * <p>Whether it works is found out once, by syncing the temporary folder; after that a failure is
 * a failure of the disk (syncfs reports write-back errors since Linux 5.8) and is thrown.
 */
final class FileSystemSync {

    private static final long TIMEOUT_SECONDS = 120;
    private static volatile Boolean available;

    private FileSystemSync() {
    }

    static boolean available() {
        Boolean known = available;
        if (known == null) {
            synchronized (FileSystemSync.class) {
                if (available == null) {
                    available = probe();
                }
                known = available;
            }
        }
        return known;
    }

    private static boolean probe() {
        try {
            run(List.of(Path.of(System.getProperty("java.io.tmpdir"))));
            return true;
        } catch (IOException | RuntimeException unavailable) {
            return false;
        }
    }

    /** Syncs each file system that holds one of the paths, once: paths are grouped by device. */
    static void sync(Collection<Path> changed) throws IOException {
        Map<Object, Path> oneByDevice = new LinkedHashMap<>();
        for (Path path : changed) {
            Path existing = path.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent(); // moved or removed since: its folder is on the same disk
            }
            if (existing != null) {
                oneByDevice.putIfAbsent(Files.getAttribute(existing, "unix:dev"), existing);
            }
        }
        if (!oneByDevice.isEmpty()) {
            run(new ArrayList<>(oneByDevice.values()));
        }
    }

    /** coreutils' own place, not whatever a PATH names first: the service runs no program a PATH could swap. */
    private static final List<String> PROGRAMS = List.of("/usr/bin/sync", "/bin/sync");

    private static void run(List<Path> paths) throws IOException {
        String program = PROGRAMS.stream().filter(candidate -> Files.isExecutable(Path.of(candidate))).findFirst()
                .orElseThrow(() -> new IOException("no sync program in " + PROGRAMS));
        List<String> command = new ArrayList<>(List.of(program, "--file-system", "--"));
        paths.forEach(path -> command.add(path.toString()));
        run(command, Duration.ofSeconds(TIMEOUT_SECONDS));
    }

    /**
     * Runs the command and fails when it fails or outlives the timeout. The output is read only once
     * it has exited: a read before would wait for its end, which a hung program never gives.
     */
    static void run(List<String> command, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            byte[] output = process.getInputStream().readNBytes(4096);
            if (process.exitValue() != 0) {
                throw new IOException(command.get(0) + " --file-system failed (exit " + process.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while syncing the file system", e);
        }
    }
}
