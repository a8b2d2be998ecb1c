package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult.Outcome;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A payment that arrives before its invoice (two producers cannot order their messages) is held
 * as unapplied, not dead-lettered, and applied when the invoice arrives (CONTRACT section 1).
 */
class UnappliedPaymentsTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("client1", "INV-001");
    private static final Duration MAX_AGE = Duration.ofHours(720);

    @TempDir
    Path data;

    private Path heldFile() {
        return data.resolve("state/unapplied/client1/INV-001.json");
    }

    private List<String> verifyFaults() throws Exception {
        return new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults();
    }

    @Test
    void aPaymentBeforeItsInvoiceIsHeldAndAppliedWhenTheInvoiceArrives() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.apply(payment("p1", "client1", "INV-001", "40", "USD")).outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(store.find(INV_1)).isEmpty();
            assertThat(store.unapplied()).singleElement().satisfies(record ->
                    assertThat(record.waiting()).singleElement().extracting(h -> h.amount().toPlainString()).isEqualTo("40.00"));
            store.checkpointNow();
            assertThat(heldFile()).exists();
            // A redelivery of the held payment is a duplicate, as for any accepted message.
            assertThat(store.apply(payment("p1", "client1", "INV-001", "40", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(verifyFaults()).isEmpty();
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            InvoiceState invoice = store.find(INV_1).orElseThrow();
            assertThat(invoice.balance().toPlainString()).isEqualTo("60.00");
            assertThat(invoice.payments()).singleElement().extracting(InvoiceState.Payment::messageId).isEqualTo("p1");
            assertThat(store.unapplied()).isEmpty();
        }
        assertThat(heldFile()).doesNotExist();
        assertThat(verifyFaults()).isEmpty();
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void heldPaymentsApplyInArrivalOrderAndThoseThatDoNotFitAreMarkedToRefundNotRejected() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "client1", "INV-001", "70", "USD"));
            store.apply(payment("p2", "client1", "INV-001", "50", "USD"));
            store.apply(payment("p3", "client1", "INV-001", "10", "EUR"));
            store.apply(payment("p4", "client1", "INV-001", "30", "USD"));
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));

            // p2 pays the 30 left, as a payment received now would, and its other 20 is to refund.
            InvoiceState invoice = store.find(INV_1).orElseThrow();
            assertThat(invoice.payments()).extracting(InvoiceState.Payment::messageId).containsExactly("p1", "p2");
            assertThat(invoice.status()).isEqualTo(InvoiceStatus.PAID);
            List<HeldPayment> toRefund = store.unapplied().get(0).unapplied();
            assertThat(toRefund).extracting(HeldPayment::messageId).containsExactly("p2", "p3", "p4");
            assertThat(toRefund.get(0).amount().toPlainString()).isEqualTo("20.00");
            assertThat(toRefund.get(0).refundReason().orElseThrow()).startsWith("overpaid: 50.00 USD against a balance of 30.00 USD");
            assertThat(toRefund.get(1).refundReason().orElseThrow()).contains("currency EUR differs");
            assertThat(toRefund.get(2).refundReason().orElseThrow()).isEqualTo("the invoice was paid off by the payments held before it");
        }
        assertThat(data.resolve("state/archive/client1/INV-001.json")).exists();
        assertThat(Files.readString(heldFile())).contains("\"to_refund\"").doesNotContain("\"held\"");
        assertThat(verifyFaults()).isEmpty();
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"));
    }

    @Test
    void heldPaymentsStandInTheLedgersUnappliedSectionAndOpeningGivesTheSameLedgerAsTheLivePath() throws Exception {
        byte[] live;
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "client1", "INV-001", "70", "USD"));
            store.apply(payment("p2", "client1", "INV-001", "10", "EUR"));
            store.apply(payment("p3", "client1", "INV-002", "5", "USD"));
            store.flushLedger();
            assertThat(Ledgers.unapplied(data)).extracting(r -> r.messageId() + " " + r.status().label() + " "
                    + r.amount().toPlainString()).containsExactly("p1 held 70.00", "p2 held 10.00", "p3 held 5.00");
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.flushLedger();
            live = Files.readAllBytes(data.resolve("ledger.qmd"));
        }
        ParsedLedger ledger = LedgerParser.parse("ledger.qmd", live);
        assertThat(ledger.faults()).isEmpty();
        assertThat(ledger.content().unapplied()).extracting(r -> r.messageId() + " " + r.status().label())
                .containsExactly("p2 to refund", "p3 held");
        assertThat(ledger.content().unapplied().get(0).reason().orElseThrow()).contains("currency EUR differs");
        assertThat(ledger.content().unappliedTotals()).extracting(t -> t.currency() + " " + t.status().label() + " "
                + t.payments() + " " + t.amount().toPlainString()).containsExactly("EUR to refund 1 10.00", "USD held 1 5.00");
        // The applied payment left the section and lowered the invoice's balance instead.
        assertThat(ledger.content().rows().get(LedgerSection.UNPAID)).singleElement()
                .extracting(r -> r.balance().toPlainString()).isEqualTo("30.00");

        Files.delete(data.resolve("ledger.qmd"));
        try (CollectionsStore store = Stores.open(data)) {
            store.flushLedger();
        }
        assertThat(Files.readAllBytes(data.resolve("ledger.qmd"))).as("the ledger from replay at open").isEqualTo(live);
        assertThat(verifyFaults()).isEmpty();
    }

    @Test
    void anEditOfAHeldPaymentInTheLedgerIsFoundByVerifyNamingTheSection() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "client1", "INV-001", "70", "USD"));
        }
        Path ledger = data.resolve("ledger.qmd");
        String text = Files.readString(ledger);
        assertThat(text).contains("| `client1` | `INV-001` | `p1` |");
        Files.writeString(ledger, text.replace("| 70.00 | USD | held |", "| 7.00 | USD | held |"));
        assertThat(verifyFaults()).singleElement().asString()
                .startsWith("ledger.qmd: section Unapplied was edited: its checksum (line ");
    }

    @Test
    void aPaymentForAnExistingInvoiceInAnotherCurrencyIsStillRejectedAtOnce() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            assertThatThrownBy(() -> store.apply(payment("p1", "client1", "INV-001", "10", "EUR")))
                    .isInstanceOf(RejectedMessageException.class).hasMessageContaining("currency");
            assertThat(store.unapplied()).isEmpty();
        }
    }

    @Test
    void aHeldPaymentWhoseInvoiceDoesNotArriveInTimeIsMarkedToRefundOnceByAnEventInTheLog() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "client1", "INV-001", "40", "USD"));
            assertThat(store.expireUnapplied(MAX_AGE)).as("not yet due").isEmpty();
        }
        Clock later = Clock.fixed(Stores.NOW.plus(MAX_AGE), ZoneOffset.UTC);
        StoreSettings laterSettings = new StoreSettings(Currency.getInstance("USD"), 30, later);
        try (CollectionsStore store = CollectionsStore.open(data, laterSettings, n -> { })) {
            assertThat(store.expireUnapplied(MAX_AGE)).singleElement()
                    .satisfies(h -> assertThat(h.refundReason().orElseThrow()).contains("within 720h"));
            assertThat(store.expireUnapplied(MAX_AGE)).as("marked once").isEmpty();
            assertThat(store.lastSeq()).isEqualTo(2);
            // The invoice arriving after all does not take the money marked to refund.
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("100.00");
            assertThat(store.unapplied().get(0).unapplied()).singleElement().matches(HeldPayment::toRefund);
        }
        assertThat(verifyFaults()).isEmpty();
        // On the clock that last ran the folder: a month also closes by the clock (ledger.qmd's period).
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"), laterSettings);
    }

    @Test
    void aHeldPaymentsFileDeletedOrEditedIsFoundByVerifyAndRewrittenByTheAudit() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "client1", "INV-001", "40", "USD"));
        }
        Files.delete(heldFile());
        assertThat(verifyFaults()).anySatisfy(f -> assertThat(f).startsWith("state/unapplied/client1/INV-001.json: missing"));
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.auditStateFiles().repairs()).hasSize(1);
        }
        assertThat(verifyFaults()).isEmpty();
        Files.writeString(heldFile(), Files.readString(heldFile()).replace("40.00", "90.00"));
        assertThat(verifyFaults()).anySatisfy(f -> assertThat(f).startsWith("state/unapplied/client1/INV-001.json: "));
    }
}
