package com.novotechno.collections.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErasureSweepTest {

    private static final String EMAIL = "zoë@example.com";
    /** A quoted local part: JSON writes its quotes escaped. */
    private static final String QUOTED_EMAIL = "\"zoë\"@example.com";
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final ObjectMapper JACKSON_ASCII = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    @TempDir
    Path dataDir;

    private DataLayout layout;
    private ErasureSweep sweep;

    private void setUp() {
        layout = new DataLayout(dataDir);
        sweep = new ErasureSweep(new FileSystemStorage(), layout);
    }

    @Test
    void removesTheClientsFilesAndTheFilesQuotingItsDataAndLeavesTheRest() throws Exception {
        setUp();
        // (a) the client's own messages and requests, wherever its e-mail is or is not
        write("processed/inv-1.json", json(Map.of("type", "invoice.issued", "client", "acme", "invoice_number", "1", "contact_email", EMAIL)));
        write("processed/2026/pay-1.json", json(Map.of("type", "payment.received", "client", "acme", "invoice_number", "1")));
        write("outbox/dun-acme.json", json(Map.of("type", "reminder.requested", "client", "acme", "contact_email", EMAIL)));
        // (b) another file that quotes the address: raw UTF-8 inside a file that is not JSON
        write("rejected/broken.json", utf8("{\"client\": \"acme\", contact_email: " + EMAIL + " <- not JSON"));
        write("rejected/broken.json.error.json", json(Map.of("file", "broken.json", "reason", "not valid JSON")));
        // (b) escaped by Jackson's ESCAPE_NON_ASCII in a report that does not parse (so only its bytes
        // are searched); takes the file it reports on along (a message without a client)
        write("rejected/other.json", json(Map.of("invoice_number", "9")));
        write("rejected/other.json.error.json", concat(utf8("cut: "), JACKSON_ASCII.writeValueAsBytes(Map.of("reason", "bounced: " + EMAIL))));
        // (b) an address with quotes escaped by Jackson's default writer, in an alert of no client that does not parse
        write("alerts/dunning.20260301T090000.000Z.json",
                concat(utf8("cut: "), JACKSON.writeValueAsBytes(Map.of("type", "dunning.alert", "note", "to " + QUOTED_EMAIL))));
        // (b) escaped in a way no byte form foresees (an ASCII letter as a backslash-u escape): found in the parsed JSON
        write("alerts/dunning.20260301T090001.000Z.json",
                utf8("{\"type\":\"dunning.alert\",\"troubles\":[{\"client\":\"zeta\",\"detail\":\"zo\\u00eb@\\u0065xample.com\"}]}"));

        // Kept: another client's files (even holding the address: decided by their top-level client), a client field
        // below the top level, the log, state, inbox, the keys
        write("processed/beta-1.json", json(Map.of("type", "invoice.issued", "client", "beta", "contact_email", "b@beta.example")));
        write("processed/zeta-2.json", utf8("{\"client\":\"zeta\",\"contact_email\":\"zo\\u00eb@\\u0065xample.com\"}"));
        write("processed/acme-quoted.json", utf8("{\"client\":\"beta\",\"previous\":{\"client\":\"acme\"}}"));
        write("rejected/fine.json", json(Map.of("client", "beta")));
        write("rejected/fine.json.error.json", json(Map.of("reason", "duplicate")));
        write("alerts/reconcile.json", json(Map.of("type", "reconcile.alert", "note", "acme differs")));
        write("events.log", utf8("{\"client\":\"acme\",\"contact_email\":\"" + EMAIL + "\"}\n"));
        write("state/open/acme/1.json", json(Map.of("client", "acme", "contact_email", EMAIL)));
        write("inbox/late.json", json(Map.of("client", "acme")));
        Map<Path, byte[]> keptBefore = contents(List.of("processed/beta-1.json", "processed/zeta-2.json", "processed/acme-quoted.json", "rejected/fine.json",
                "rejected/fine.json.error.json", "alerts/reconcile.json", "events.log", "state/open/acme/1.json", "inbox/late.json"));

        List<Path> removed = sweep.sweep("acme", List.of(EMAIL, QUOTED_EMAIL));

        assertThat(removed).containsExactlyInAnyOrder(
                Path.of("processed/inv-1.json"), Path.of("processed/2026/pay-1.json"), Path.of("outbox/dun-acme.json"),
                Path.of("rejected/broken.json"), Path.of("rejected/broken.json.error.json"),
                Path.of("rejected/other.json"), Path.of("rejected/other.json.error.json"),
                Path.of("alerts/dunning.20260301T090000.000Z.json"), Path.of("alerts/dunning.20260301T090001.000Z.json"));
        for (Path gone : removed) {
            assertThat(dataDir.resolve(gone)).doesNotExist();
        }
        assertThat(contents(keptBefore.keySet().stream().map(p -> dataDir.relativize(p).toString()).toList()))
                .containsExactlyInAnyOrderEntriesOf(keptBefore);
        assertThat(allFiles()).hasSize(keptBefore.size());

        assertThat(sweep.sweep("acme", List.of(EMAIL, QUOTED_EMAIL))).isEmpty(); // again: nothing left
    }

    @Test
    void findsAddressesWrittenWithLowerCaseEscapesBehindBrokenJson() throws Exception {
        setUp();
        // Python's json.dumps escapes non-ASCII with lower-case hex; the garbage in front defeats the JSON parse.
        write("processed/py.txt", utf8("garbage {\"to\": \"zo\\u00ebx@example.com\"}"));
        write("processed/other.txt", utf8("garbage {\"to\": \"zo\\u00ebx@example.org\"}"));
        assertThat(sweep.sweep("acme", List.of("zoëx@example.com"))).containsExactly(Path.of("processed/py.txt"));
        assertThat(dataDir.resolve("processed/other.txt")).exists();
    }

    @Test
    void scansAFileBeyondTheJsonLimitToItsEnd() throws Exception {
        setUp();
        int size = ErasureSweep.MAX_JSON_BYTES + 3 * PersonalStrings.CHUNK_BYTES;
        byte[] big = new byte[size];
        Arrays.fill(big, (byte) 'x');
        byte[] tail = utf8(" " + EMAIL + " ");
        System.arraycopy(tail, 0, big, size - tail.length - 1, tail.length);
        write("rejected/huge.json", big);
        byte[] clean = new byte[size];
        Arrays.fill(clean, (byte) 'x');
        write("rejected/huge-clean.json", clean);

        assertThat(sweep.sweep("acme", List.of(EMAIL))).containsExactly(Path.of("rejected/huge.json"));
        assertThat(dataDir.resolve("rejected/huge-clean.json")).hasSize(size);
    }

    @Test
    void stringsTooShortToNameAnyoneAreIgnored() throws Exception {
        setUp();
        write("processed/a.json", json(Map.of("client", "beta", "reason", "late")));
        assertThat(sweep.sweep("acme", List.of("late", "    ", ""))).isEmpty();
        assertThat(dataDir.resolve("processed/a.json")).exists();
    }

    @Test
    void symbolicLinksAndSpecialFilesAreNeitherFollowedNorRemoved(@TempDir Path outside) throws Exception {
        setUp();
        Path target = outside.resolve("acme.json");
        Files.write(target, json(Map.of("client", "acme", "contact_email", EMAIL)));
        Path outsideFolder = Files.createDirectory(outside.resolve("folder"));
        Files.write(outsideFolder.resolve("inner.json"), json(Map.of("client", "acme")));
        Files.createDirectories(layout.processed());
        Path fileLink = Files.createSymbolicLink(layout.processed().resolve("link.json"), target);
        Path folderLink = Files.createSymbolicLink(layout.alerts(), outsideFolder); // a swept folder itself
        Path subfolderLink = Files.createSymbolicLink(layout.processed().resolve("2026"), outsideFolder);
        Path fifo = layout.processed().resolve("pipe.json");
        boolean haveFifo = mkfifo(fifo);

        assertThat(sweepUnblockingFifo(fifo, haveFifo)).isEmpty();

        assertThat(Files.isSymbolicLink(fileLink)).isTrue();
        assertThat(Files.isSymbolicLink(folderLink)).isTrue();
        assertThat(Files.isSymbolicLink(subfolderLink)).isTrue();
        assertThat(target).exists();
        assertThat(outsideFolder.resolve("inner.json")).exists();
        if (haveFifo) {
            assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
        }
    }

    /**
     * A sweep that opened the FIFO would block in open(2) for ever, where no interrupt reaches it:
     * after a while a writer opens it, so the sweep ends and the test fails instead of hanging.
     */
    private List<Path> sweepUnblockingFifo(Path fifo, boolean haveFifo) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<List<Path>> result = thread.submit(() -> sweep.sweep("acme", List.of(EMAIL)));
            try {
                return result.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException blocked) {
                if (haveFifo) {
                    Files.newOutputStream(fifo).close();
                }
                result.get(20, TimeUnit.SECONDS);
                throw new AssertionError("the sweep blocked, on the FIFO it should have skipped");
            }
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void refusesAnInvalidClientAndTooManyStrings() {
        setUp();
        assertThatThrownBy(() -> sweep.sweep("../acme", List.of())).isInstanceOf(IllegalArgumentException.class);
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= PersonalStrings.MAX_STRINGS; i++) {
            many.add("person" + i + "@example.com");
        }
        assertThatThrownBy(() -> sweep.sweep("acme", many)).hasMessageContaining("more than the limit");
    }

    @Test
    void anOccurrenceAcrossAChunkBoundaryIsFound() throws IOException {
        String needle = "someone@example.com";
        PersonalStrings strings = new PersonalStrings(List.of(needle));
        for (int chunkEnd : new int[] {PersonalStrings.CHUNK_BYTES, 2 * PersonalStrings.CHUNK_BYTES}) {
            for (int at = chunkEnd - needle.length() - 2; at <= chunkEnd + PersonalStrings.LOOK_BACK_BYTES + needle.length() + 4; at++) {
                byte[] bytes = new byte[3 * PersonalStrings.CHUNK_BYTES];
                Arrays.fill(bytes, (byte) ' ');
                System.arraycopy(utf8(needle), 0, bytes, at, needle.length());
                assertThat(strings.foundIn(new ByteArrayInputStream(bytes))).as("at " + at).isTrue();
            }
        }
        byte[] none = new byte[3 * PersonalStrings.CHUNK_BYTES];
        Arrays.fill(none, (byte) ' ');
        System.arraycopy(utf8(needle), 1, none, PersonalStrings.CHUNK_BYTES - 5, needle.length() - 1); // all but its first byte
        assertThat(strings.foundIn(new ByteArrayInputStream(none))).isFalse();
    }

    @Test
    void theEscapedFormsAreWhatJacksonWrites() throws Exception {
        String text = "q\" b\\ t\t c\u0001 é 😀 /";
        assertThat(JACKSON.writeValueAsString(text)).isEqualTo("\"" + PersonalStrings.jsonEscaped(text, true, false) + "\"");
        assertThat(JACKSON_ASCII.writeValueAsString(text)).isEqualTo("\"" + PersonalStrings.jsonEscaped(text, true, true) + "\"");
    }

    private void write(String relative, byte[] content) throws IOException {
        Path file = dataDir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private Map<Path, byte[]> contents(List<String> relatives) throws IOException {
        Map<Path, byte[]> contents = new TreeMap<>();
        for (String relative : relatives) {
            contents.put(dataDir.resolve(relative), Files.readAllBytes(dataDir.resolve(relative)));
        }
        return contents;
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static byte[] json(Map<String, String> fields) throws IOException {
        ObjectNode node = JACKSON.createObjectNode();
        new TreeMap<>(fields).forEach(node::put);
        return JACKSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** False where mkfifo is missing: the FIFO part of a test is then skipped. */
    private static boolean mkfifo(Path path) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && Files.exists(path);
        } catch (IOException noMkfifo) {
            return false;
        }
    }
}
