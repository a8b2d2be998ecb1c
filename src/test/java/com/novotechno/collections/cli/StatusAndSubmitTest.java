package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.AgeingTable;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.status.DunningCounts;
import com.novotechno.collections.status.PortfolioStatus;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.storage.FileSystemStorage;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status and submit, the commands an operator uses next to the running service. */
class StatusAndSubmitTest extends CommandLineRunner {

    @TempDir
    Path temp;



    private static byte[] issuedDue(String id, String invoice, String amount, String currency, LocalDate due) {
        return Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"%s\",\"client\":\"ACME\",\"invoice_number\":\"%s\","
                + "\"amount\":\"%s\",\"currency\":\"%s\",\"issued_on\":\"%s\",\"due_on\":\"%s\"}",
                id, invoice, amount, currency, due.minusDays(30), due);
    }

    @Test
    void statusCountsTotalsAndAgesTheOpenBalancesAsOfToday() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC); // collections.time-zone's default
        Path messages = temp.resolve("m.jsonl");
        Files.write(messages, String.join("\n",
                new String(issuedDue("i1", "A", "100.00", "USD", today.plusDays(3)), StandardCharsets.UTF_8),
                new String(issuedDue("i2", "B", "250.50", "USD", today.minusDays(45)), StandardCharsets.UTF_8),
                new String(issuedDue("i3", "C", "70.00", "EUR", today.minusDays(100)), StandardCharsets.UTF_8),
                new String(Messages.payment("p1", "ACME", "B", "50.50", "USD"), StandardCharsets.UTF_8),
                new String(Messages.escalated("e1", "ACME", "C", "no answer"), StandardCharsets.UTF_8),
                new String(issuedDue("i4", "D", "10.00", "USD", today), StandardCharsets.UTF_8),
                new String(Messages.payment("p2", "ACME", "D", "10.00", "USD"), StandardCharsets.UTF_8)).getBytes());
        Path data = temp.resolve("data");
        assertThat(run("import", "--create", "--data-dir", data.toString(), messages.toString())).isZero();

        assertThat(run("status", "--data-dir", data.toString(), "--json")).isZero();
        JsonNode status = new ObjectMapper().readTree(out);
        assertThat(status.get("as_of").asText()).isEqualTo(today.toString());
        assertThat(status.at("/invoices/open").asLong()).isEqualTo(3);
        assertThat(status.at("/invoices/paid").asLong()).isEqualTo(1);
        assertThat(status.at("/sections/unpaid/totals/USD/amount").asText()).isEqualTo("350.50");
        assertThat(status.at("/sections/unpaid/totals/USD/balance").asText()).isEqualTo("300.00");
        assertThat(status.at("/sections/escalated/totals/EUR/balance").asText()).isEqualTo("70.00");
        assertThat(status.at("/sections/paid/totals/USD/invoices").asLong()).isEqualTo(1);
        assertThat(status.at("/ageing/USD/current").asText()).isEqualTo("100.00");
        assertThat(status.at("/ageing/USD/31-60").asText()).isEqualTo("200.00");
        assertThat(status.at("/ageing/EUR/90+").asText()).isEqualTo("70.00");
        assertThat(status.at("/ageing/EUR/current").asText()).isEqualTo("0.00");

        assertThat(run("status", "--data-dir", data.toString())).isZero();
        assertThat(out).startsWith("status as of " + today + ": 3 open invoices (2 unpaid, 1 escalated), 1 paid")
                .containsPattern("Unpaid +USD +2 +350.50 +300.00")
                .containsPattern("EUR +0.00 +0.00 +0.00 +0.00 +70.00");
    }

    /** Invoice {@code invoice} of 1000.00 in {@code section}: 400.00 owed if open; 600.00 credited or written off. */
    private static LedgerRow rowIn(LedgerSection section, String invoice, String currency) {
        Currency c = Currency.getInstance(currency);
        return new LedgerRow(new InvoiceKey("ACME", invoice), section, LocalDate.parse("2026-01-10"),
                LocalDate.parse("2026-02-09"), Money.ofStored("1000.00", c), Money.ofStored(section.isOpen() ? "400.00" : "0.00", c),
                LocalDate.parse("2026-03-10"), section.hasReason() ? Optional.of("why") : Optional.empty(),
                section.closedAmountColumn().map(column -> Money.ofStored("600.00", c)),
                section.hasReceivedColumn() ? Optional.of(LocalDate.parse("2026-03-02")) : Optional.empty());
    }

    /** Printed from a hand-made status: the state files cannot make closed invoices but paid ones until the lifecycle is applied. */
    @Test
    void statusShowsEveryClosedSectionWithWhatClosedItAndCountsOnlyOpenSectionsAsOpen() throws Exception {
        LocalDate today = LocalDate.parse("2026-03-15");
        List<LedgerRow> rows = new ArrayList<>();
        for (LedgerSection section : LedgerSection.values()) {
            rows.add(rowIn(section, section.name(), "USD"));
        }
        rows.add(rowIn(LedgerSection.WRITTEN_OFF, "W-EUR", "EUR"));
        PortfolioStatus status = new PortfolioStatus(today, CurrencyTotals.bySection(rows), AgeingTable.of(rows, today),
                List.of(), new DunningCounts(Map.of(), 0, 0, 0, 0), List.of());
        assertThat(status.openCount()).isEqualTo(2);

        StringWriter text = new StringWriter();
        StatusCommand.printText(status, new PrintWriter(text));
        assertThat(text.toString())
                .startsWith("status as of 2026-03-15: 2 open invoices (1 unpaid, 1 escalated), 1 paid, 1 credited, 1 void,"
                        + " 2 written off\n")
                .containsPattern("section +currency +invoices +amount +balance +closed\n")
                .containsPattern("\nUnpaid +USD +1 +1000.00 +400.00 +-\n")
                .containsPattern("\nPaid +USD +1 +1000.00 +0.00 +-\n")
                .containsPattern("\nCredited +USD +1 +1000.00 +0.00 +600.00\n")
                .containsPattern("\nVoid +USD +1 +1000.00 +0.00 +-\n")
                .containsPattern("\nWritten off +EUR +1 +1000.00 +0.00 +600.00\n")
                .containsPattern("\nWritten off +USD +1 +1000.00 +0.00 +600.00\n")
                .containsPattern("\nUSD +0.00 +0.00 +800.00 +0.00 +0.00\n");

        JsonNode json = new ObjectMapper().readTree(StatusCommand.toJson(status).toString());
        assertThat(json.get("invoices").fieldNames()).toIterable()
                .containsExactly("open", "paid", "credited", "void", "written_off");
        assertThat(json.at("/invoices/open").asLong()).isEqualTo(2);
        assertThat(json.at("/invoices/written_off").asLong()).isEqualTo(2);
        assertThat(json.get("sections").fieldNames()).toIterable()
                .containsExactly("unpaid", "paid", "escalated", "credited", "void", "written_off");
        assertThat(json.at("/sections/escalated/open").asBoolean()).isTrue();
        assertThat(json.at("/sections/void/open").asBoolean()).isFalse();
        assertThat(json.at("/sections/credited/totals/USD/credited").asText()).isEqualTo("600.00");
        assertThat(json.at("/sections/written_off/totals/EUR/written_off").asText()).isEqualTo("600.00");
        assertThat(json.at("/sections/written_off/totals/USD/amount").asText()).isEqualTo("1000.00");
        assertThat(json.at("/sections/void/totals/USD").fieldNames()).toIterable()
                .containsExactly("invoices", "amount", "balance");
        assertThat(json.at("/ageing/USD/31-60").asText()).isEqualTo("800.00");
        assertThat(json.at("/ageing/EUR").isMissingNode()).as("a written-off invoice is not aged").isTrue();
    }

    @Test
    void statusAgesAsOfTodayInTheConfiguredZone() throws Exception {
        // UTC+14 and UTC-12: 26 hours apart, so their todays always differ.
        ZoneId ahead = ZoneId.of("Pacific/Kiritimati");
        ZoneId behind = ZoneId.of("Etc/GMT+12");
        LocalDate todayAhead = LocalDate.now(ahead);
        Path messages = temp.resolve("m.json");
        Files.write(messages, issuedDue("i1", "A", "100.00", "USD", todayAhead.minusDays(1)));
        Path data = temp.resolve("data");
        assertThat(run("import", "--create", "--data-dir", data.toString(), messages.toString())).isZero();

        assertThat(run("status", "--data-dir", data.toString(), "--json", "--collections.time-zone=" + ahead)).isZero();
        JsonNode inAhead = new ObjectMapper().readTree(out);
        assertThat(run("status", "--data-dir", data.toString(), "--json", "--collections.time-zone=" + behind)).isZero();
        JsonNode inBehind = new ObjectMapper().readTree(out);

        assertThat(inAhead.get("as_of").asText()).isIn(todayAhead.toString(), LocalDate.now(ahead).toString());
        assertThat(LocalDate.parse(inBehind.get("as_of").asText())).isBefore(LocalDate.parse(inAhead.get("as_of").asText()));
        if (LocalDate.now(ahead).equals(todayAhead)) { // not across midnight while the test ran
            assertThat(inAhead.at("/ageing/USD/1-30").asText()).isEqualTo("100.00");
            assertThat(inBehind.at("/ageing/USD/current").asText()).isEqualTo("100.00");
        }
    }

    @Test
    void statusCountsAndTotalsHeldPaymentsWaitingAndToRefundPerCurrency() throws Exception {
        Path messages = temp.resolve("held.jsonl");
        Files.write(messages, String.join("\n",
                new String(Messages.payment("p1", "ACME", "X", "40.00", "USD"), StandardCharsets.UTF_8),
                new String(Messages.payment("p2", "ACME", "X", "2.50", "USD"), StandardCharsets.UTF_8),
                new String(Messages.payment("p3", "ACME", "Y", "9.00", "EUR"), StandardCharsets.UTF_8),
                new String(Messages.payment("p4", "ACME", "Z", "5.00", "EUR"), StandardCharsets.UTF_8),
                // Z arrives in USD: its EUR payment no longer fits and is to refund.
                new String(Messages.issued("i1", "ACME", "Z", "100.00", "USD"), StandardCharsets.UTF_8)).getBytes());
        Path data = temp.resolve("data");
        assertThat(run("import", "--create", "--data-dir", data.toString(), messages.toString())).isZero();

        assertThat(run("status", "--data-dir", data.toString(), "--json")).isZero();
        JsonNode status = new ObjectMapper().readTree(out);
        assertThat(status.at("/unapplied/held/payments").asLong()).isEqualTo(3);
        assertThat(status.at("/unapplied/held/totals/USD/payments").asLong()).isEqualTo(2);
        assertThat(status.at("/unapplied/held/totals/USD/amount").asText()).isEqualTo("42.50");
        assertThat(status.at("/unapplied/held/totals/EUR/amount").asText()).isEqualTo("9.00");
        assertThat(status.at("/unapplied/to_refund/payments").asLong()).isEqualTo(1);
        assertThat(status.at("/unapplied/to_refund/totals/EUR/amount").asText()).isEqualTo("5.00");
        assertThat(status.at("/invoices/open").asLong()).isEqualTo(1);

        assertThat(run("status", "--data-dir", data.toString())).isZero();
        assertThat(out).contains("unapplied payments: 3 held for an invoice not yet issued, 1 to refund")
                .containsPattern("held +USD +2 +42.50")
                .containsPattern("to refund +EUR +1 +5.00");
    }

    @Test
    void statusOfAFolderThatIsNotThereIsAUsageError() {
        assertThat(run("status", "--data-dir", temp.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err).contains("no data folder at");
    }

    @Test
    void submitSendsEachMessageToTheRunningServicesQueue() throws Exception {
        Path data = temp.resolve("data");
        try (RunningService running = RunningService.start(data)) {
            Path single = temp.resolve("one.json");
            Files.write(single, Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"));
            Path lines = temp.resolve("more.jsonl");
            Files.write(lines, (new String(Messages.payment("s2", "ACME", "INV-1", "30.00", "USD"), StandardCharsets.UTF_8)
                    + "\n\n{\"type\":\"nonsense\"}\n").getBytes(StandardCharsets.UTF_8));

            assertThat(run("submit", "--data-dir", data.toString(), "--collections.broker.port=" + running.port,
                    single.toString(), lines.toString())).isZero();
            assertThat(out).isEqualTo("submit: 3 sent to collections.invoices, 0 not sent\n");

            await().atMost(Duration.ofSeconds(30)).until(() -> running.service.store()
                    .find(new InvoiceKey("ACME", "INV-1")).map(s -> s.balance().toPlainString()).orElse("").equals("70.00"));
            Message dead = running.receive("collections.invoices.DLQ", Duration.ofSeconds(30)).orElseThrow();
            assertThat(RunningService.bodyOf(dead)).isEqualTo("{\"type\":\"nonsense\"}");
        }
    }

    @Test
    void submitGroupsEachMessageByItsInvoiceAndSendsBytesThatAreNotTextAsBytes() throws Exception {
        // A service with the file route only, so the queue keeps what submit sent for the test to read.
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Files.copy(Path.of("routes", "file-intake.yaml"), routes.resolve("file-intake.yaml"));
        Path data = temp.resolve("data");
        try (RunningService running = RunningService.start(data, new FileSystemStorage(),
                Map.of("collections.routes", routes.toString()))) {
            Path text = temp.resolve("one.json");
            Files.write(text, Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"));
            // JSON, as the check before sending reads it, but in UTF-16 (with its byte order mark): not UTF-8 text.
            Path binary = temp.resolve("binary.json");
            byte[] notUtf8 = "\uFEFF{\"type\":\"invoice.issued\"}".getBytes(StandardCharsets.UTF_16BE);
            Files.write(binary, notUtf8);

            assertThat(run("submit", "--data-dir", data.toString(), "--collections.broker.port=" + running.port,
                    text.toString(), binary.toString())).isZero();

            Message first = running.receive("collections.invoices", Duration.ofSeconds(10)).orElseThrow();
            assertThat(first).isInstanceOf(TextMessage.class);
            assertThat(first.getStringProperty("JMSXGroupID")).isEqualTo("ACME/INV-1");
            assertThat(first.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            Message second = running.receive("collections.invoices", Duration.ofSeconds(10)).orElseThrow();
            assertThat(second).isInstanceOf(BytesMessage.class);
            assertThat(second.getBody(byte[].class)).isEqualTo(notUtf8);
            assertThat(second.getStringProperty("JMSXGroupID")).isNull();
        }
    }

    @Test
    void submitWithoutABrokerSaysNoBrokerAnswersWhereItLookedAndWhichKeySetsItAndExitsOne() throws Exception {
        BrokerCredentials.loadOrCreate(new FileSystemStorage(), temp); // as a service that ran here once left them
        Path message = Files.write(temp.resolve("one.json"), Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"));
        int port = RunningService.freePort();
        assertThat(run("submit", "--data-dir", temp.toString(), "--collections.broker.port=" + port, message.toString()))
                .isEqualTo(1);
        assertThat(err).startsWith("submit: no broker answers at 127.0.0.1:" + port
                + " (is the service running? its port is collections.broker.port) (");

        assertThat(run("submit", "--collections.broker.url=amqp://127.0.0.1:" + port, "--collections.broker.user=producer",
                message.toString())).isEqualTo(1);
        assertThat(err).startsWith("submit: no broker answers at amqp://127.0.0.1:" + port + " (collections.broker.url) (");
    }

    @Test
    void submitWithAWrongPasswordSaysTheBrokerRefusedTheLogin() throws Exception {
        Path data = temp.resolve("data");
        try (RunningService running = RunningService.start(data)) {
            Path message = Files.write(temp.resolve("one.json"), Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"));
            assertThat(run("submit", "--collections.broker.port=" + running.port, "--collections.broker.user=producer",
                    "--collections.broker.password=wrong", message.toString())).isEqualTo(1);
            assertThat(err).startsWith("submit: the broker at 127.0.0.1:" + running.port
                    + " refused the login or the send of user 'producer': ");
        }
    }

    @Test
    void submitReportsEachLineThatIsNotJsonWithFileAndLineAndSendsNothingAtAll() throws Exception {
        // Without the queue route whatever submit sent stays on the queue, to be counted.
        Path routes = RunningService.shippedRoutesBut(Files.createDirectories(temp.resolve("routes")), "queue-intake.yaml");
        Path data = temp.resolve("data");
        try (RunningService running = RunningService.start(data, new FileSystemStorage(),
                Map.of("collections.routes", routes.toString()))) {
            Path good = Files.write(temp.resolve("good.json"), Messages.issued("s1", "ACME", "INV-1", "100.00", "USD"));
            Path mixed = Files.writeString(temp.resolve("mixed.jsonl"),
                    new String(Messages.payment("p1", "ACME", "INV-1", "30.00", "USD"), StandardCharsets.UTF_8) + "\n"
                            + "{\"type\": \"payment.received\",\n"
                            + "\n"
                            + "type=payment.received\n"
                            + "{\"type\":\"nonsense\"} trailing\n");
            Path empty = Files.write(temp.resolve("empty.json"), new byte[0]);

            assertThat(run("submit", "--data-dir", data.toString(), "--collections.broker.port=" + running.port,
                    good.toString(), mixed.toString(), empty.toString())).isEqualTo(1);

            assertThat(errorLines()).hasSize(5);
            assertThat(errorLines().get(0)).startsWith(mixed + ":2: not JSON: ");
            assertThat(errorLines().get(1)).startsWith(mixed + ":4: not JSON: Unrecognized token 'type'");
            assertThat(errorLines().get(2)).startsWith(mixed + ":5: not JSON: ").contains("trailing");
            assertThat(errorLines().get(3)).isEqualTo(empty + ":1: not JSON: nothing but white space");
            assertThat(errorLines().get(4)).isEqualTo("submit: nothing sent: every message is checked before any is sent");
            assertThat(out).isEmpty();
            assertThat(running.waiting("collections.invoices")).isZero();
        }
    }
}
