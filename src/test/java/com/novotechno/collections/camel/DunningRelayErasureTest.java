package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests.Emission;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A relay tick lists its emissions before an erasure and writes them after: it must not write the address back. */
class DunningRelayErasureTest {

    private static final Duration TIMEOUT = Duration.ofHours(24);

    @TempDir
    Path data;

    @Test
    void anEmissionListedBeforeAnErasureIsNeitherWrittenNorSentAfterIt() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            LocalDate today = LocalDate.of(2026, 3, 15);
            store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2025-12-01\","
                    + "\"due_on\":\"%s\",\"contact_email\":\"ap@acme.example\"}", today.minusDays(45)));
            store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), today,
                    DunningSettings.of(Settings.load(Map.of(), Map.of("collections.dunning.skip-days", "")))));
            DunningRelay relay = new DunningRelay(store, new FileSystemStorage(), new DataLayout(data), TIMEOUT);
            List<Emission> listed = relay.pending();
            assertThat(listed).hasSize(1);

            store.apply(Messages.erased("x1", "ACME"));
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            relay.writeOutbox(new ObjectMapper().writeValueAsString(listed.get(0).body()), listed.get(0), exchange);

            assertThat(exchange.isRouteStop()).as("the route stops before the send").isTrue();
            assertThat(DataFolders.filesContaining(data, "ap@acme.example")).isEmpty();
            // Never emitted, so nothing to revoke: the erased client is not written to at all.
            assertThat(store.owedEmissions(TIMEOUT)).isEmpty();
        }
    }
}
