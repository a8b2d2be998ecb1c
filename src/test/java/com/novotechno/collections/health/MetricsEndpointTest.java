package com.novotechno.collections.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.testing.HttpProbe;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** /metrics counts what the routes and the log did, exactly, in Prometheus' text format. */
class MetricsEndpointTest extends ServiceTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DLQ = "collections_queue_messages{queue=\"collections.invoices.DLQ\"}";
    private static final String FSYNCS = "collections_log_fsync_seconds_count";
    private static final String HELD = "collections_unapplied_payments{status=\"held\"}";
    private static final String SYNCED_LINES = "collections_log_synced_lines_total";

    @Test
    void anAppliedADuplicateAndARejectedMessageAreCountedPerRouteWithTheirFsyncsAndDeadLetter() throws Exception {
        running = RunningService.start(data);
        int port = running.httpPort;
        HttpProbe.Answer first = HttpProbe.get(port, "/metrics");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(HttpProbe.sample(first.body(), DLQ)).isZero();
        double fsyncsBefore = HttpProbe.sample(first.body(), FSYNCS);
        double linesBefore = HttpProbe.sample(first.body(), SYNCED_LINES);

        // The queue first, one message at a time (one consumer): each applied message is one line, one fsync.
        byte[] issued = Messages.issued("q1", "ACME", "INV-1", "100.00", "USD");
        running.send(issued);
        await().atMost(WAIT).until(() -> messages(port, "queue", "applied") == 1);
        running.send(issued);
        running.send(Messages.issued("q2", "ACME", "INV-2", "-5.00", "USD"));
        await().atMost(WAIT).until(() -> messages(port, "queue", "rejected") == 1);
        await().atMost(WAIT).until(() -> HttpProbe.sample(port, DLQ) == 1);

        // Then the inbox, likewise one file at a time.
        byte[] filed = Messages.issued("f1", "ACME", "INV-3", "50.00", "EUR");
        running.drop("f1.json", filed);
        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("f1.json")));
        running.drop("f1-again.json", filed);
        await().atMost(WAIT).until(() -> Files.exists(running.layout.processed().resolve("f1-again.json")));
        running.drop("bad.json", Messages.issued("f2", "ACME", "INV-4", "-5.00", "EUR"));
        await().atMost(WAIT).until(() -> Files.exists(running.layout.rejected().resolve("bad.json")));

        // A payment for an invoice not yet issued is accepted and held.
        assertThat(HttpProbe.sample(port, HELD)).isZero();
        running.send(Messages.payment("q3", "ACME", "INV-9", "10.00", "USD"));
        await().atMost(WAIT).until(() -> HttpProbe.sample(port, HELD) == 1);

        String metrics = HttpProbe.get(port, "/metrics").body();
        for (String route : new String[] {"queue", "file"}) {
            assertThat(messages(metrics, route, "applied")).as(route).isEqualTo(route.equals("queue") ? 2 : 1);
            assertThat(messages(metrics, route, "duplicate")).as(route).isEqualTo(1);
            assertThat(messages(metrics, route, "rejected")).as(route).isEqualTo(1);
            assertThat(HttpProbe.sample(metrics, "collections_apply_seconds_count{route=\"" + route + "\"}"))
                    .isEqualTo(route.equals("queue") ? 3 : 2);
        }
        // Three messages applied, each its own line and fsync; duplicates and rejections write nothing.
        assertThat(HttpProbe.sample(metrics, FSYNCS) - fsyncsBefore).isEqualTo(3);
        assertThat(HttpProbe.sample(metrics, SYNCED_LINES) - linesBefore).isEqualTo(3);
        assertThat(HttpProbe.sample(metrics, "collections_unapplied_payments{status=\"to_refund\"}")).isZero();
        assertThat(HttpProbe.sample(metrics, "collections_log_fsyncs_per_message")).isEqualTo(1.0);
        assertThat(HttpProbe.sample(metrics, DLQ)).isEqualTo(1);
        assertThat(HttpProbe.sample(metrics, "collections_queue_messages{queue=\"collections.invoices\"}")).isZero();
        // Camel's own statistics of the routes: every message is one exchange, none failed (a rejection is handled).
        assertThat(HttpProbe.sample(metrics, "collections_route_exchanges_total{route=\"queue-intake\"}")).isEqualTo(4);
        assertThat(HttpProbe.sample(metrics, "collections_route_exchanges_total{route=\"file-intake\"}")).isEqualTo(3);
        assertThat(HttpProbe.sample(metrics, "collections_route_exchanges_failed_total{route=\"queue-intake\"}")).isZero();
        assertThat(metrics).contains("collections_route_processing_seconds_total{route=\"file-intake\"}",
                "collections_reconcile_differences 0", "collections_dunning_awaiting_acknowledgement 0",
                "jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_");
        // Never a client, an invoice or a message id as a label: their number has no bound.
        assertThat(metrics).doesNotContain("ACME", "INV-", "q1");
        // The same statistics as Camel's MBeans, which the README tells operators to look at with jconsole.
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(
                new ObjectName("org.apache.camel:context=novotechno-collections,type=routes,*"), null)).isNotEmpty();
    }

    private static double messages(int port, String route, String outcome) throws Exception {
        return messages(HttpProbe.get(port, "/metrics").body(), route, outcome);
    }

    private static double messages(String metrics, String route, String outcome) {
        return HttpProbe.sample(metrics, "collections_messages_total{outcome=\"" + outcome + "\",route=\"" + route + "\"}");
    }
}
