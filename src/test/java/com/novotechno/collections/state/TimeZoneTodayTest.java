package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** collections.time-zone is the one zone of every "today" of the store and the ledger (CONTRACT section 3, "When"). */
class TimeZoneTodayTest {

    /** Still the 15th in UTC, already the 16th in Auckland (UTC+13 in March). */
    private static final Instant LATE_EVENING_UTC = Instant.parse("2026-03-15T23:30:00Z");
    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    private static final InvoiceKey KEY = new InvoiceKey("ACME", "INV-1");

    @TempDir
    Path data;

    private static StoreSettings settingsIn(ZoneId zone) {
        return new StoreSettings(Currency.getInstance("USD"), 30, Clock.fixed(LATE_EVENING_UTC, ZoneOffset.UTC), zone);
    }

    private static byte[] issuedWithoutDates() {
        return json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\",\"invoice_number\":\"INV-1\","
                + "\"amount\":\"100.00\",\"currency\":\"USD\"}");
    }

    private InvoiceState applyIssuedAndEscalated(StoreSettings settings) throws Exception {
        try (CollectionsStore store = CollectionsStore.open(data, settings, Stores.NOTICES::add)) {
            store.apply(issuedWithoutDates());
            store.apply(escalated("e1", "ACME", "INV-1", "no answer"));
            store.flushLedger();
            return store.find(KEY).orElseThrow();
        }
    }

    @Test
    void anInvoiceWithoutIssuedOnIsIssuedOnTheZonesToday() throws Exception {
        InvoiceState state = applyIssuedAndEscalated(settingsIn(AUCKLAND));

        assertThat(state.issuedOn()).isEqualTo(LocalDate.parse("2026-03-16"));
        assertThat(state.dueOn()).isEqualTo(LocalDate.parse("2026-04-15"));
    }

    @Test
    void theLedgersAsOfAndEnteredDatesAreTheZonesDates() throws Exception {
        applyIssuedAndEscalated(settingsIn(AUCKLAND));

        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.content().asOf()).contains(LocalDate.parse("2026-03-16"));
        LedgerRow row = ledger.content().rows().get(LedgerSection.ESCALATED).get(0);
        assertThat(row.enteredOn()).isEqualTo(LocalDate.parse("2026-03-16"));
        assertThat(new Reconciler(new FileSystemStorage(), new DataLayout(data), AUCKLAND)
                .reconcile(Reconciler.Mode.AT_REST).differences()).isEmpty();
    }

    @Test
    void aReplayInTheSameZoneReproducesTheLedgerByteForByte() throws Exception {
        StoreSettings auckland = settingsIn(AUCKLAND);
        applyIssuedAndEscalated(auckland);

        // Replayed a day later: the dates come from the log's times and the zone, never from the clock.
        StoreSettings dayLater = new StoreSettings(Currency.getInstance("USD"), 30,
                Clock.fixed(LATE_EVENING_UTC.plusSeconds(86_400), ZoneOffset.UTC), AUCKLAND);
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"), dayLater);
    }

    @Test
    void aChangeOfZoneRendersTheLedgerAnewAtTheNextStart() throws Exception {
        applyIssuedAndEscalated(new StoreSettings(Currency.getInstance("USD"), 30, Clock.fixed(LATE_EVENING_UTC, ZoneOffset.UTC)));
        assertThat(Ledgers.parse(data).content().asOf()).contains(LocalDate.parse("2026-03-15"));

        try (CollectionsStore store = CollectionsStore.open(data, settingsIn(AUCKLAND), Stores.NOTICES::add)) {
            store.flushLedger();
        }

        assertThat(Ledgers.parse(data).content().asOf()).contains(LocalDate.parse("2026-03-16"));
        assertThat(new Reconciler(new FileSystemStorage(), new DataLayout(data), AUCKLAND)
                .reconcile(Reconciler.Mode.AT_REST).differences()).isEmpty();
    }

    @Test
    void theDefaultZoneIsUtcAsBefore() throws Exception {
        InvoiceState state = applyIssuedAndEscalated(
                new StoreSettings(Currency.getInstance("USD"), 30, Clock.fixed(LATE_EVENING_UTC, AUCKLAND)));

        assertThat(state.issuedOn()).isEqualTo(LocalDate.parse("2026-03-15"));
        assertThat(Ledgers.parse(data).content().asOf()).contains(LocalDate.parse("2026-03-15"));
    }
}
