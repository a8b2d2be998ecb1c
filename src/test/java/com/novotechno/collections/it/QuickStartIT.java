package com.novotechno.collections.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.testing.RunningService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, on the shaded jar as built by 'package' (so the merged service files
 * Camel needs are checked too), run from another working directory: start, drop a file from
 * examples/ in the inbox, submit the others, read status and the ledger, stop with SIGTERM.
 */
class QuickStartIT {

    private static final Path JAR = Path.of("target", "novotechno-collections.jar").toAbsolutePath();
    private static final Path EXAMPLES = Path.of("examples").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void theQuickStartWorksOnTheShadedJarFromAnyFolder() throws Exception {
        String port = "--collections.broker.port=" + RunningService.freePort();
        Path data = work.resolve("data");
        Process service = java("run", port, "--collections.http.port=" + RunningService.freePort()).redirectOutput(work.resolve("run.out").toFile())
                .redirectError(work.resolve("run.err").toFile()).start();
        try {
            await().atMost(WAIT).until(() -> !service.isAlive()
                    || Files.readString(work.resolve("run.out")).contains("run: the service is running"));
            assertThat(service.isAlive()).as(Files.readString(work.resolve("run.err"))).isTrue();

            Files.copy(EXAMPLES.resolve("01-invoice-issued.json"), data.resolve("inbox").resolve("01-invoice-issued.json"));
            await().atMost(WAIT).until(() -> Files.exists(data.resolve("processed").resolve("01-invoice-issued.json")));

            assertThat(run("submit", port, EXAMPLES.resolve("02-payment-partial.json").toString(),
                    EXAMPLES.resolve("03-payment-final.json").toString(), EXAMPLES.resolve("batch.jsonl").toString()))
                    .startsWith("submit: 5 sent to collections.invoices, 0 not sent");
            await().atMost(WAIT).until(() -> Files.exists(data.resolve("state/archive/ACME/INV-2026-001.json")));
            await().atMost(WAIT).until(() -> Files.readAllLines(data.resolve("events.log")).size() == 6);

            JsonNode status = new ObjectMapper().readTree(run("status", "--json"));
            assertThat(status.at("/invoices/paid").asLong()).isEqualTo(1);
            assertThat(status.at("/sections/paid/totals/USD/amount").asText()).isEqualTo("1000.00");
            assertThat(status.at("/sections/escalated/totals/EUR/balance").asText()).isEqualTo("2500.00");
        } finally {
            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(service.exitValue()).as(Files.readString(work.resolve("run.err"))).isZero();
        assertThat(Files.readString(data.resolve("ledger.qmd"))).contains("`INV-2026-001`").contains("`7781`");
        // JSON lines need the layout plugin that shading must keep beside log4j-core's: a lost one fails the command.
        assertThat(run("verify", "--collections.log.format=json")).startsWith("verify: intact");
        assertThat(run("reconcile")).startsWith("reconcile: the ledger agrees");
    }

    /** The jar as the README runs it, in the test's folder, so its ./data is the test's. */
    private ProcessBuilder java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(work.toFile());
    }

    private String run(String... args) throws IOException, InterruptedException {
        Process process = java(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
