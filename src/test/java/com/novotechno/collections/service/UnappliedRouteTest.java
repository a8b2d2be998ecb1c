package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.ledger.UnappliedRow;
import com.novotechno.collections.ledger.UnappliedStatus;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import jakarta.jms.Message;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Payments before their invoice in the running service: shown in the ledger, and alerted once when to refund. */
class UnappliedRouteTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPaymentBeforeItsInvoiceIsHeldInTheLedgerAndAnInvoiceInAnotherCurrencyMarksItToRefundWithOneAlert() throws Exception {
        running = RunningService.start(data, new FileSystemStorage(), Map.of(Settings.RECONCILE_PERIOD, "1s"));
        running.send(Messages.payment("p1", "ACME", "INV-1", "40.00", "EUR"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(ledgerUnapplied())
                .containsExactly("ACME/INV-1 payment p1 held 40.00"));

        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));

        await().atMost(WAIT).until(() -> alertFiles().length == 1);
        JsonNode alert = JSON.readTree(alertFiles()[0]);
        assertThat(alert.get("type").asText()).isEqualTo("unapplied.alert");
        assertThat(alert.get("to_refund_count").asInt()).isEqualTo(1);
        JsonNode payment = alert.get("to_refund").get(0);
        assertThat(payment.get("message_id").asText()).isEqualTo("p1");
        assertThat(payment.get("invoice_number").asText()).isEqualTo("INV-1");
        assertThat(payment.get("amount").asText() + " " + payment.get("currency").asText()).isEqualTo("40.00 EUR");
        assertThat(payment.get("reason").asText()).contains("currency EUR differs");
        Message published = running.receive("collections.alerts", WAIT).orElseThrow();
        assertThat(JSON.readTree(RunningService.bodyOf(published))).isEqualTo(alert);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ledgerUnapplied())
                .containsExactly("ACME/INV-1 payment p1 to refund 40.00"));

        // Alerted once: the ticks after the alerting one find nothing new, and the ledger agrees with the files all along.
        assertThat(running.routeDone("unapplied", 2, WAIT)).isTrue();
        assertThat(alertFiles()).hasSize(1);
        assertThat(running.waiting("collections.alerts")).isZero();
        assertThat(data.resolve("alerts").toFile().list()).allMatch(name -> name.startsWith("unapplied.") || name.equals("log-head.json"));
        running.close();
        running = null;
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
        assertThat(new Reconciler(new FileSystemStorage(), new DataLayout(data)).reconcile(Reconciler.Mode.AT_REST)
                .differences()).isEmpty();
    }

    @Test
    void aHeldPaymentWhoseInvoiceDoesNotComeWithinTheMaxAgeIsMarkedToRefundWithAnAlert() throws Exception {
        running = RunningService.start(data, new FileSystemStorage(),
                Map.of(Settings.RECONCILE_PERIOD, "1s", Settings.UNAPPLIED_MAX_AGE, "2s"));
        running.send(Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));

        await().atMost(WAIT).until(() -> alertFiles().length == 1);
        JsonNode alert = JSON.readTree(alertFiles()[0]);
        assertThat(alert.get("type").asText()).isEqualTo("unapplied.alert");
        assertThat(alert.at("/to_refund/0/message_id").asText()).isEqualTo("p1");
        assertThat(alert.at("/to_refund/0/reason").asText()).isEqualTo("no invoice ACME/INV-1 arrived within 2s of the payment");
        Message published = running.receive("collections.alerts", WAIT).orElseThrow();
        assertThat(JSON.readTree(RunningService.bodyOf(published))).isEqualTo(alert);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ledgerUnapplied())
                .containsExactly("ACME/INV-1 payment p1 to refund 40.00"));
        assertThat(Ledgers.unapplied(data)).extracting(UnappliedRow::status).containsExactly(UnappliedStatus.TO_REFUND);
    }

    private List<String> ledgerUnapplied() throws Exception {
        return Ledgers.unapplied(data).stream()
                .map(row -> row.subject() + " " + row.status().label() + " " + row.amount().toPlainString()).toList();
    }

    private File[] alertFiles() {
        File[] files = data.resolve("alerts").toFile()
                .listFiles((dir, name) -> name.matches("unapplied\\.\\d{8}T\\d{6}\\.\\d{3}Z\\.json"));
        return files == null ? new File[0] : files;
    }
}
