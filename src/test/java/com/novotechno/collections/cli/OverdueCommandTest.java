package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** overdue: the open invoices past due on a day, oldest first, with totals per currency. */
class OverdueCommandTest extends CommandLineRunner {

    private static final String AS_OF = "2026-03-15";

    @TempDir
    Path temp;

    private Path data;

    private static String issued(String invoice, String amount, String currency, String dueOn, String contact) {
        return new String(Messages.issuedDue("i-" + invoice, "ACME", invoice, amount, currency, LocalDate.parse("2026-01-01"),
                LocalDate.parse(dueOn), contact), StandardCharsets.UTF_8)
                .replace(",\"contact_email\":\"-\"", "");
    }

    @BeforeEach
    void invoicesDueBeforeOnAndAfterTheDay() throws Exception {
        data = temp.resolve("data");
        Path messages = temp.resolve("m.jsonl");
        Files.writeString(messages, String.join("\n",
                issued("NEWER", "100.00", "USD", "2026-03-01", "ap@acme.example"), // 14 days
                issued("OLDEST", "300.00", "USD", "2026-01-10", "-"),              // 64 days, no contact
                issued("EURO", "70.00", "EUR", "2026-02-13", "ap@acme.example"),   // 30 days
                issued("TODAY", "10.00", "USD", AS_OF, "ap@acme.example"),         // due today: not yet overdue
                issued("PAID", "20.00", "USD", "2026-01-10", "ap@acme.example"),
                new String(Messages.payment("p-paid", "ACME", "PAID", "20.00", "USD"), StandardCharsets.UTF_8),
                new String(Messages.payment("p-old", "ACME", "OLDEST", "50.00", "USD"), StandardCharsets.UTF_8),
                new String(Messages.escalated("e-euro", "ACME", "EURO", "no answer"), StandardCharsets.UTF_8)));
        assertThat(run("import", "--create", "--data-dir", data.toString(), messages.toString())).as(err).isZero();
    }

    @Test
    void overdueListsTheOpenInvoicesPastDueOldestFirstWithTotalsPerCurrency() {
        assertThat(run("overdue", "--data-dir", data.toString(), "--as-of", AS_OF)).as(err).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("overdue as of 2026-03-15: 3 open invoices past due");
        assertThat(lines.get(2)).matches("ACME/OLDEST +Unpaid +2026-01-10 +64 +250\\.00 +USD +- +no");
        assertThat(lines.get(3)).matches("ACME/EURO +Escalated +2026-02-13 +30 +70\\.00 +EUR +- +yes");
        assertThat(lines.get(4)).matches("ACME/NEWER +Unpaid +2026-03-01 +14 +100\\.00 +USD +- +yes");
        assertThat(lines.get(5)).matches("total EUR +1 invoices +70\\.00");
        assertThat(lines.get(6)).matches("total USD +2 invoices +350\\.00");
        assertThat(lines).hasSize(7);
    }

    @Test
    void overdueAsOfALaterDayCountsMoreDaysAndTheInvoiceDueOnTheDayBefore() throws Exception {
        assertThat(run("overdue", "--data-dir", data.toString(), "--as-of", "2026-03-16", "--json")).as(err).isZero();
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("as_of").asText()).isEqualTo("2026-03-16");
        assertThat(json.get("invoices")).extracting(invoice -> invoice.get("invoice_number").asText())
                .containsExactly("OLDEST", "EURO", "NEWER", "TODAY");
        assertThat(json.at("/invoices/0/days_overdue").asLong()).isEqualTo(65);
        assertThat(json.at("/invoices/0/balance").asText()).isEqualTo("250.00");
        assertThat(json.at("/invoices/0/has_contact").asBoolean()).isFalse();
        assertThat(json.at("/invoices/1/section").asText()).isEqualTo("escalated");
        assertThat(json.at("/invoices/3/days_overdue").asLong()).isEqualTo(1);
        assertThat(json.at("/totals/USD/invoices").asLong()).isEqualTo(3);
        assertThat(json.at("/totals/USD/balance").asText()).isEqualTo("360.00");
        assertThat(json.at("/totals/EUR/balance").asText()).isEqualTo("70.00");
    }

    @Test
    void overdueBeforeAnythingFellDueListsNothing() {
        assertThat(run("overdue", "--data-dir", data.toString(), "--as-of", "2026-01-10")).isZero();
        assertThat(out).isEqualTo("overdue as of 2026-01-10: 0 open invoices past due\n");
    }

    @Test
    void overdueWithABadDateIsAUsageError() {
        assertThat(run("overdue", "--data-dir", data.toString(), "--as-of", "15/03/2026")).isEqualTo(2);
        assertThat(err).contains("--as-of must be an ISO date (yyyy-mm-dd), found '15/03/2026'");
    }
}
