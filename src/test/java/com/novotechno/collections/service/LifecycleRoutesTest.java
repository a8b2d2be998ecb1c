package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.state.InvoiceState;
import com.novotechno.collections.state.InvoiceStatus;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import jakarta.jms.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The receivables lifecycle (CONTRACT section 1) through both routes: each new type applied, and each
 * message that does not fit rejected with its reason while nothing changes.
 */
class LifecycleRoutesTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InvoiceKey INV_1 = new InvoiceKey("ACME", "INV-1");
    private static final InvoiceKey INV_2 = new InvoiceKey("ACME", "INV-2");

    /** One route in: sends a message, and tells once it is accepted or with what reason it was rejected. */
    private interface Route {
        void send(String name, byte[] message) throws Exception;

        Optional<String> rejection(String name) throws Exception;
    }

    private Route files() {
        return new Route() {
            @Override
            public void send(String name, byte[] message) throws Exception {
                running.drop(name + ".json", message);
                Path processed = running.layout.processed().resolve(name + ".json");
                Path rejected = running.layout.rejected().resolve(name + ".json.error.json");
                await().atMost(WAIT).until(() -> Files.exists(processed) || Files.exists(rejected));
            }

            @Override
            public Optional<String> rejection(String name) throws Exception {
                Path error = running.layout.rejected().resolve(name + ".json.error.json");
                return Files.exists(error) ? Optional.of(new ObjectMapper().readTree(error.toFile()).get("reason").asText())
                        : Optional.empty();
            }
        };
    }

    private Route queue() {
        List<String> reasons = new ArrayList<>();
        return new Route() {
            @Override
            public void send(String name, byte[] message) throws Exception {
                long logLines = Files.readAllLines(running.layout.eventLog()).size();
                running.send(message);
                // Accepted: one more log line; rejected: a dead letter with its reason (taken, not browsed: a
                // browser can block on a message the broker is still moving).
                Message[] dead = new Message[1];
                await().atMost(WAIT).until(() -> Files.readAllLines(running.layout.eventLog()).size() > logLines
                        || (dead[0] = running.receive("collections.invoices.DLQ", Duration.ofMillis(200)).orElse(null)) != null);
                if (dead[0] != null) {
                    reasons.add(dead[0].getStringProperty("CollectionsRejectReason"));
                }
            }

            @Override
            public Optional<String> rejection(String name) {
                return reasons.stream().filter(reason -> reason.startsWith("message " + name + " ")).findFirst()
                        .map(reason -> reason.substring(reason.indexOf(": ") + 2));
            }
        };
    }

    @Test
    void everyLifecycleTypeAppliesThroughTheInbox() throws Exception {
        running = RunningService.start(data);
        assertLifecycle(files());
    }

    @Test
    void everyLifecycleTypeAppliesThroughTheQueue() throws Exception {
        running = RunningService.start(data);
        assertLifecycle(queue());
    }

    @Test
    void anErasureThroughTheInboxLeavesNoByteOfTheAddressInTheDataFolder() throws Exception {
        running = RunningService.start(data);
        String address = "jane.doe@acme.example";
        Route route = files();
        route.send("i1", Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i1\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-1\",\"amount\":\"100.00\",\"currency\":\"USD\",\"contact_email\":\"%s\"}", address));
        route.send("bad", Messages.json("{\"type\":\"invoice.amended\",\"message_id\":\"bad\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-404\",\"contact_email\":\"%s\",\"reason\":\"x\"}", address));
        assertThat(route.rejection("bad")).isPresent();
        route.send("x1", Messages.erased("x1", "ACME"));
        running.service.store().flushLedger();

        assertThat(running.service.store().find(INV_1).orElseThrow().contactEmail()).isEmpty();
        assertThat(DataFolders.filesContaining(data, address)).as("files holding the address").isEmpty();
        assertThat(running.layout.processed().resolve("x1.json")).exists();
        assertThat(running.layout.processed().resolve("i1.json")).doesNotExist();
    }

    @Test
    void onTheQueueOnlyTheOperatorMayEraseAClient() throws Exception {
        running = RunningService.start(data);
        running.send(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        running.send(Messages.erased("x1", "ACME"));
        Message dead = running.receive("collections.invoices.DLQ", WAIT).orElseThrow();
        assertThat(dead.getStringProperty("CollectionsRejectReason"))
                .isEqualTo("message x1 rejected: only an operator may send client.erased");

        running.sendAs(BrokerCredentials.OPERATOR, Messages.erased("x2", "ACME"));
        await().atMost(WAIT).until(() -> Files.readAllLines(running.layout.eventLog()).size() == 2);
        assertThat(Files.readAllLines(running.layout.eventLog()).get(1)).contains("\"type\":\"client.erased\"");
    }

    private void assertLifecycle(Route route) throws Exception {
        route.send("i1", Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        route.send("a1", Messages.amended("a1", "ACME", "INV-1", "ap@acme.example", null));
        route.send("c0", Messages.credit("c0", "ACME", "INV-1", "30.00", "EUR"));
        route.send("c1", Messages.credit("c1", "ACME", "INV-1", "30.00", "USD"));
        route.send("v0", Messages.voided("v0", "ACME", "INV-1"));
        route.send("p1", Messages.payment("p1", "ACME", "INV-1", "80.00", "USD"));
        route.send("a2", Messages.amended("a2", "ACME", "INV-1", "other@acme.example", null));
        route.send("r0", Messages.reversed("r0", "ACME", "INV-1", "p-unknown"));
        route.send("r1", Messages.reversed("r1", "ACME", "INV-1", "p1"));
        route.send("w1", Messages.writtenOff("w1", "ACME", "INV-1"));
        route.send("i2", Messages.issued("i2", "ACME", "INV-2", "50.00", "USD"));
        route.send("v2", Messages.voided("v2", "ACME", "INV-2"));

        assertThat(route.rejection("c0")).contains("currency: EUR differs from the invoice's USD");
        assertThat(route.rejection("v0")).hasValueSatisfying(reason -> assertThat(reason)
                .contains("has payments or credits on it, so it cannot be voided"));
        assertThat(route.rejection("a2")).contains("invoice ACME/INV-1 is paid and archived; it takes no further messages");
        assertThat(route.rejection("r0")).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("payment_message_id: no payment p-unknown is recorded for invoice ACME/INV-1"));
        for (String accepted : List.of("i1", "a1", "c1", "p1", "r1", "w1", "i2", "v2")) {
            assertThat(route.rejection(accepted)).as(accepted).isEmpty();
        }
        // Eight accepted, each once in the log; the four rejected left no trace there.
        assertThat(Files.readAllLines(running.layout.eventLog())).hasSize(8);

        InvoiceState first = running.service.store().find(INV_1).orElseThrow();
        assertThat(first.status()).isEqualTo(InvoiceStatus.WRITTEN_OFF);
        assertThat(first.contactEmail()).contains("ap@acme.example");
        assertThat(first.writtenOff()).hasValueSatisfying(w -> assertThat(w.toPlainString()).isEqualTo("70.00"));
        assertThat(first.credited()).hasValueSatisfying(c -> assertThat(c.toPlainString()).isEqualTo("30.00"));
        assertThat(running.service.store().unapplied()).as("the overpayment's excess went with its reversal").isEmpty();
        assertThat(running.service.store().find(INV_2).orElseThrow().status()).isEqualTo(InvoiceStatus.VOID);
        running.service.store().checkpointNow(); // the state files follow the log at the checkpoint
        assertThat(running.layout.root().resolve("state/archive/ACME/INV-1.json")).exists();
        assertThat(running.layout.root().resolve("state/archive/ACME/INV-2.json")).exists();
        // Both closed: no file left open (the folder exists only if a checkpoint wrote one of them while open).
        assertThat(DataFolders.filesUnder(running.layout.root().resolve("state/open"))).isEmpty();
    }
}
