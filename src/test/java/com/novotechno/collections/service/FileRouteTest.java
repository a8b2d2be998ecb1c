package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import com.novotechno.collections.testing.StandardError;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file route, end to end: the real YAML route, the real inbox, the real store. */
class FileRouteTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A folder outside the data folder, which the service must never read. */
    @TempDir
    Path outside;

    @BeforeEach
    void start() throws Exception {
        running = RunningService.start(data);
    }

    @Test
    void anAcceptedFileIsAppliedAndMovesToProcessedWithItsBytes() throws Exception {
        byte[] message = Messages.issued("f1", "ACME", "INV-1", "1000.00", "USD");
        running.drop("invoice.json", message);

        Path processed = running.layout.processed().resolve("invoice.json");
        await().atMost(WAIT).until(() -> Files.exists(processed));
        assertThat(Files.readAllBytes(processed)).isEqualTo(message);
        assertThat(running.layout.inbox()).isEmptyDirectory();
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-1"))).hasValueSatisfying(state ->
                assertThat(state.balance().toPlainString()).isEqualTo("1000.00"));
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(1).first().asString().contains("\"f1\"");
        running.service.store().flushLedger();
        assertThat(Ledgers.rows(data, LedgerSection.UNPAID)).singleElement()
                .satisfies(row -> assertThat(row.key()).isEqualTo(new InvoiceKey("ACME", "INV-1")));
    }

    @Test
    void aRejectedFileMovesToRejectedWithItsReasonAndChangesNothing() throws Exception {
        running.drop("pay.json", Messages.escalated("p1", "ACME", "INV-404", "no reply"));

        Path errorFile = running.layout.rejected().resolve("pay.json.error.json");
        await().atMost(WAIT).until(() -> Files.exists(errorFile));
        JsonNode error = new ObjectMapper().readTree(errorFile.toFile());
        assertThat(error.get("message_id").asText()).isEqualTo("p1");
        assertThat(error.get("reason").asText()).isEqualTo("invoice ACME/INV-404 does not exist");
        assertThat(error.get("file").asText()).isEqualTo("pay.json");
        assertThat(error.get("time").asText()).isNotBlank();
        await().atMost(WAIT).until(() -> Files.exists(running.layout.rejected().resolve("pay.json")));
        assertThat(Files.size(running.layout.eventLog())).isZero();
        assertThat(Stores.stateFiles(data)).isEmpty();
    }

    @Test
    void aRejectionReportLeftAloneByACrashIsWrittenAnewWhenItsFileIsRetried() throws Exception {
        // A crash came after bad.json's report was written and before bad.json moved beside it.
        Path orphan = running.layout.rejected().resolve("bad.json.error.json");
        Files.writeString(orphan, "{\"reason\": \"from before the crash\"}");
        running.drop("bad.json", "{}".getBytes());

        await().atMost(WAIT).until(() -> Files.exists(running.layout.rejected().resolve("bad.json")));
        assertThat(reasonFor("bad")).isEqualTo("message_id: is required");
        try (Stream<Path> files = Files.list(running.layout.rejected())) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder("bad.json",
                    "bad.json.error.json");
        }
    }

    @Test
    void theRouteWritesNothingIntoTheInboxSoAKillLeavesNothingThere() throws Exception {
        // Camel's read lock marks a file it takes with <file>.camelLock beside it until the move: a SIGKILL then
        // left the marker for good (ServiceKillTest found four after 1,000 kills), an inbox never empty again.
        running.drop("invoice.json", Messages.issued("f1", "ACME", "INV-1", "1000.00", "USD"));
        Path processed = running.layout.processed().resolve("invoice.json");
        List<Path> seen = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
            try (Stream<Path> files = Files.list(running.layout.inbox())) {
                files.filter(file -> !file.getFileName().toString().equals("invoice.json")).forEach(seen::add);
            }
            return Files.exists(processed);
        });
        assertThat(seen).as("files the route wrote into the inbox").isEmpty();
    }

    @Test
    void theSameFileTwiceIsAppliedOnceAndBothCopiesAreKept() throws Exception {
        byte[] message = Messages.issued("f1", "ACME", "INV-1", "1000.00", "USD");
        running.drop("invoice.json", message);
        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("invoice.json")));
        running.drop("invoice.json", message);

        await().atMost(WAIT).until(() -> processedNames().size() == 2);
        assertThat(processedNames()).contains("invoice.json")
                .anySatisfy(name -> assertThat(name).matches("invoice\\.\\d{8}T\\d{6}\\.\\d{3}Z\\.json"));
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(1);
        assertThat(running.layout.rejected()).isEmptyDirectory();
    }

    @Test
    void oversizedDeeplyNestedAndBinaryFilesAreRejectedWithTheirReasons() throws Exception {
        Path big = running.layout.inbox().resolve(".big.json.tmp");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] chunk = new byte[1024 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            for (int i = 0; i < 8; i++) {
                out.write(chunk);
            }
        }
        Files.move(big, running.layout.inbox().resolve("big.json"));
        running.drop("deep.json", ("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes());
        byte[] binary = new byte[4096];
        new Random(42).nextBytes(binary);
        running.drop("binary.json", binary);

        await().atMost(WAIT).until(() -> Stream.of("big", "deep", "binary").allMatch(name ->
                Files.exists(running.layout.rejected().resolve(name + ".json.error.json"))));
        assertThat(reasonFor("big")).isEqualTo("message is larger than the limit of 65536 bytes");
        // Messages are flat objects: the parser streams, and stops at the first nested value it meets.
        assertThat(reasonFor("deep")).contains("a: must be a string or a number, found an array");
        assertThat(reasonFor("binary")).contains("not UTF-8 text");
        assertThat(Files.size(running.layout.eventLog())).isZero();
    }

    @Test
    void dotFilesAndTmpFilesAreNeverRead() throws Exception {
        byte[] message = Messages.issued("f1", "ACME", "INV-1", "1000.00", "USD");
        Files.write(running.layout.inbox().resolve(".hidden.json"), message);
        Files.write(running.layout.inbox().resolve("half-written.json.tmp"), message);
        running.drop("marker.json", Messages.issued("f2", "ACME", "INV-2", "5.00", "USD"));

        // The marker shows a poll went by; the other two are still there, untouched.
        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("marker.json")));
        assertThat(List.of(".hidden.json", "half-written.json.tmp"))
                .allMatch(name -> Files.exists(running.layout.inbox().resolve(name)));
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(1);
    }

    @Test
    void aFileTheInboxDoesNotReadIsWarnedAboutOnceWhilePollsGoBy() throws Exception {
        try (StandardError log = StandardError.capture()) {
            Files.write(running.layout.inbox().resolve("invoice-4711.txt"), Messages.issued("t1", "ACME", "INV-9", "1.00", "USD"));
            Files.write(running.layout.inbox().resolve("half-written.json.tmp"), new byte[] {'{'});
            running.drop("first.json", Messages.issued("f1", "ACME", "INV-1", "1.00", "USD"));
            await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("first.json")));
            // A later file shows more polls went by, each passing over the stray.
            running.drop("second.json", Messages.issued("f2", "ACME", "INV-2", "1.00", "USD"));
            await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("second.json")));

            assertThat(log.text().lines().filter(line -> line.contains("invoice-4711.txt")))
                    .singleElement().asString().contains("WARN", "inbox: invoice-4711.txt is not read and stays in the inbox",
                            "*.json");
            assertThat(log.text()).doesNotContain("half-written.json.tmp");
        }
        assertThat(running.layout.inbox().resolve("invoice-4711.txt")).exists();
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(2);
    }

    @Test
    void aFileWhoseMessageWasAppliedBeforeACrashIsRecognisedAndAppliedOnce() throws Exception {
        // As after a crash between the event becoming durable and the file leaving the inbox:
        // the message is in the log, and its file is still in the inbox when the service starts.
        byte[] message = Messages.issued("f1", "ACME", "INV-1", "1000.00", "USD");
        running.drop("a.json", message);
        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("a.json")));
        running.close();
        Files.move(running.layout.processed().resolve("a.json"), running.layout.inbox().resolve("a.json"));

        running = RunningService.start(data);
        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("a.json")));
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(1);
    }

    @Test
    void aFifoInTheInboxIsMovedToRejectedUnreadAndTheFilesAfterItAreApplied() throws Exception {
        Path fifo = running.layout.inbox().resolve("pipe.json");
        DataFolders.makeFifo(fifo);
        running.drop("after.json", Messages.issued("f1", "ACME", "INV-1", "5.00", "USD"));

        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("after.json")));
        await().atMost(WAIT).until(() -> Files.exists(running.layout.rejected().resolve("pipe.json.error.json")));
        assertThat(reasonFor("pipe")).isEqualTo("not a regular file but a FIFO (named pipe); it was not read");
        assertThat(Files.readAttributes(running.layout.rejected().resolve("pipe.json"), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
        assertThat(running.layout.inbox()).isEmptyDirectory();
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(1);
    }

    @Test
    void aSymbolicLinkInTheInboxIsMovedToRejectedWithoutFollowingIt() throws Exception {
        Files.write(outside.resolve("valid.json"), Messages.issued("s1", "ACME", "INV-9", "9.00", "USD"));
        Files.writeString(outside.resolve("secret.txt"), "SECRET-7f3a is not a message");
        Files.createSymbolicLink(running.layout.inbox().resolve("valid.json"), outside.resolve("valid.json"));
        Files.createSymbolicLink(running.layout.inbox().resolve("secret.json"), outside.resolve("secret.txt"));
        running.drop("after.json", Messages.issued("f1", "ACME", "INV-1", "5.00", "USD"));

        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("after.json")));
        await().atMost(WAIT).until(() -> Files.exists(running.layout.rejected().resolve("valid.json.error.json"))
                && Files.exists(running.layout.rejected().resolve("secret.json.error.json")));
        assertThat(reasonFor("valid")).isEqualTo("not a regular file but a symbolic link; it was not followed");
        assertThat(reasonFor("secret")).isEqualTo("not a regular file but a symbolic link; it was not followed");
        assertThat(Files.isSymbolicLink(running.layout.rejected().resolve("secret.json"))).isTrue();
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-9"))).isEmpty();
        assertThat(Files.readString(running.layout.eventLog())).doesNotContain("INV-9", "SECRET");
        try (Stream<Path> rejected = Files.list(running.layout.rejected())) {
            for (Path file : (Iterable<Path>) rejected::iterator) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    assertThat(Files.readString(file)).doesNotContain("SECRET", "INV-9");
                }
            }
        }
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("SECRET-7f3a is not a message");
    }

    @Test
    void aDirectoryNamedLikeAMessageIsMovedToRejectedWithItsReason() throws Exception {
        Path folder = Files.createDirectory(running.layout.inbox().resolve("folder.json"));
        Files.write(folder.resolve("inner.json"), Messages.issued("d1", "ACME", "INV-8", "8.00", "USD"));
        running.drop("after.json", Messages.issued("f1", "ACME", "INV-1", "5.00", "USD"));

        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("after.json")));
        await().atMost(WAIT).until(() -> Files.exists(running.layout.rejected().resolve("folder.json.error.json")));
        assertThat(reasonFor("folder")).isEqualTo("not a regular file but a directory; it was not read");
        assertThat(running.layout.rejected().resolve("folder.json").resolve("inner.json")).exists();
        assertThat(running.service.store().find(new InvoiceKey("ACME", "INV-8"))).isEmpty();
        assertThat(running.layout.inbox()).isEmptyDirectory();
    }

    private List<String> processedNames() throws IOException {
        try (Stream<Path> files = Files.list(running.layout.processed())) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private String reasonFor(String name) throws IOException {
        return new ObjectMapper().readTree(running.layout.rejected().resolve(name + ".json.error.json").toFile())
                .get("reason").asText();
    }
}
