package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.json;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a new invoice is checked against the current ISO 4217 list; what was accepted once stays payable. */
class WithdrawnCurrencyReplayTest {

    @TempDir
    Path temp;

    @Test
    void aNewInvoiceInAWithdrawnCurrencyIsRejected() throws Exception {
        try (CollectionsStore store = Stores.open(temp.resolve("data"))) {
            assertThatThrownBy(() -> store.apply(issued("i1", "ACME", "INV-1", "100.00", "DEM")))
                    .isInstanceOf(RejectedMessageException.class)
                    .hasMessageContaining("currency: 'DEM' is not a current ISO 4217 currency");
        }
    }

    @Test
    void anInvoiceAcceptedInDemEarlierStillReplaysAndCanBePaid() throws Exception {
        Path data = temp.resolve("data");
        // A store of an earlier version: its default currency was DEM, which was then still accepted.
        StoreSettings before = new StoreSettings(Currency.getInstance("DEM"), 30, Stores.SETTINGS.clock());
        try (CollectionsStore store = CollectionsStore.open(data, before, Stores.NOTICES::add)) {
            store.apply(json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"INV-1\",\"amount\":\"100.00\",\"issued_on\":\"2026-01-10\"}"));
        }

        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(new InvoiceKey("ACME", "INV-1")).orElseThrow().balance().toString())
                    .isEqualTo("100.00 DEM");
            store.apply(payment("p1", "ACME", "INV-1", "40.00", "DEM"));
            store.apply(payment("p2", "ACME", "INV-1", "60.00", "DEM"));
            assertThat(store.find(new InvoiceKey("ACME", "INV-1")).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
        }
        StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, n -> { });
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
        Stores.assertReplayReproducesState(data, temp.resolve("replayed"));
    }
}
