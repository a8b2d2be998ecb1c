package com.novotechno.collections.camel;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnappliedCheckTest {

    @TempDir
    Path data;

    @Test
    void eachPaymentToRefundIsAlertedOnceAndAgainOnlyWhenTheAlertDidNotGetOut() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            UnappliedCheck check = new UnappliedCheck(store, Duration.ofHours(720), Clock.fixed(Stores.NOW, ZoneOffset.UTC),
                    () -> { });
            store.apply(payment("p1", "ACME", "INV-1", "10.00", "EUR"));
            assertThat(check.run()).as("a payment still waiting is no alert").isNull();

            store.apply(issued("i1", "ACME", "INV-1", "100.00", "USD"));
            String first = check.run();
            assertThat(first).isNotNull();
            assertThat(check.run()).as("not written and sent yet: raised again").isEqualTo(first);
            check.alerted();
            assertThat(check.run()).isNull();

            store.apply(payment("p2", "ACME", "INV-2", "5.00", "EUR"));
            store.apply(issued("i2", "ACME", "INV-2", "1.00", "EUR"));
            JsonNode second = PrettyJson.JSON.readTree(check.run());
            assertThat(second.get("to_refund_count").asInt()).isEqualTo(1);
            assertThat(second.at("/to_refund/0/message_id").asText()).isEqualTo("p2");
            assertThat(second.at("/to_refund/0/reason").asText()).startsWith("overpaid: 5.00 EUR against a balance of 1.00 EUR");
        }
    }
}
