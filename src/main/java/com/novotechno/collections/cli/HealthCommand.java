package com.novotechno.collections.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.health.HttpSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * An exec probe (systemd, Kubernetes, a load balancer's script): asks the running service's health
 * endpoint on 127.0.0.1:collections.http.port and exits 0 when it answers healthy, 1 otherwise.
 */
@Command(name = "health", mixinStandardHelpOptions = true, description = {
        "Asks the running service on this machine whether it is healthy, for exec probes.",
        "GET http://127.0.0.1:<collections.http.port>/health/ready (the default: the broker is up, every route"
                + " started, the store open), or /health/live with --live (the process and its store work). Prints a"
                + " one-line summary, then the service's JSON."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy", "1:unhealthy, or no answer (not running, collections.http.enabled=false, another"
                + " port)", "2:a usage error: --ready and --live together, or a bad configuration value"})
final class HealthCommand implements Callable<Integer> {

    /** The service's answer is a few KiB; anything longer is cut, so a wrong program on the port cannot flood the output. */
    static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

    @ParentCommand
    CollectionsCommand parent;

    @Spec
    CommandSpec spec;

    static final class Probe {
        @Option(names = "--ready", description = "Readiness (the default).")
        boolean ready;

        @Option(names = "--live", description = "Liveness: the process and its store work.")
        boolean live;
    }

    @ArgGroup(exclusive = true)
    Probe probe;

    @Override
    public Integer call() {
        HttpSettings http = httpSettings();
        boolean live = probe != null && probe.live;
        String what = live ? "live" : "ready";
        String url = http.url("/health/" + what);
        if (!http.enabled()) {
            spec.commandLine().getErr().println("health: the service's HTTP server is off (" + Settings.HTTP_ENABLED
                    + "=false here), so there is nothing to ask");
            return CollectionsCommand.EXIT_FAULT;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_TIMEOUT).GET().build();
        int status;
        String body;
        try {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = readWithin(response.body(), deadline);
            if (body == null) {
                spec.commandLine().getErr().println("health: no whole answer from " + url + " within "
                        + ANSWER_TIMEOUT.toSeconds() + " s (HTTP " + status + ", its body still coming); is another program on "
                        + Settings.HTTP_PORT + "=" + http.port() + "?");
                return CollectionsCommand.EXIT_FAULT;
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("health: no answer from " + url + ": " + reason(e)
                    + "; is the service running on this machine with " + Settings.HTTP_PORT + "=" + http.port() + "?");
            return CollectionsCommand.EXIT_FAULT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spec.commandLine().getErr().println("health: interrupted while asking " + url);
            return CollectionsCommand.EXIT_FAULT;
        }
        String reported = reportedStatus(body);
        if (reported == null) {
            spec.commandLine().getErr().println("health: " + what + " DOWN: HTTP " + status + " from " + url
                    + " is not the service's answer (a JSON object with a status); is another program on "
                    + Settings.HTTP_PORT + "=" + http.port() + "?");
            return CollectionsCommand.EXIT_FAULT;
        }
        boolean healthy = status == 200 && reported.equals("UP");
        spec.commandLine().getOut().println("health: " + what + " " + (healthy ? "UP" : "DOWN") + " (HTTP " + status
                + " from " + url + ")");
        spec.commandLine().getOut().println(body.strip());
        return healthy ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
    }

    /**
     * The body, at most {@link #MAX_ANSWER_BYTES}, read by the deadline: the request's timeout bounds the wait for
     * the headers only, and a program that sends them and then drips its body would hold the probe forever.
     * Null when the deadline passed (the stream is closed, which ends the read).
     */
    private static String readWithin(InputStream in, long deadline) throws IOException, InterruptedException {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                read.complete(in.readNBytes(MAX_ANSWER_BYTES));
            } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
            }
        }, "health-answer");
        reader.setDaemon(true);
        reader.start();
        try (in) {
            return new String(read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS),
                    StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** The status the service's JSON names ({"status":"UP",...}); null for anything else, another program's answer. */
    private static String reportedStatus(String body) {
        try {
            JsonNode json = new ObjectMapper().readTree(body);
            return json != null && json.isObject() && json.path("status").isTextual() ? json.get("status").textValue() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The port and whether the server runs, from the configuration as the service reads it; a bad value is a usage error. */
    private HttpSettings httpSettings() {
        Settings settings = parent.settings(spec, new DataDirOption());
        try {
            return HttpSettings.of(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** java.net.http says "null" for a refused connection: the exception's kind is the reason then. */
    private static String reason(IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage()
                : (e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName());
    }
}
