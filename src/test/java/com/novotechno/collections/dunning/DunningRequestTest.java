package com.novotechno.collections.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

class DunningRequestTest {

    @Test
    void theRequestIdIsDunAndTheFirst32HexOfTheSha256OfClientInvoiceAndLevel() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest("ACME/INV-2026-001/final_notice".getBytes(StandardCharsets.UTF_8));
        String hex = String.format("%064x", new BigInteger(1, digest));

        assertThat(DunningRequest.idFor(new InvoiceKey("ACME", "INV-2026-001"), "final_notice"))
                .isEqualTo("dun-" + hex.substring(0, 32))
                .hasSize(36);
    }

    @Test
    void theRequestIdDiffersPerLevelAndPerInvoiceAndNeverChanges() {
        InvoiceKey key = new InvoiceKey("ACME", "1");
        assertThat(DunningRequest.idFor(key, "reminder")).isEqualTo(DunningRequest.idFor(new InvoiceKey("ACME", "1"), "reminder"));
        assertThat(List.of(DunningRequest.idFor(key, "reminder"), DunningRequest.idFor(key, "escalate"),
                DunningRequest.idFor(new InvoiceKey("ACME", "2"), "reminder"))).doesNotHaveDuplicates();
    }

    @Test
    void jacksonWritesTheContractsFieldsInTheContractsOrder() throws Exception {
        DunningRequest request = new DunningRequest(1, "reminder.requested", "dun-0123", "ACME", "INV-1",
                "ap@acme.example", "1250.50", "USD", "2026-03-02", 9, "reminder", 2, "2026-03-11", "ACME/2026-03-11");

        String json = new ObjectMapper().writeValueAsString(request);

        assertThat(json).isEqualTo("{\"schema\":1,\"type\":\"reminder.requested\",\"request_id\":\"dun-0123\","
                + "\"client\":\"ACME\",\"invoice_number\":\"INV-1\",\"contact_email\":\"ap@acme.example\","
                + "\"balance\":\"1250.50\",\"currency\":\"USD\",\"due_on\":\"2026-03-02\",\"days_overdue\":9,"
                + "\"level\":\"reminder\",\"late_by_days\":2,\"as_of\":\"2026-03-11\",\"group_key\":\"ACME/2026-03-11\"}");
        assertThat(new ObjectMapper().readValue(json, DunningRequest.class)).isEqualTo(request);
    }
}
