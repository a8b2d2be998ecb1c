package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import jakarta.jms.Message;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** The timer route: reconciles the ledger against the state files and raises an alert when they disagree. */
class ReconcileRouteTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aHandEditOfTheLedgerRaisesOneAlertInAlertsAndOnTheQueue() throws Exception {
        // The route compares only once the state audit has ticked: its first tick, counted from before the start.
        AtomicReference<NotifyBuilder> auditTicked = new AtomicReference<>();
        running = RunningService.startAdvised(data, Map.of("collections.reconcile.period", "1s"),
                context -> auditTicked.set(new NotifyBuilder(context).fromRoute("state-audit").whenDone(1).create()));
        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        await().atMost(WAIT).until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-1")).isPresent());
        running.service.store().flushLedger();
        // Reconciliations that compare while the ledger agrees raise no alert (an alert takes two in a row).
        assertThat(auditTicked.get().matches(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(running.routeDone("reconcile", 2, WAIT)).isTrue();
        assertThat(alertFiles()).isEmpty();

        String ledger = Files.readString(running.layout.ledger());
        Files.writeString(running.layout.ledger(), ledger.replace("| 100.00 |", "| 90.00 |"));

        await().atMost(WAIT).until(() -> alertFiles().length == 1);
        JsonNode alert = new ObjectMapper().readTree(alertFiles()[0]);
        assertThat(alert.get("type").asText()).isEqualTo("reconcile.alert");
        assertThat(alert.get("differences").findValuesAsText("kind")).contains("ledger edited", "total differs");
        assertThat(alert.toString()).contains("ACME/INV-1");

        Message published = running.receive("collections.alerts", WAIT).orElseThrow();
        assertThat(new ObjectMapper().readTree(RunningService.bodyOf(published))).isEqualTo(alert);
        // The same disagreement is not raised again at the ticks after the one that raised it.
        assertThat(running.routeDone("reconcile", 2, WAIT)).isTrue();
        assertThat(alertFiles()).hasSize(1);
        assertThat(running.receive("collections.alerts", Duration.ofMillis(200))).isEmpty();
        // The service does not overwrite the edited ledger.
        assertThat(running.service.store().ledgerHeld()).isTrue();
    }

    private File[] alertFiles() {
        File[] files = running.layout.alerts().toFile().listFiles((dir, name) -> name.matches("reconcile\\.\\d{8}T\\d{6}\\.\\d{3}Z\\.json"));
        return files == null ? new File[0] : files;
    }
}
