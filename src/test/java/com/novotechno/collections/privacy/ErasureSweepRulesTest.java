package com.novotechno.collections.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file goes: by the client it names (also nested, and in invoice keys), by an address (never another client's file). */
class ErasureSweepRulesTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final String SHARED = "books@accountant.example";

    @TempDir
    Path dataDir;

    private ErasureSweep sweep;

    @BeforeEach
    void setUp() {
        sweep = new ErasureSweep(new FileSystemStorage(), new DataLayout(dataDir));
    }

    @Test
    void alertsNamingTheClientOnlyNestedOrInTextGo() throws Exception {
        // the shapes the checks write: DunningAlertCheck's troubles, ReconcileAlert's differences, a state audit's repairs
        write("alerts/dunning.20260301T090000.000Z.json", Map.of("type", "dunning.alert", "trouble_count", 1, "troubles",
                List.of(Map.of("kind", "failed", "request_id", "dun-1", "client", "acme", "invoice_number", "INV-2",
                        "level", "first", "detail", "mailbox full, said the postmaster"))));
        write("alerts/reconcile.20260301T090000.000Z.json", Map.of("type", "reconcile.alert", "difference_count", 1, "differences",
                List.of(Map.of("kind", "state differs", "subject", "state/open/acme/INV-2.json",
                        "detail", "state/open/acme/INV-2.json: escalation_reason is \"disputes the goods\""))));
        write("alerts/reconcile.20260301T090001.000Z.json", Map.of("type", "reconcile.alert",
                "differences", List.of(Map.of("kind", "missing", "detail", "missing from the state: acme/N11: in Paid since 2026-01-01"))));
        write("alerts/reconcile.20260301T090002.000Z.json", Map.of("type", "reconcile.alert",
                "differences", List.of(List.of("reason 'goods never came' vs 'x' for acme/INV-3"))));
        write("alerts/state-audit.20260301T090000.000Z.json", Map.of("type", "state-audit.alert",
                "repairs", List.of("rewrote archive/acme/INV-4.json from the log")));
        write("alerts/whole-client.json", Map.of("type", "reconcile.alert", "paused", List.of("acme/*")));
        write("alerts/keyed.json", Map.of("type", "reconcile.alert", "by_invoice", Map.of("acme/INV-5", Map.of("n", 1))));
        // beside the client's, another client's: the whole notification goes (the queue has it too)
        write("alerts/mixed.json", Map.of("type", "unapplied.alert", "to_refund",
                List.of(Map.of("client", "beta", "reason", "r1"), Map.of("client", "acme", "reason", "r2"))));

        // kept: other clients whose names hold the client's, the client's name as a word, a path under state/ of another client
        write("alerts/others.json", Map.of("type", "reconcile.alert", "differences", List.of(
                "acme2/INV-1 differs", "bigacme/INV-1 differs", "x.acme/INV-1 differs", "acme-x/INV-1", "acme_x/INV-1",
                "state/open/beta/INV-1.json: acme differs", "acme/ is not a key", "acme/-x", "ACME/INV-1")));
        write("alerts/name-as-field.json", Map.of("type", "reconcile.alert", "acme", "a field name is no value"));

        assertThat(sweep.sweep("acme", List.of())).containsExactlyInAnyOrder(
                Path.of("alerts/dunning.20260301T090000.000Z.json"), Path.of("alerts/reconcile.20260301T090000.000Z.json"),
                Path.of("alerts/reconcile.20260301T090001.000Z.json"), Path.of("alerts/reconcile.20260301T090002.000Z.json"),
                Path.of("alerts/state-audit.20260301T090000.000Z.json"), Path.of("alerts/whole-client.json"),
                Path.of("alerts/keyed.json"), Path.of("alerts/mixed.json"));
        assertThat(files()).containsExactlyInAnyOrder(Path.of("alerts/others.json"), Path.of("alerts/name-as-field.json"));
    }

    @Test
    void aClientNamedLikeAStateFolderIsNotMatchedByEveryStatePath() throws Exception {
        write("alerts/a.json", Map.of("type", "reconcile.alert", "differences", List.of(
                "state/open/acme/INV-2.json: escalation_reason is \"x\"", "/data/state/archive/acme/INV-3.json moved",
                "state/open/open2/INV-9.json")));
        write("alerts/b.json", Map.of("type", "reconcile.alert", "differences", List.of("state/open/open/INV-1.json: differs")));
        write("alerts/c.json", Map.of("type", "reconcile.alert", "differences", List.of("missing from the state: archive/INV-7")));
        // only the state/ folder itself is exempt, not a folder whose name ends in "state"
        write("alerts/d.json", Map.of("type", "reconcile.alert", "differences", List.of("mystate/open/x is the client's")));

        assertThat(sweep.sweep("open", List.of())).containsExactlyInAnyOrder(Path.of("alerts/b.json"), Path.of("alerts/d.json"));
        assertThat(sweep.sweep("archive", List.of())).containsExactly(Path.of("alerts/c.json"));
        assertThat(files()).containsExactly(Path.of("alerts/a.json"));
    }

    @Test
    void anAddressDoesNotMatchALongerAddressThatHoldsIt() throws Exception {
        String bob = "bob@x.example";
        write("alerts/jimbob.json", Map.of("type", "dunning.alert", "detail", "bounced: jimbob@x.example"));
        writeBytes("alerts/org.txt", "not json: bob@x.example.org");
        writeBytes("rejected/jim.json", "{not json, jim.bob@x.example}");
        write("alerts/quoted.json", Map.of("type", "dunning.alert", "detail", "bounced: \"bob@x.example\""));
        writeBytes("alerts/angle.txt", "To: Bob <bob@x.example>");
        writeBytes("alerts/sentence.txt", "please mail bob@x.example.");

        assertThat(sweep.sweep("acme", List.of(bob))).containsExactlyInAnyOrder(
                Path.of("alerts/quoted.json"), Path.of("alerts/angle.txt"), Path.of("alerts/sentence.txt"));
        assertThat(files()).containsExactlyInAnyOrder(
                Path.of("alerts/jimbob.json"), Path.of("alerts/org.txt"), Path.of("rejected/jim.json"));
    }

    @Test
    void anotherClientsFileStaysThoughItHoldsASharedAddress() throws Exception {
        write("processed/beta-1.json", Map.of("type", "invoice.issued", "client", "beta", "contact_email", SHARED));
        write("outbox/dun-beta.json", Map.of("type", "reminder.requested", "client", "beta", "contact_email", SHARED,
                "note", "as for acme/INV-1")); // decided by its top-level client alone
        write("processed/acme-1.json", Map.of("type", "invoice.issued", "client", "acme", "contact_email", SHARED));
        write("outbox/dun-acme.json", Map.of("type", "reminder.requested", "client", "acme"));
        // a rejected message of the other client and its report, which quotes the shared address: both stay
        write("rejected/beta-2.json", Map.of("client", "beta", "contact_email", SHARED));
        write("rejected/beta-2.json.error.json", Map.of("file", "beta-2.json", "reason", "bounced: " + SHARED));
        // ... but a report naming the client's invoice takes its message along, whoever's it is
        write("rejected/beta-3.json", Map.of("client", "beta"));
        write("rejected/beta-3.json.error.json", Map.of("file", "beta-3.json", "reason", "duplicate of acme/INV-1"));
        // no (valid, single) top-level client: decided by the nested names and the address
        write("alerts/dunning.json", Map.of("type", "dunning.alert", "troubles",
                List.of(Map.of("client", "beta", "detail", "bounced: " + SHARED))));
        write("processed/array.json", List.of(Map.of("client", "beta", "contact_email", SHARED)));
        write("processed/invalid-client.json", Map.of("client", "Beta Ltd", "contact_email", SHARED));
        write("processed/numeric-client.json", Map.of("client", 7, "contact_email", SHARED));
        writeBytes("processed/two-clients.json", "{\"client\":\"beta\",\"client\":\"acme\"}");
        writeBytes("processed/two-values.json", "{\"client\":\"beta\"} {\"contact_email\":\"" + SHARED + "\"}");
        writeBytes("rejected/broken.json", "{\"client\":\"beta\", contact_email: " + SHARED + "}");

        assertThat(sweep.sweep("acme", List.of(SHARED))).containsExactlyInAnyOrder(
                Path.of("processed/acme-1.json"), Path.of("outbox/dun-acme.json"),
                Path.of("rejected/beta-3.json"), Path.of("rejected/beta-3.json.error.json"),
                Path.of("alerts/dunning.json"), Path.of("processed/array.json"), Path.of("processed/invalid-client.json"),
                Path.of("processed/numeric-client.json"), Path.of("processed/two-clients.json"),
                Path.of("processed/two-values.json"), Path.of("rejected/broken.json"));
        assertThat(files()).containsExactlyInAnyOrder(Path.of("processed/beta-1.json"), Path.of("outbox/dun-beta.json"),
                Path.of("rejected/beta-2.json"), Path.of("rejected/beta-2.json.error.json"));
    }

    private void write(String relative, Object json) throws IOException {
        writeBytes(relative, JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    private void writeBytes(String relative, String content) throws IOException {
        Path file = dataDir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir)) {
            return walk.filter(Files::isRegularFile).map(dataDir::relativize).toList();
        }
    }
}
