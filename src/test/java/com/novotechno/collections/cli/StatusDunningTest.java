package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status per dunning level: invoices at it, requests awaiting acknowledgement, and invoices without a contact. */
class StatusDunningTest extends CommandLineRunner {

    private static final DunningSettings EVERY_DAY = DunningSettings.of(Settings.load(Map.of(),
            Map.of("collections.dunning.skip-days", "")));

    @TempDir
    Path data;



    private static byte[] issued(String invoice, String dueOn, String contact) {
        String email = contact == null ? "" : ",\"contact_email\":\"" + contact + "\"";
        return Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i-%s\",\"client\":\"ACME\","
                + "\"invoice_number\":\"%s\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2026-01-01\","
                + "\"due_on\":\"%s\"%s}", invoice, invoice, dueOn, email);
    }

    /** Three requests decided and emitted on 2026-03-16; the emailer has acknowledged INV-1's. */
    private void dunnedPortfolio() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("INV-1", "2026-02-09", "ap@acme.example"));
            store.apply(issued("INV-2", "2026-02-09", "ap@acme.example"));
            store.apply(issued("INV-3", "2026-02-09", null));   // nobody to remind: escalated
            store.apply(issued("INV-4", "2026-03-01", null));   // nobody to remind, not due to escalate
            store.apply(issued("INV-5", "2026-03-10", "ap@acme.example")); // not due yet
            store.apply(issued("INV-6", "2026-02-09", "ap@acme.example"));
            store.apply(Messages.payment("p6", "ACME", "INV-6", "100.00", "USD"));
            store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), LocalDate.of(2026, 3, 16), EVERY_DAY));
            for (DunningRequests.Emission emission : store.owedEmissions(java.time.Duration.ofHours(24))) {
                store.recordEmitted(emission);
            }
            String acknowledged = store.find(new InvoiceKey("ACME", "INV-1")).orElseThrow().dunning().get(0).requestId();
            store.apply(Messages.json("{\"type\":\"reminder.sent\",\"message_id\":\"s1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"level\":\"reminder\",\"sent_at\":\"2026-03-16T09:00:00Z\","
                    + "\"request_id\":\"%s\"}", acknowledged));
            store.apply(Messages.json("{\"type\":\"reminder.failed\",\"message_id\":\"f1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"request_id\":\"%s\",\"reason\":\"bounced\"}", acknowledged));
            store.apply(Messages.json("{\"type\":\"dunning.paused\",\"message_id\":\"pa1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-5\",\"reason\":\"disputed\"}"));
        }
    }

    @Test
    void statusCountsInvoicesPerLevelRequestsAwaitingAcknowledgementAndNoContact() throws Exception {
        dunnedPortfolio();

        assertThat(run("status", "--data-dir", data.toString(), "--json")).isZero();
        JsonNode dunning = new ObjectMapper().readTree(out).get("dunning");
        assertThat(dunning.at("/levels/reminder/invoices").asLong()).isEqualTo(2);
        assertThat(dunning.at("/levels/reminder/awaiting_acknowledgement").asLong()).isEqualTo(1);
        assertThat(dunning.at("/levels/final_notice/invoices").asLong()).isZero();
        assertThat(dunning.at("/levels/final_notice/awaiting_acknowledgement").asLong()).isZero();
        assertThat(dunning.at("/levels/escalate/invoices").asLong()).isEqualTo(1);
        assertThat(dunning.at("/levels/escalate/awaiting_acknowledgement").asLong()).isEqualTo(1);
        assertThat(dunning.get("not_requested").asLong()).isEqualTo(2);
        assertThat(dunning.get("no_contact").asLong()).isEqualTo(1);
        assertThat(dunning.get("failed").asLong()).isEqualTo(1);
        assertThat(dunning.get("paused").asLong()).isEqualTo(1);
        assertThat(dunning.get("levels").fieldNames()).toIterable()
                .containsExactly("reminder", "final_notice", "escalate");

        assertThat(run("status", "--data-dir", data.toString())).isZero();
        assertThat(out).contains("dunning: 2 open invoices at no level yet, 1 unpaid without contact_email, 1 paused,"
                        + " 1 requests failed")
                .containsPattern("reminder +2 +1")
                .containsPattern("final_notice +0 +0")
                .containsPattern("escalate +1 +1");
    }

    @Test
    void aLevelNoLongerInTheScheduleIsStillCountedAfterTheOthers() throws Exception {
        dunnedPortfolio();

        assertThat(run("status", "--data-dir", data.toString(), "--json",
                "--collections.dunning.schedule=10:first_call,30:escalate")).isZero();
        JsonNode levels = new ObjectMapper().readTree(out).at("/dunning/levels");
        assertThat(levels.fieldNames()).toIterable().containsExactly("first_call", "escalate", "reminder");
        assertThat(levels.at("/reminder/invoices").asLong()).isEqualTo(2);
        assertThat(levels.at("/first_call/invoices").asLong()).isZero();
    }
}
