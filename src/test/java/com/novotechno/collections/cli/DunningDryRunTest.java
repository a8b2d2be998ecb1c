package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dunning --dry-run: what a run on a date would request, and nothing changed. */
class DunningDryRunTest extends CommandLineRunner {

    /** A Monday: no skip day. */
    private static final String MONDAY = "2026-03-16";

    @TempDir
    Path temp;

    private Path data;


    private static String issued(String invoice, String amount, String dueOn, String contact) {
        String email = contact == null ? "" : ",\"contact_email\":\"" + contact + "\"";
        return new String(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i-%s\",\"client\":\"ACME\","
                + "\"invoice_number\":\"%s\",\"amount\":\"%s\",\"currency\":\"USD\",\"issued_on\":\"2026-01-01\","
                + "\"due_on\":\"%s\"%s}", invoice, invoice, amount, dueOn, email), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void fourOverdueInvoicesAndOnePaid() throws Exception {
        data = temp.resolve("data");
        Path messages = temp.resolve("m.jsonl");
        Files.writeString(messages, String.join("\n",
                issued("INV-1", "100.00", "2026-02-09", "ap@acme.example"), // 35 days: the reminder, 28 days late
                issued("INV-2", "200.00", "2026-02-09", null),              // no contact, 35 days: escalates
                issued("INV-3", "300.00", "2026-03-01", null),              // no contact, 15 days: nobody to remind
                issued("INV-4", "10.00", "2026-02-09", "ap@acme.example"),  // below the min balance
                issued("INV-5", "20.00", "2026-02-09", "ap@acme.example"),
                new String(Messages.payment("p5", "ACME", "INV-5", "20.00", "USD"), StandardCharsets.UTF_8)));
        assertThat(run("import", "--create", "--data-dir", data.toString(), messages.toString())).isZero();
    }

    private int dryRun(String... more) {
        String[] args = Stream.concat(Stream.of("dunning", "--dry-run", "--data-dir", data.toString(),
                "--collections.dunning.min-balance=50"), Stream.of(more)).toArray(String[]::new);
        return run(args);
    }

    private static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                String content = Files.isRegularFile(file)
                        ? Files.getLastModifiedTime(file) + " " + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                        : "folder";
                files.put(folder.relativize(file).toString(), content);
            }
        }
        return files;
    }

    @Test
    void itListsWhatARunOnThatDateWouldRequestPerInvoiceAndLevel() throws Exception {
        assertThat(dryRun("--as-of", MONDAY, "--json")).isZero();

        JsonNode plan = new ObjectMapper().readTree(out);
        assertThat(plan.get("as_of").asText()).isEqualTo(MONDAY);
        assertThat(plan.get("requests")).hasSize(2);
        JsonNode reminder = plan.get("requests").get(0);
        assertThat(reminder.get("invoice_number").asText()).isEqualTo("INV-1");
        assertThat(reminder.get("level").asText()).isEqualTo("reminder");
        assertThat(reminder.get("request_id").asText()).startsWith("dun-");
        assertThat(reminder.get("days_overdue").asInt()).isEqualTo(35);
        assertThat(reminder.get("late_by_days").asInt()).isEqualTo(28);
        assertThat(reminder.get("contact_email").asText()).isEqualTo("ap@acme.example");
        JsonNode escalation = plan.get("requests").get(1);
        assertThat(escalation.get("invoice_number").asText()).isEqualTo("INV-2");
        assertThat(escalation.get("level").asText()).isEqualTo("escalate");
        assertThat(escalation.get("late_by_days").asInt()).isEqualTo(5);
        assertThat(escalation.get("contact_email").isNull()).isTrue();
        assertThat(plan.at("/requests_per_level/reminder").asInt()).isEqualTo(1);
        assertThat(plan.at("/requests_per_level/final_notice").asInt()).isZero();
        assertThat(plan.at("/requests_per_level/escalate").asInt()).isEqualTo(1);
        assertThat(plan.at("/no_contact").asInt()).isEqualTo(1);
        assertThat(plan.at("/paused").asInt()).isZero();
        assertThat(plan.at("/below_min_balance").asInt()).isEqualTo(1);

        assertThat(dryRun("--as-of", MONDAY)).isZero();
        assertThat(out).startsWith("dunning dry run for " + MONDAY + " (UTC): 2 requests, nothing changed")
                .containsPattern("dun-\\w+ +reminder +35 +28 +ACME/INV-1 +ap@acme.example")
                .containsPattern("dun-\\w+ +escalate +35 +5 +ACME/INV-2 +-")
                .contains("no contact: 1 (ACME/INV-3), paused: 0, below min balance: 1");
    }

    @Test
    void itChangesNothing() throws Exception {
        Map<String, String> before = files(data);
        assertThat(dryRun("--as-of", MONDAY)).isZero();
        assertThat(dryRun("--as-of", MONDAY)).as("a second dry run plans the same").isZero();
        assertThat(out).contains("2 requests");
        assertThat(files(data)).isEqualTo(before);
    }

    @Test
    void itRunsBesideTheServiceWithoutTheFoldersLock() throws Exception {
        try (CollectionsStore running = Stores.open(data)) {
            assertThat(dryRun("--as-of", MONDAY)).as(err).isZero();
            assertThat(out).contains("2 requests");
        }
    }

    @Test
    void aSkipDaySaysSoAndRequestsNothing() {
        assertThat(dryRun("--as-of", "2026-03-14")).isZero();
        assertThat(out).contains("2026-03-14 is a SATURDAY, a skip day: no requests");
    }

    @Test
    void withoutAsOfItPlansForTodayInTheConfiguredZone() throws Exception {
        ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
        LocalDate before = LocalDate.now(kiritimati);
        assertThat(dryRun("--json", "--collections.time-zone=" + kiritimati)).isZero();
        assertThat(new ObjectMapper().readTree(out).get("as_of").asText())
                .isIn(before.toString(), LocalDate.now(kiritimati).toString());
    }

    @Test
    void anUnfinishedRebuildRefusesWithExitOne() throws Exception {
        Files.writeString(data.resolve("rebuild.inprogress"), "");
        assertThat(dryRun("--as-of", MONDAY)).isEqualTo(1);
        assertThat(err).contains("a rebuild of").contains("has not finished");
        assertThat(out).isEmpty();
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("dunning", "--data-dir", data.toString())).isEqualTo(2);
        assertThat(err).contains("--dry-run");
        assertThat(dryRun("--as-of", "tomorrow")).isEqualTo(2);
        assertThat(err).contains("--as-of").contains("tomorrow");
        assertThat(dryRun("--collections.dunning.schedule=7:reminder,3:final_notice")).isEqualTo(2);
        assertThat(err).contains("collections.dunning.schedule");
        assertThat(run("dunning", "--dry-run", "--data-dir", temp.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err).contains("no data folder at");
    }
}
