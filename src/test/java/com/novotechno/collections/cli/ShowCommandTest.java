package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** show CLIENT/INVOICE: an invoice's state and its history from the log, with the balance after each entry. */
class ShowCommandTest extends CommandLineRunner {

    @TempDir
    Path temp;

    private Path importing(byte[]... messages) throws IOException {
        Path data = temp.resolve("data");
        Path file = temp.resolve("m" + System.nanoTime() + ".jsonl");
        Files.writeString(file, Arrays.stream(messages).map(m -> new String(m, StandardCharsets.UTF_8))
                .collect(Collectors.joining("\n")));
        assertThat(run("import", "--create", "--data-dir", data.toString(), file.toString())).as(err).isZero();
        return data;
    }

    @Test
    void showPrintsAnIssuedPartlyPaidEscalatedInvoiceWithItsEntriesInOrderAndTheBalanceAfterEach() throws Exception {
        Path data = importing(
                Messages.issuedTo("i1", "ACME", "INV-1", "ap@acme.example"),
                Messages.issued("other", "ACME", "INV-2", "500.00", "USD"),
                Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"),
                Messages.escalated("e1", "ACME", "INV-1", "no answer"));

        assertThat(run("show", "--data-dir", data.toString(), "ACME/INV-1")).as(err).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("ACME/INV-1: escalated, amount 100.00 USD, balance 60.00 USD, issued 2026-01-10,"
                + " due 2026-02-09, contact yes, dunning level none (log seq 4)");
        assertThat(lines.get(1)).startsWith("seq ").contains("balance_after", "message_id");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(2)).matches("1 +\\S+ +invoice\\.issued +message +100\\.00 USD +100\\.00 USD +i1 .*"
                + "contact_email=ap@acme\\.example.*");
        assertThat(lines.get(3)).matches("3 +\\S+ +payment\\.received +message +40\\.00 USD +60\\.00 USD +p1 .*method=bank_transfer.*");
        assertThat(lines.get(4)).matches("4 +\\S+ +invoice\\.escalated +message +- +60\\.00 USD +e1 +reason=no answer");

        assertThat(run("show", "--data-dir", data.toString(), "ACME/INV-1", "--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.at("/state/status").asText()).isEqualTo("escalated");
        assertThat(json.at("/state/balance").asText()).isEqualTo("60.00");
        assertThat(json.at("/state/currency").asText()).isEqualTo("USD");
        assertThat(json.get("events")).extracting(event -> event.get("seq").asLong()).containsExactly(1L, 3L, 4L);
        assertThat(json.get("events")).extracting(event -> event.get("balance_after").asText())
                .containsExactly("100.00", "60.00", "60.00");
        assertThat(json.at("/events/1/amount").asText()).isEqualTo("40.00");
        assertThat(json.at("/events/1/data/reference").asText()).isEqualTo("REF-p1");
    }

    @Test
    void showOfAnInvoiceTheLogNeverNamesExitsOneSayingSo() throws Exception {
        Path data = importing(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));

        assertThat(run("show", "--data-dir", data.toString(), "ACME/INV-9")).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).contains("show: no invoice ACME/INV-9 in ").contains("the log never names it");
    }

    @Test
    void showOfAMalformedInvoiceIsAUsageErrorNamingTheExpectedForm() throws Exception {
        Path data = importing(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));

        for (String malformed : List.of("ACME", "ACME/", "/INV-1", "ACME/INV-1/x", "../etc")) {
            assertThat(run("show", "--data-dir", data.toString(), malformed)).as(malformed).isEqualTo(2);
            assertThat(err).contains("expected CLIENT/INVOICE").contains("found '" + malformed + "'");
        }
    }

    @Test
    void showOfAnErasedClientsInvoiceShowsItsPersonalValuesErased() throws Exception {
        Path data = importing(
                Messages.issuedTo("i1", "ACME", "INV-1", "ap@acme.example"),
                Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"),
                Messages.erased("x1", "ACME"));

        assertThat(run("show", "--data-dir", data.toString(), "ACME/INV-1")).as(err).isZero();
        assertThat(out).doesNotContain("ap@acme.example").doesNotContain("REF-p1").doesNotContain("bank_transfer")
                .contains("contact no").contains("client.erased").contains("[erased]");
        assertThat(run("show", "--data-dir", data.toString(), "ACME/INV-1", "--json")).isZero();
        assertThat(out).doesNotContain("ap@acme.example").doesNotContain("REF-p1");
    }

    @Test
    void showEscapesControlCharactersInTheArgumentItEchoes() throws Exception {
        Path data = importing(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));

        assertThat(run("show", "--data-dir", data.toString(), "ACME/\u001b[31mINV\u0007")).isEqualTo(2);
        assertThat(err).contains("expected CLIENT/INVOICE").doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void showAndOverdueRefuseWhileARebuildIsUnfinished() throws Exception {
        Path data = importing(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        Files.writeString(data.resolve("rebuild.inprogress"), "rebuild in progress\n");

        for (List<String> command : List.of(List.of("show", "ACME/INV-1"), List.of("overdue"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("--data-dir", data.toString()));
            assertThat(run(args.toArray(String[]::new))).as(command.toString()).isEqualTo(1);
            assertThat(out).as(command.toString()).isEmpty();
            assertThat(err).as(command.toString()).contains("rebuild.inprogress", "run 'rebuild'");
        }
    }

    @Test
    void theOperatorCommandsExplainThemselvesWithTheirExitCodes() {
        for (List<String> command : List.of(List.of("show"), List.of("overdue"), List.of("dlq"), List.of("dlq", "list"),
                List.of("dlq", "requeue"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.add("--help");
            assertThat(run(args.toArray(String[]::new))).as(command.toString()).isZero();
            assertThat(out).as(command.toString()).startsWith("Usage: novotechno-collections " + String.join(" ", command))
                    .contains("Exit ");
        }
        assertThat(run("dlq", "requeue", "--help")).isZero();
        assertThat(out).contains("--all", "MESSAGE_ID", "--data-dir=DIR");
        assertThat(run("dlq")).isEqualTo(2);
        assertThat(err).contains("dlq: a subcommand is required: list or requeue");
    }
}
