package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceProcess;
import jakarta.jms.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real service killed with SIGKILL while it emits dunning requests: after the restart each
 * request reaches the emailer's queue exactly once, whether the kill came before its emission,
 * between its send and the record of it, or after.
 */
class DunningKillTest {

    private static final int INVOICES = 60;
    private static final Duration START = ServiceProcess.START;

    @TempDir
    Path work;

    @Test
    void aKillMidEmissionLeavesEveryRequestOnTheQueueExactlyOnce() throws Exception {
        Path data = work.resolve("data");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        StoreSettings settings = new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC());
        try (CollectionsStore store = CollectionsStore.open(data, settings, n -> { })) {
            for (int i = 0; i < INVOICES; i++) {
                store.apply(Messages.issuedDue("i" + i, "ACME", "INV-" + i, "10.00", "USD", today.minusDays(60),
                        today.minusDays(20), "ap@acme.example"));
            }
        }
        int port = RunningService.freePort();
        Process service = ServiceProcess.launch(work, "killed", data, port, "--collections.dunning.skip-days=");
        // Kill once the relay is part way: some emissions recorded in the log, some not.
        await().atMost(START).until(() -> emittedEntries(data) >= 5 || !service.isAlive());
        service.destroyForcibly();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(emittedEntries(data)).as(Files.readString(work.resolve("killed.err"))).isLessThan(INVOICES);

        try (RunningService restarted = RunningService.start(data, new FileSystemStorage(),
                Map.of("collections.dunning.skip-days", ""))) {
            await().atMost(START).until(() -> emittedEntries(data) == INVOICES);
            List<String> received = new ArrayList<>();
            Optional<Message> next;
            while ((next = restarted.receive("collections.emailer", Duration.ofSeconds(3))).isPresent()) {
                received.add(new ObjectMapper().readTree(RunningService.bodyOf(next.get())).get("request_id").asText());
            }
            Set<String> distinct = new HashSet<>(received);
            assertThat(distinct).hasSize(INVOICES);
            assertThat(received).as("no request twice").hasSize(INVOICES);
        }
    }

    private static long emittedEntries(Path data) throws Exception {
        try (Stream<String> lines = Files.lines(data.resolve("events.log"))) {
            return lines.filter(line -> line.contains("\"type\":\"dunning.emitted\"")).count();
        }
    }
}
