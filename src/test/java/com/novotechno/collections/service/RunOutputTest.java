package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} writes when its output is not a terminal (a file, a pipe, a journal), as operators read it. */
class RunOutputTest {

    private static final String MAC_KEY_NOTICE = "made the MAC key ";

    @TempDir
    Path work;

    @Test
    void aTakenBrokerPortIsOneLineNamingTheOptionAndNoStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Process service = ServiceProcess.launch(work, "taken", work.resolve("data"), port);
            assertThat(service.waitFor(ServiceProcess.START.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(service.exitValue()).isEqualTo(1);
            assertThat(errorLines("taken")).containsExactly("run: port " + port + " on 127.0.0.1 is taken by another program;"
                    + " choose another with --collections.broker.port=N");
        }
    }

    @Test
    void theLogHasNoEscapeCodeOffATerminalAndALineForEveryReconciliation() throws Exception {
        Process service = ServiceProcess.start(work, "text", work.resolve("data"), RunningService.freePort(),
                "--collections.reconcile.period=1s");
        try {
            await().atMost(ServiceProcess.START).until(() -> ServiceProcess.errorOutput(work, "text").contains("reconcile: run 2 in "));
        } finally {
            stop(service);
        }
        String log = ServiceProcess.errorOutput(work, "text");
        assertThat(log + Files.readString(work.resolve("text.out"))).doesNotContain("\u001b");
        assertThat(log).containsPattern("(?m)^\\S+ INFO ReconcileCheck - reconcile: run 1 in \\d+ ms: agree; compared ledger.qmd"
                + " at log seq 0 .* and 0 state files of 0 invoices: ")
                .contains("run: stopped cleanly");
    }

    @Test
    void jsonLogLinesAreOneObjectEachBesideTheCommandsOwnLines() throws Exception {
        Process service = ServiceProcess.start(work, "json", work.resolve("data"), RunningService.freePort(),
                "--collections.reconcile.period=1s", "--collections.log.format=json");
        try {
            await().atMost(ServiceProcess.START).until(() -> ServiceProcess.errorOutput(work, "json").contains("reconcile: run 1 in "));
        } finally {
            stop(service);
        }
        ObjectMapper json = new ObjectMapper();
        List<String> events = errorLines("json").stream().filter(line -> !line.startsWith("run: ")).toList();
        assertThat(events).isNotEmpty();
        for (String line : events) {
            assertThatCode(() -> json.readTree(line)).as("a line that is not one JSON object: %s", line).doesNotThrowAnyException();
            JsonNode event = json.readTree(line);
            assertThat(event.path("log.level").asText()).as(line).isNotEmpty();
            assertThat(event.path("message").asText()).as(line).isNotEmpty();
        }
        assertThat(events).anySatisfy(line -> assertThat(json.readTree(line).get("log.logger").asText())
                .isEqualTo("com.novotechno.collections.service.CollectionsService"));
    }

    private static void stop(Process service) throws InterruptedException {
        service.destroy(); // SIGTERM
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).isZero();
    }

    /** Standard error but the notice of a MAC key made at the folder's first start. */
    private List<String> errorLines(String name) throws IOException {
        return ServiceProcess.errorOutput(work, name).lines().filter(line -> !line.startsWith(MAC_KEY_NOTICE)).toList();
    }
}
