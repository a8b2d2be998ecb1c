package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.amended;
import static com.novotechno.collections.testing.Messages.credit;
import static com.novotechno.collections.testing.Messages.escalated;
import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.reversed;
import static com.novotechno.collections.testing.Messages.voided;
import static com.novotechno.collections.testing.Messages.writtenOff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT section 1, the receivables lifecycle: every event of an invoice's life after it is issued. */
class ReceivablesLifecycleTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("client1", "INV-001");

    @TempDir
    Path data;

    private Path open(InvoiceKey key) {
        return DataFolders.openStateFile(data, key);
    }

    private Path archive(InvoiceKey key) {
        return DataFolders.archivedStateFile(data, key);
    }

    private static void assertRejected(CollectionsStore store, byte[] message, String reason) {
        assertThatThrownBy(() -> store.apply(message)).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void anAmendmentCorrectsTheContactAndTheDueDateOfAnOpenInvoiceOnly() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(amended("a1", "client1", "INV-001", "ap@example.com", "2026-03-01"));
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.contactEmail()).contains("ap@example.com");
            assertThat(state.dueOn()).isEqualTo(LocalDate.parse("2026-03-01"));
            assertThat(state.amendments()).singleElement().satisfies(a -> {
                assertThat(a.fields()).containsExactly("contact_email", "due_on");
                assertThat(a.reason()).isEqualTo("typo in the PDF");
            });
            assertRejected(store, amended("a2", "client1", "INV-001", "ap@example.com", null), "changes nothing");
            assertRejected(store, amended("a3", "client1", "INV-001", null, "2025-12-31"),
                    "due_on: 2025-12-31 is before issued_on 2026-01-10");
            store.apply(payment("p1", "client1", "INV-001", "100", "USD"));
            assertRejected(store, amended("a4", "client1", "INV-001", "other@example.com", null),
                    "invoice client1/INV-001 is paid and archived; it takes no further messages");
        }
        assertThat(Files.readString(archive(INV_1))).contains("\"contact_email\": \"ap@example.com\"")
                .contains("\"due_on\": \"2026-03-01\"");
    }

    @Test
    void aCreditLowersTheBalanceAndOneThatReachesZeroClosesTheInvoiceAsCredited() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            assertRejected(store, credit("c0", "client1", "INV-001", "10", "EUR"), "currency: EUR differs from the invoice's USD");
            assertRejected(store, credit("c0", "client1", "INV-001", "100.01", "USD"),
                    "the credit of 100.01 USD exceeds the balance of 100.00 USD");
            store.apply(payment("p1", "client1", "INV-001", "60", "USD"));
            store.apply(credit("c1", "client1", "INV-001", "40", "USD"));
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.status()).isEqualTo(InvoiceStatus.CREDITED);
            assertThat(state.balance().isZero()).isTrue();
            assertThat(state.credited()).hasValueSatisfying(c -> assertThat(c.toPlainString()).isEqualTo("40.00"));
        }
        assertThat(open(INV_1)).doesNotExist();
        assertThat(Files.readString(archive(INV_1))).contains("\"status\": \"credited\"")
                .contains("\"reason\": \"goods returned\"");
    }

    @Test
    void aVoidCancelsAnInvoiceWithNothingPaidOrCreditedAndNoOther() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(issued("i2", "client1", "INV-002", "100", "USD"));
            store.apply(payment("p2", "client1", "INV-002", "1", "USD"));
            assertRejected(store, voided("v2", "client1", "INV-002"), "has payments or credits on it, so it cannot be voided");
            store.apply(voided("v1", "client1", "INV-001"));
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.status()).isEqualTo(InvoiceStatus.VOID);
            assertThat(state.balance().isZero()).isTrue();
            assertThat(state.amount().toPlainString()).isEqualTo("100.00");
            assertThat(state.closingReason()).contains("issued in error");
            assertRejected(store, payment("p1", "client1", "INV-001", "1", "USD"), "is void and archived");
        }
        assertThat(archive(INV_1)).exists();
    }

    @Test
    void aWriteOffClosesTheRemainingBalanceAndKeepsTheAmountWrittenOff() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "30", "USD"));
            store.apply(writtenOff("w1", "client1", "INV-001"));
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.status()).isEqualTo(InvoiceStatus.WRITTEN_OFF);
            assertThat(state.writtenOff()).hasValueSatisfying(w -> assertThat(w.toPlainString()).isEqualTo("70.00"));
            assertRejected(store, reversed("r1", "client1", "INV-001", "p1"), "is written_off and archived");
        }
        assertThat(Files.readString(archive(INV_1))).contains("\"written_off\": \"70.00\"");
    }

    @Test
    void aReversedPaymentReopensAPaidInvoiceToTheStatusItHadAndCountsForNothing() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(escalated("e1", "client1", "INV-001", "no reply"));
            store.apply(payment("p1", "client1", "INV-001", "100", "USD"));
            store.checkpointNow();
            assertThat(archive(INV_1)).exists();
            assertRejected(store, reversed("r0", "client1", "INV-001", "p9"),
                    "payment_message_id: no payment p9 is recorded for invoice client1/INV-001");
            store.apply(reversed("r1", "client1", "INV-001", "p1"));
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.status()).isEqualTo(InvoiceStatus.ESCALATED);
            assertThat(state.balance().toPlainString()).isEqualTo("100.00");
            assertThat(state.payments()).singleElement().satisfies(p -> assertThat(p.reversal()).hasValueSatisfying(
                    r -> assertThat(r.reason()).isEqualTo("chargeback")));
            assertRejected(store, reversed("r2", "client1", "INV-001", "p1"), "was reversed already");
            // Paid again by another transfer: archived again.
            store.apply(payment("p2", "client1", "INV-001", "100", "USD"));
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
        }
        assertThat(archive(INV_1)).exists();
        assertThat(open(INV_1)).doesNotExist();
    }

    @Test
    void anOverpaymentPaysTheInvoiceOffAndHoldsTheExcessToRefundUntilItIsReversed() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "40", "USD"));
            store.apply(payment("p2", "client1", "INV-001", "75.50", "USD"));
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
            assertThat(store.find(INV_1).orElseThrow().payment("p2").orElseThrow().amount().toPlainString()).isEqualTo("60.00");
            assertThat(store.unapplied()).singleElement().satisfies(record -> assertThat(record.unapplied())
                    .singleElement().satisfies(held -> {
                        assertThat(held.amount().toPlainString()).isEqualTo("15.50");
                        assertThat(held.toRefund()).isTrue();
                        assertThat(held.refundReason().orElseThrow()).startsWith("overpaid: 75.50 USD against a balance of 60.00 USD");
                    }));
            // The bank takes the whole transfer back: the invoice owes 60 again and nothing is to refund.
            store.apply(reversed("r2", "client1", "INV-001", "p2"));
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("60.00");
            assertThat(store.unapplied()).isEmpty();
        }
        assertThat(open(INV_1)).exists();
        assertThat(data.resolve("state/unapplied/client1/INV-001.json")).doesNotExist();
    }

    @Test
    void anExcessHeldToRefundPaysTheBalanceFirstWhenAnotherPaymentIsReversed() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(payment("p1", "client1", "INV-001", "60", "USD"));
            store.apply(payment("p2", "client1", "INV-001", "50", "USD")); // 40 pays it off, 10 to refund
            store.apply(reversed("r1", "client1", "INV-001", "p1"));
            // The customer paid 50 in all: it owes 50, and nothing is to be sent back.
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.balance().toPlainString()).isEqualTo("50.00");
            assertThat(state.status()).isEqualTo(InvoiceStatus.UNPAID);
            assertThat(state.payment("p2").orElseThrow().amount().toPlainString()).isEqualTo("50.00");
            assertThat(store.unapplied()).isEmpty();
        }
    }

    @Test
    void aHeldPaymentAboveTheBalanceWhenItsInvoiceArrivesPaysItOffAndOnlyTheExcessIsToRefund() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "client1", "INV-001", "130", "USD"));
            store.apply(payment("p2", "client1", "INV-001", "5", "USD"));
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            assertThat(store.find(INV_1).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
            assertThat(store.unapplied()).singleElement().satisfies(record -> assertThat(record.unapplied())
                    .extracting(h -> h.messageId() + " " + h.amount().toPlainString() + " " + h.refundReason().orElseThrow())
                    .containsExactly(
                            "p1 30.00 overpaid: 130.00 USD against a balance of 100.00 USD; the excess is to be refunded",
                            "p2 5.00 the invoice was paid off by the payments held before it"));
        }
    }

    @Test
    void aHeldPaymentRefusedBecauseTheInvoiceWasPaidOffPaysItWhenAReversalReopensIt() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("h1", "client1", "INV-001", "30", "EUR"));
            store.apply(payment("h2", "client1", "INV-001", "50", "USD"));
            store.apply(payment("h3", "client1", "INV-001", "80", "USD"));
            store.apply(payment("h4", "client1", "INV-001", "25", "USD"));
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(reversed("r2", "client1", "INV-001", "h2"));
            // 50 owed again: h3's excess 30, then h4's 25 (of which 20 is needed) pay it; 5 of h4 and the EUR stay to refund.
            InvoiceState state = store.find(INV_1).orElseThrow();
            assertThat(state.status()).isEqualTo(InvoiceStatus.PAID);
            assertThat(state.payment("h4").orElseThrow().amount().toPlainString()).isEqualTo("20.00");
            assertThat(store.unapplied()).singleElement().satisfies(record -> assertThat(record.unapplied())
                    .extracting(h -> h.messageId() + " " + h.amount().toPlainString())
                    .containsExactly("h1 30.00", "h4 5.00"));
        }
        assertReconciled();
    }

    @Test
    void entriesThatLeaveNoFileDoNotMakeTheLedgerLookAheadOfTheStateFiles() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("h1", "client1", "INV-009", "10", "USD"));
            store.apply(reversed("r1", "client1", "INV-009", "h1"));
        }
        assertReconciled();
    }

    /** With the store closed: the ledger agrees with the state files to the cent. */
    private void assertReconciled() throws Exception {
        assertThat(new Reconciler(new FileSystemStorage(), new DataLayout(data)).reconcile(Reconciler.Mode.AT_REST)
                .differences()).isEmpty();
    }

    @Test
    void aPaymentStillHeldForAnInvoiceNotYetIssuedCanBeReversed() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(payment("p1", "client1", "INV-001", "40", "USD"));
            store.apply(reversed("r1", "client1", "INV-001", "p1"));
            assertThat(store.unapplied()).isEmpty();
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            assertThat(store.find(INV_1).orElseThrow().balance().toPlainString()).isEqualTo("100.00");
        }
    }

    @Test
    void aReplayOfEveryLifecycleEventReproducesTheStateFilesAndTheLedgerByteForByte(@TempDir Path fresh) throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(amended("a1", "client1", "INV-001", "ap@example.com", "2026-03-01"));
            store.apply(credit("c1", "client1", "INV-001", "100", "USD"));
            store.apply(issued("i2", "client1", "INV-002", "100", "USD"));
            store.apply(voided("v2", "client1", "INV-002"));
            store.apply(issued("i3", "client1", "INV-003", "100", "USD"));
            store.apply(payment("p3", "client1", "INV-003", "10", "USD"));
            store.apply(writtenOff("w3", "client1", "INV-003"));
            store.apply(issued("i4", "client2", "INV-004", "100", "EUR"));
            store.apply(payment("p4", "client2", "INV-004", "120", "EUR"));
            store.apply(issued("i5", "client2", "INV-005", "100", "EUR"));
            store.apply(payment("p5", "client2", "INV-005", "100", "EUR"));
            store.apply(reversed("r5", "client2", "INV-005", "p5"));
            store.flushLedger();
        }
        assertThat(Stores.assertReplayReproducesState(data, fresh)).isEqualTo(13);
        // The ledger has each closed section, and agrees with the state files; verify finds nothing.
        String ledger = Files.readString(data.resolve("ledger.qmd"));
        assertThat(ledger).contains("## Credited").contains("## Void").contains("## Written off")
                .contains("| `INV-003` | `client1` | 2026-01-10 | 2026-02-09 | 100.00 | 0.00 | 90.00 | USD |");
        assertReconciled();
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();

        // rebuild writes every derived file anew from the log: the same bytes.
        java.util.Map<String, byte[]> before = Stores.stateFiles(data);
        byte[] ledgerBefore = Files.readAllBytes(data.resolve("ledger.qmd"));
        StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, notice -> { });
        java.util.Map<String, byte[]> after = Stores.stateFiles(data);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((file, bytes) -> assertThat(after.get(file)).as(file).isEqualTo(bytes));
        assertThat(Files.readAllBytes(data.resolve("ledger.qmd"))).isEqualTo(ledgerBefore);
    }
}
