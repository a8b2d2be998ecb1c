package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routes an operator points the service at replace those shipped in the jar. */
class RoutesFolderTest {

    @TempDir
    Path temp;

    @Test
    void theShippedRoutesRunByDefault() throws Exception {
        try (RunningService running = RunningService.start(temp.resolve("data"))) {
            assertThat(running.service.routeIds()).containsExactly("dunning", "dunning-alerts", "dunning-relay", "file-intake",
                    "http-health", "http-live", "http-metrics", "http-ready", "log-head",
                    "outbox", "queue-intake", "queue-outcome", "reconcile", "retention", "state-audit", "unapplied");
        }
    }

    @Test
    void anOperatorsRoutesFolderReplacesTheShippedRoutes() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Files.copy(Path.of("routes", "file-intake.yaml"), routes.resolve("file-intake.yaml"));
        try (RunningService running = RunningService.start(temp.resolve("data"), new FileSystemStorage(),
                Map.of("collections.routes", routes.toString()))) {
            assertThat(running.service.routeIds()).containsExactly("file-intake");

            running.drop("a.json", Messages.issued("a1", "ACME", "INV-1", "1.00", "USD"));
            running.send(Messages.issued("q1", "ACME", "INV-2", "1.00", "USD"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(running.layout.processed().resolve("a.json")));
            // No queue route here: the message waits on the queue.
            assertThat(running.waiting("collections.invoices")).isEqualTo(1);
        }
    }
}
