package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests.Emission;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT section 3, "A request": the outbox's group and mode, and its files removed after acknowledgement and retention. */
class OutboxHousekeepingTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 15);
    private static final Duration RETENTION = Duration.ofHours(720);

    @TempDir
    Path data;

    private CollectionsStore store;
    private DataLayout layout;
    private DunningRelay relay;
    private final FileSystemStorage storage = new FileSystemStorage();
    /** request id by invoice number, each written to the outbox as the relay does and recorded as emitted */
    private final Map<String, String> requests = new HashMap<>();
    private final Map<String, Emission> emissions = new HashMap<>();

    @BeforeEach
    void emitTwoRequests() throws Exception {
        layout = new DataLayout(data);
        store = Stores.open(data);
        for (String invoice : List.of("INV-1", "INV-2")) {
            store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i-%s\",\"client\":\"ACME\","
                    + "\"invoice_number\":\"%s\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2025-12-01\","
                    + "\"due_on\":\"%s\",\"contact_email\":\"ap@acme.example\"}", invoice, invoice, TODAY.minusDays(45)));
        }
        store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), TODAY, settings(Map.of())));
        relay = new DunningRelay(store, storage, layout, java.time.Duration.ofHours(24));
        for (Emission emission : store.owedEmissions(java.time.Duration.ofHours(24))) {
            relay.writeOutbox(new ObjectMapper().writeValueAsString(emission.body()), emission,
                    new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext()));
            store.recordEmitted(emission);
            requests.put(emission.key().invoiceNumber(), emission.requestId());
            emissions.put(emission.key().invoiceNumber(), emission);
        }
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private static DunningSettings settings(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(more);
        values.put("collections.dunning.skip-days", "");
        return DunningSettings.of(Settings.load(Map.of(), values));
    }

    private void acknowledge(String invoice) throws Exception {
        String id = requests.get(invoice);
        store.apply(Messages.json("{\"type\":\"reminder.sent\",\"message_id\":\"sent-%s\",\"client\":\"ACME\","
                + "\"invoice_number\":\"%s\",\"level\":\"reminder\",\"sent_at\":\"2026-03-15T11:00:00Z\","
                + "\"request_id\":\"%s\"}", id, invoice, id));
    }

    /** Housekeeping as it runs {@code after} from now (the files were written now, by the real clock). */
    private OutboxHousekeeping housekeepingAfter(Duration after, DunningSettings settings) {
        Clock later = Clock.fixed(Instant.now().plus(after), ZoneOffset.UTC);
        return new OutboxHousekeeping(store, storage, layout, settings, later);
    }

    private Path file(String invoice) {
        return layout.outbox().resolve(requests.get(invoice) + ".json");
    }

    @Test
    void theFilesOfAnAcknowledgedRequestOlderThanTheRetentionAreRemovedAndAnUnacknowledgedOnesNever() throws Exception {
        acknowledge("INV-1");
        Path revoked = layout.outbox().resolve(requests.get("INV-1") + ".revoked.json");
        Files.writeString(revoked, "{\"schema\":1,\"request_id\":\"" + requests.get("INV-1")
                + "\",\"client\":\"ACME\",\"invoice_number\":\"INV-1\",\"reason\":\"paid\"}");
        Path stranger = Files.writeString(layout.outbox().resolve("notes.txt"), "an operator's");

        assertThat(housekeepingAfter(RETENTION.minusHours(1), settings(Map.of())).run()).as("younger than the retention").isZero();
        assertThat(file("INV-1")).exists();

        assertThat(housekeepingAfter(RETENTION.plusHours(1), settings(Map.of())).run()).isEqualTo(2);
        assertThat(file("INV-1")).doesNotExist();
        assertThat(revoked).doesNotExist();
        assertThat(housekeepingAfter(Duration.ofDays(3650), settings(Map.of())).run()).as("unacknowledged").isZero();
        assertThat(file("INV-2")).exists();
        assertThat(stranger).as("not a request's file").exists();
        assertThat(store.find(new InvoiceKey("ACME", "INV-1")).orElseThrow().dunning()).as("the log keeps the request")
                .singleElement().satisfies(step -> assertThat(step.acknowledged()).isTrue());
    }

    @Test
    void aWithdrawnRequestsFileStaysUntilItsLateRevocationIsRecorded() throws Exception {
        store.apply(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"i-INV-3\",\"client\":\"ACME\","
                + "\"invoice_number\":\"INV-3\",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2025-12-01\","
                + "\"due_on\":\"%s\",\"contact_email\":\"ap@acme.example\"}", TODAY.minusDays(45)));
        store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), TODAY, settings(Map.of())));
        Emission request = store.owedEmissions(Duration.ofHours(24)).get(0);
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        relay.writeOutbox(new ObjectMapper().writeValueAsString(request.body()), request, exchange);
        // Sent, and a kill took its record; the payment withdrew it.
        store.apply(Messages.payment("p3", "ACME", "INV-3", "100.00", "USD"));
        Path file = layout.outbox().resolve(request.requestId() + ".json");

        assertThat(housekeepingAfter(Duration.ofDays(3650), settings(Map.of())).run()).as("its revocation is owed").isZero();
        assertThat(file).exists();

        Emission late = relay.pending().get(0);
        assertThat(late.kind()).isEqualTo(Emission.Kind.LATE_REVOCATION);
        relay.writeOutbox(new ObjectMapper().writeValueAsString(late.body()), late, exchange);
        relay.emitted(late);
        assertThat(relay.pending()).as("revoked once").isEmpty();
        assertThat(housekeepingAfter(RETENTION.plusHours(1), settings(Map.of())).run()).as("the request and its revocation")
                .isEqualTo(2);
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileNamingAnotherRequestThanItsOwnNameIsLeftAlone() throws Exception {
        acknowledge("INV-1");
        // INV-2's unacknowledged request under a name that makes it look like INV-1's.
        Files.delete(file("INV-1"));
        Files.copy(file("INV-2"), file("INV-1"));

        assertThat(housekeepingAfter(RETENTION.plusHours(1), settings(Map.of())).run()).isZero();
        assertThat(file("INV-1")).exists();
    }

    @Test
    void aConfiguredGroupMayReadTheOutboxFilesAndTheFolder() throws Exception {
        String group = primaryGroup();
        OutboxHousekeeping housekeeping = housekeepingAfter(Duration.ZERO, settings(Map.of("collections.outbox.group", group)));

        housekeeping.share(emissions.get("INV-1"));
        assertThat(attributes(file("INV-1")).group().getName()).isEqualTo(group);
        assertThat(PosixFilePermissions.toString(attributes(file("INV-1")).permissions())).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(attributes(layout.outbox()).permissions())).isEqualTo("rwxr-x---");
        assertThat(attributes(layout.outbox()).group().getName()).isEqualTo(group);
        // The data folder lets the group pass to outbox/, and no more: it cannot list the folder.
        assertThat(PosixFilePermissions.toString(attributes(layout.root()).permissions())).isEqualTo("rwx--x---");
        assertThat(attributes(layout.root()).group().getName()).isEqualTo(group);
        assertThat(PosixFilePermissions.toString(attributes(file("INV-2")).permissions())).as("not shared yet")
                .isEqualTo("rw-------");

        // The hourly run shares what a crash or an earlier setting left owner-only.
        assertThat(housekeeping.run()).isZero();
        assertThat(PosixFilePermissions.toString(attributes(file("INV-2")).permissions())).isEqualTo("rw-r-----");
    }

    @Test
    void withoutAGroupTheFilesStayTheServiceUsersAlone() throws Exception {
        OutboxHousekeeping housekeeping = housekeepingAfter(Duration.ZERO, settings(Map.of()));
        housekeeping.share(emissions.get("INV-1"));
        housekeeping.run();
        assertThat(PosixFilePermissions.toString(attributes(file("INV-1")).permissions())).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(attributes(layout.outbox()).permissions())).isEqualTo("rwx------");
    }

    @Test
    void aGroupTheSystemDoesNotKnowIsRefusedAtStartNamingTheKey() {
        DunningSettings unknown = settings(Map.of("collections.outbox.group", "no_such_group_xyz"));
        assertThatThrownBy(() -> housekeepingAfter(Duration.ZERO, unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("collections.outbox.group").hasMessageContaining("no_such_group_xyz");
    }

    private String primaryGroup() throws Exception {
        // A new file outside a setgid folder takes the creating user's primary group.
        Path probe = Files.createTempFile(data, "probe", ".txt");
        return attributes(probe).group().getName();
    }

    private static PosixFileAttributes attributes(Path path) throws Exception {
        return Files.readAttributes(path, PosixFileAttributes.class);
    }
}
