package com.novotechno.collections.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.cli.CollectionsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as operators run it: {@code run} in a child JVM on a data folder, its output in
 * {@code <work>/<name>.out} and {@code .err}, and the commands run beside it as an operator types them.
 */
public final class ServiceProcess {

    /** A start on a loaded 2-core machine takes a few seconds; this is its limit, not its expectation. */
    public static final Duration START = Duration.ofSeconds(60);
    private static final String RUNNING = "run: the service is running";

    private ServiceProcess() {
    }

    /** Launches {@code run} with the embedded broker on {@code port}, without waiting for it to be up. */
    public static Process launch(Path work, String name, Path data, int port, String... settings) throws IOException {
        // The health server too on a free port: never on the default 9090, which another test or build may hold.
        List<String> args = new ArrayList<>(List.of("run", "--data-dir", data.toString(), "--collections.broker.port=" + port,
                "--collections.http.port=" + RunningService.freePort()));
        args.addAll(List.of(settings));
        return JavaProcess.builder(CollectionsCommand.class, args.toArray(String[]::new))
                .redirectOutput(work.resolve(name + ".out").toFile())
                .redirectError(work.resolve(name + ".err").toFile())
                .start();
    }

    /** Launches {@code run} and waits until it says it is running; fails, with its error output, if it died first. */
    public static Process start(Path work, String name, Path data, int port, String... settings) throws IOException {
        Process process = launch(work, name, data, port, settings);
        awaitRunning(work, name, process);
        return process;
    }

    public static void awaitRunning(Path work, String name, Process process) throws IOException {
        await().atMost(START).until(() -> !process.isAlive() || saysRunning(work, name));
        assertThat(process.isAlive()).as(errorOutput(work, name)).isTrue();
    }

    public static boolean saysRunning(Path work, String name) throws IOException {
        Path out = work.resolve(name + ".out");
        return Files.exists(out) && Files.readString(out).contains(RUNNING);
    }

    public static String errorOutput(Path work, String name) throws IOException {
        Path err = work.resolve(name + ".err");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    /** Starts a command ({@code verify}, {@code reconcile}, ...) on the folder; its output in {@code <work>/<command>.out}. */
    public static Process command(Path work, String command, Path data, String... settings) throws IOException {
        List<String> args = new ArrayList<>(List.of(command, "--data-dir", data.toString()));
        args.addAll(List.of(settings));
        return JavaProcess.builder(CollectionsCommand.class, args.toArray(String[]::new))
                .redirectErrorStream(true).redirectOutput(work.resolve(command + ".out").toFile()).start();
    }

    /** Runs a command to its end and returns its exit code; its output stays in {@code <work>/<command>.out}. */
    public static int exitOf(Path work, String command, Path data, String... settings) throws IOException, InterruptedException {
        Process process = command(work, command, data, settings);
        assertThat(process.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as(command + " ended").isTrue();
        return process.exitValue();
    }

    /** Lines in the folder's event log; 0 before it exists. */
    public static long logEntries(Path data) throws IOException {
        Path log = data.resolve("events.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.count();
        }
    }
}
