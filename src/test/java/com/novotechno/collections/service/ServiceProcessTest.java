package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.cli.CollectionsCommand;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.testing.JavaProcess;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceProcess;
import com.novotechno.collections.testing.Stores;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as operators run it: a real process, stopped with a real SIGTERM. */
class ServiceProcessTest {

    private static final Duration START = ServiceProcess.START;

    @TempDir
    Path work;

    @Test
    void sigtermStopsGracefullyWithMessagesInFlightAndLosesNone() throws Exception {
        Path data = work.resolve("data");
        int port = RunningService.freePort();
        Process service = startService(data, port, "service");
        int queued = 600; // enough that even a fast disk is still working through them at the SIGTERM
        int files = 20;
        loadAndAwaitProgress(data, port, queued, files, 10);
        service.destroy(); // SIGTERM, while the queue is being worked through
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(work.resolve("service.err"));
        assertThat(service.exitValue()).as(stderr).isZero();
        assertThat(stderr).contains("run: stopped cleanly");

        // The lock is released, the ledger flushed up to the log's last entry, and everything intact.
        long applied = logEntries(data);
        assertThat(applied).isLessThan(queued + files);
        assertThat(LedgerParser.parse("ledger.qmd", Files.readAllBytes(data.resolve("ledger.qmd"))).content().lastSeq())
                .isEqualTo(applied);
        assertThat(ServiceProcess.exitOf(work, "verify", data)).isZero();
        assertThat(ServiceProcess.exitOf(work, "reconcile", data)).isZero();

        // What was not applied is still queued or in the inbox: the next start applies it, once.
        try (RunningService restarted = RunningService.start(data)) {
            await().atMost(START).until(() -> logEntries(data) == queued + files);
            assertThat(restarted.receive("collections.invoices.DLQ", Duration.ofMillis(200))).isEmpty();
        }
        assertThat(Stores.stateFiles(data)).hasSize(queued + files);
    }

    @Test
    void killNineMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        Path data = work.resolve("data");
        int port = RunningService.freePort();
        Process service = startService(data, port, "killed");
        int queued = 200;
        int files = 40;
        loadAndAwaitProgress(data, port, queued, files, 20);
        service.destroyForcibly(); // SIGKILL: no hook, no flush, mid-apply
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(logEntries(data)).isLessThan(queued + files);

        // Every file not yet moved is still in the inbox, every message not yet committed still queued.
        try (RunningService restarted = RunningService.start(data)) {
            await().atMost(START).until(() -> logEntries(data) == queued + files
                    && isEmptyDirectory(data.resolve("inbox")));
            assertThat(restarted.receive("collections.invoices.DLQ", Duration.ofMillis(200))).isEmpty();
            assertThat(data.resolve("rejected")).isEmptyDirectory();
        }
        assertThat(Stores.stateFiles(data)).hasSize(queued + files);
        try (var processed = Files.list(data.resolve("processed"))) {
            // A file applied just before the kill and read again after it is kept twice, never lost.
            assertThat(processed.count()).isGreaterThanOrEqualTo(files);
        }
        assertThat(ServiceProcess.exitOf(work, "verify", data)).isZero();
        assertThat(ServiceProcess.exitOf(work, "reconcile", data)).isZero();
    }

    @Test
    void aSecondServiceOnTheSameFolderRefusesAndTheFirstGoesOn() throws Exception {
        Path data = work.resolve("data");
        int port = RunningService.freePort();
        Process first = startService(data, port, "first");
        try {
            Process second = JavaProcess.builder(CollectionsCommand.class, "run", "--data-dir", data.toString(),
                            "--collections.broker.port=" + RunningService.freePort())
                    .redirectErrorStream(true).start();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("is in use by pid " + first.pid());

            Files.write(data.resolve("inbox").resolve("after.json"), Messages.issued("a1", "ACME", "A-1", "1.00", "USD"));
            await().atMost(START).until(() -> Files.exists(data.resolve("processed").resolve("after.json")));
        } finally {
            first.destroy();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(first.exitValue()).isZero();
    }

    /** Queues messages and drops files for a running service, and waits until it is partway through them. */
    private static void loadAndAwaitProgress(Path data, int port, int queued, int files, long partway) throws Exception {
        sendIssued(data, port, queued);
        for (int i = 0; i < files; i++) {
            Files.write(data.resolve("inbox").resolve("f" + i + ".json"), Messages.issued("f" + i, "ACME", "F-" + i, "5.00", "USD"));
        }
        await().atMost(START).until(() -> logEntries(data) > partway);
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void sendIssued(Path data, int port, int count) throws Exception {
        try (Connection connection = RunningService.connect(data, port, BrokerCredentials.PRODUCER)) {
            // One transaction: the queue fills at once, so the service is still working through it when the test
            // stops it, however fast the disk (sent one by one, each send's fsync let the service keep pace).
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue("collections.invoices"));
            for (int i = 0; i < count; i++) {
                producer.send(session.createTextMessage(new String(
                        Messages.issued("q" + i, "ACME", "Q-" + i, "10.00", "USD"), StandardCharsets.UTF_8)));
            }
            session.commit();
        }
    }

    private Process startService(Path data, int port, String name) throws IOException {
        // Dunning decides nothing for these invoices (due early in 2026), so the log holds the messages alone.
        return ServiceProcess.start(work, name, data, port, "--collections.dunning.schedule=" + RunningService.NO_DUNNING_SCHEDULE);
    }

    private static long logEntries(Path data) throws IOException {
        return ServiceProcess.logEntries(data);
    }
}
