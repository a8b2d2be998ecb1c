package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state-audit route's ticks over a book larger than one slice: 250 invoices of 250 clients, so 250
 * folders in state/open; slices of 100 (the minimum) of the invoices and of the folders, so a cycle is
 * three ticks, and a full period of three ticks.
 */
class RollingStateAuditTest {

    private static final int INVOICES = 250;
    private static final ReconcileSchedule THREE_TICKS = new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(3));

    @TempDir
    Path data;
    private CollectionsStore store;
    private DataLayout layout;
    private StateAuditCheck audit;

    @BeforeEach
    void aBookOfThreeSlices() throws IOException {
        layout = new DataLayout(data);
        store = Stores.open(data);
        store.applyBatch(Messages.issuedMany(INVOICES, i -> String.format("C%03d", i)));
        store.checkpointNow();
        audit = new StateAuditCheck(store, new StateAudit(new FileSystemStorage(), layout), THREE_TICKS,
                Stores.SETTINGS.clock());
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private Path stateFile(int invoice) {
        return layout.openState().resolve(String.format("C%03d", invoice)).resolve(String.format("INV-%03d.json", invoice));
    }

    @Test
    void aDeletedFileOfAnInvoiceNotChangedRecentlyIsRewrittenWithinOneCycleWithOneAlert() throws IOException {
        assertThat(audit.done()).isFalse();
        // The last invoice in the sweep's order, unchanged since issued: its slice is the cycle's third.
        byte[] written = Files.readAllBytes(stateFile(249));
        Files.delete(stateFile(249));

        assertThat(audit.run()).as("tick 1: the first slice, not the book").isNull();
        assertThat(audit.done()).as("the reconcile route may begin").isTrue();
        assertThat(audit.run()).as("tick 2").isNull();
        assertThat(stateFile(249)).doesNotExist();
        JsonNode alert = new ObjectMapper().readTree(audit.run());

        assertThat(alert.get("type").asText()).isEqualTo("state-audit.alert");
        assertThat(alert.get("repair_count").asInt()).isEqualTo(1);
        assertThat(alert.get("repairs").get(0).asText())
                .isEqualTo("state/open/C249/INV-249.json: missing; the log has invoice C249/INV-249 as unpaid at seq 250");
        assertThat(stateFile(249)).hasBinaryContent(written);
        assertThat(audit.run()).as("the next cycle finds nothing more").isNull();
    }

    @Test
    void aChangedInvoicesFileIsAuditedAtTheTickAfterItsChange() throws Exception {
        assertThat(audit.run()).isNull(); // tick 1: the first slice, C000 to C099
        List<InvoiceKey> told = new ArrayList<>();
        store.onWritten(told::add); // as the reconcile route listens too: each listener is told
        store.apply(Messages.payment("p1", "C240", "INV-240", "30.00", "USD"));
        store.checkpointNow();
        // Written by the service, then edited: long before its slice comes, the next tick rewrites it.
        byte[] written = Files.readAllBytes(stateFile(240));
        Files.writeString(stateFile(240), "{}");

        String alert = audit.run();

        assertThat(told).containsExactly(new InvoiceKey("C240", "INV-240"));
        assertThat(alert).isNotNull();
        assertThat(new ObjectMapper().readTree(alert).get("repairs").get(0).asText())
                .startsWith("state/open/C240/INV-240.json: ");
        assertThat(stateFile(240)).hasBinaryContent(written);
    }

    @Test
    void aStrayFileIsRemovedWhenTheWalkReachesItsFolder() throws Exception {
        Path ghost = layout.openState().resolve("C249").resolve("GHOST.json");
        Files.copy(stateFile(249), ghost);
        Path elsewhere = layout.archiveState().resolve("ZZZ").resolve("INV-1.json");
        Files.createDirectories(elsewhere.getParent());
        Files.copy(stateFile(0), elsewhere);

        assertThat(audit.run()).as("tick 1: folders C000 to C099").isNull();
        assertThat(audit.run()).as("tick 2: C100 to C199").isNull();
        assertThat(ghost).exists();
        JsonNode third = new ObjectMapper().readTree(audit.run());

        assertThat(third.get("repairs")).extracting(JsonNode::asText).containsExactly(
                "state/open/C249/GHOST.json: the log has no invoice C249/GHOST",
                "state/archive/ZZZ/INV-1.json: the log has no invoice ZZZ/INV-1");
        assertThat(ghost).doesNotExist();
        assertThat(elsewhere).doesNotExist();
    }

    @Test
    void aFolderCreatedMidCycleIsWalkedInTheNextCycle() throws Exception {
        assertThat(audit.run()).isNull();
        Path stray = layout.openState().resolve("AAA").resolve("INV-1.json");
        Files.createDirectories(stray.getParent());
        Files.copy(stateFile(0), stray);

        assertThat(audit.run()).as("not in the folders listed when the cycle began").isNull();
        assertThat(audit.run()).isNull();
        assertThat(stray).exists();
        String alert = audit.run();

        assertThat(alert).as("the next cycle lists it, first").contains("state/open/AAA/INV-1.json: the log has no invoice AAA/INV-1");
        assertThat(stray).doesNotExist();
    }
}
