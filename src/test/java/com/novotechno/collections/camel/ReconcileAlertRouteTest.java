package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert branch of routes/reconcile.yaml, its queue a mock, its ticks 50 ms apart. */
class ReconcileAlertRouteTest extends YamlRouteTestSupport {

    @BeforeEach
    void bindTheChecks() throws Exception {
        openStore();
        store.apply(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        store.flushLedger();
        FileSystemStorage storage = new FileSystemStorage();
        ReconcileSchedule schedule = new ReconcileSchedule(java.time.Duration.ofMillis(50), java.time.Duration.ofMinutes(1));
        StateAuditCheck audit = new StateAuditCheck(store, new StateAudit(storage, layout), schedule, Stores.SETTINGS.clock());
        assertThat(audit.run()).as("the audit's first tick found nothing").isNull();
        context.getRegistry().bind("reconcileCheck",
                new ReconcileCheck(store, audit, new SliceReconciler(storage, layout, java.time.ZoneOffset.UTC, schedule),
                        Stores.SETTINGS.clock()));
        context.getRegistry().bind("alertFiles", new AlertFiles(storage, layout.alerts(), Stores.SETTINGS.clock()));
        Properties properties = new Properties();
        properties.setProperty("collections.reconcile.period", "50");
        loadRoutes(properties, "reconcile.yaml");
    }

    @Test
    void anAlertWhoseSendFailedIsRaisedAgainAtTheNextTickAndThenNoMore() throws Exception {
        AtomicInteger faults = new AtomicInteger();
        advise("reconcile", route -> route.weaveById("reconcile-alert-queue").replace()
                .process(exchange -> {
                    if (faults.getAndIncrement() == 0) {
                        throw new IOException("the broker is unreachable (injected once)");
                    }
                })
                .to("mock:alerts"));
        Files.writeString(layout.ledger(), Files.readString(layout.ledger()).replace("| 100.00 |", "| 90.00 |"));
        NotifyBuilder ticks = new NotifyBuilder(context).fromRoute("reconcile").whenFailed(1).and().whenCompleted(5).create();
        context.start();

        assertThat(ticks.matches(10, TimeUnit.SECONDS)).as("one failed tick, then five more").isTrue();
        MockEndpoint alerts = getMockEndpoint("mock:alerts");
        assertThat(alerts.getReceivedExchanges()).as("raised again after the failure, then not at every tick").hasSize(1);
        JsonNode alert = new ObjectMapper().readTree(alerts.getReceivedExchanges().get(0).getMessage().getBody(String.class));
        assertThat(alert.get("type").asText()).isEqualTo("reconcile.alert");
        assertThat(alert.get("differences").findValuesAsText("kind")).contains("ledger edited");
        // The file was written before the failed send, and again with the alert raised again.
        assertThat(alertFiles()).hasSize(2);
        assertThat(new ObjectMapper().readTree(alertFiles().get(1).toFile())).isEqualTo(alert);
    }

    @Test
    void whileTheLedgerAgreesNoAlertIsRaised() throws Exception {
        advise("reconcile", route -> route.weaveById("reconcile-alert-queue").replace().to("mock:alerts"));
        NotifyBuilder ticks = new NotifyBuilder(context).fromRoute("reconcile").whenCompleted(3).create();
        context.start();

        assertThat(ticks.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(getMockEndpoint("mock:alerts").getReceivedExchanges()).isEmpty();
        assertThat(alertFiles()).isEmpty();
    }

    private List<Path> alertFiles() throws IOException {
        if (!Files.isDirectory(layout.alerts())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(layout.alerts())) {
            return files.filter(f -> f.getFileName().toString().startsWith("reconcile.")).sorted().toList();
        }
    }
}
