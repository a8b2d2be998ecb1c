package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed delivery is alerted once per run of the service, and again only if the alert did not get out. */
class DunningAlertCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DunningSettings EVERY_DAY = DunningSettings.of(Settings.load(Map.of(),
            Map.of("collections.dunning.skip-days", "")));

    @TempDir
    Path data;

    @Test
    void aFailedDeliveryIsAlertedOnceAndAgainOnlyWhenTheAlertDidNotGetOut() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2025-12-01\","
                    + "\"due_on\":\"2026-01-29\",\"contact_email\":\"ap@acme.example\"}"));
            store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), LocalDate.of(2026, 3, 15), EVERY_DAY));
            DunningRequests.Emission emission = store.owedEmissions(Duration.ofHours(24)).get(0);
            store.recordEmitted(emission);
            DunningAlertCheck check = new DunningAlertCheck(store, Stores.SETTINGS.clock());
            assertThat(check.run()).as("nothing wrong yet").isNull();

            store.apply(Messages.json("{\"type\":\"reminder.failed\",\"message_id\":\"f1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"request_id\":\"%s\",\"reason\":\"550 no such mailbox\"}",
                    emission.requestId()));
            JsonNode alert = JSON.readTree(check.run());
            assertThat(alert.get("type").asText()).isEqualTo("dunning.alert");
            assertThat(alert.get("troubles").get(0).get("kind").asText()).isEqualTo("failed");
            assertThat(alert.get("troubles").get(0).get("detail").asText()).isEqualTo("550 no such mailbox");
            // The route did not get to alerted(): the next tick raises it again.
            assertThat(check.run()).isNotNull();
            check.alerted();
            assertThat(check.run()).isNull();
        }
    }
}
