package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.StandardError;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every run of the reconcile route says in one line what it compared, how long it took and what it found. */
class ReconcileRunLineTest {

    private static final int INVOICES = 30;

    @TempDir
    Path data;
    private CollectionsStore store;
    private DataLayout layout;
    private ReconcileCheck check;

    @BeforeEach
    void aBookComparedWholeAtEveryRun() throws IOException {
        layout = new DataLayout(data);
        store = Stores.open(data);
        store.applyBatch(Messages.issuedMany(INVOICES, i -> "ACME"));
        store.flushLedger();
        ReconcileSchedule everyRun = ReconcileSchedule.of(Duration.ofMinutes(1), ReconcileSchedule.MIN_FULL_PERIOD);
        StateAuditCheck audit = new StateAuditCheck(store, new StateAudit(new FileSystemStorage(), layout), everyRun,
                Stores.SETTINGS.clock());
        assertThat(audit.run()).isNull();
        check = new ReconcileCheck(store, audit, new SliceReconciler(new FileSystemStorage(), layout, ZoneOffset.UTC,
                everyRun), Stores.SETTINGS.clock());
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    /** The one line the run logged, with its level. */
    private String run() throws IOException {
        try (StandardError log = StandardError.capture()) {
            check.check();
            assertThat(log.text().lines().filter(line -> line.contains("reconcile: run "))).hasSize(1);
            return log.text().lines().filter(line -> line.contains("reconcile: run ")).findFirst().orElseThrow();
        }
    }

    @Test
    void aRunThatAgreesSaysWhatItComparedAndHowLong() throws Exception {
        assertThat(run()).matches(".* INFO ReconcileCheck - reconcile: run 1 in \\d+ ms: agree; compared ledger.qmd at log seq "
                + INVOICES + " \\(.*\\) and " + INVOICES + " state files of " + INVOICES + " invoices: 0 changed since"
                + " the last run, " + INVOICES + " of the sweep \\(.*\\), 0 compared again"); // written before it watched
        store.apply(Messages.payment("p1", "ACME", "INV-003", "1.00", "USD"));
        store.flushLedger();
        assertThat(run()).contains("reconcile: run 2 in ").contains(": agree; ").contains("1 changed since the last run");
    }

    @Test
    void aDifferenceIsCountedFirstSeenThenAlertedThenWarnedWhileItStays() throws IOException {
        run();
        Files.delete(layout.openState().resolve("ACME").resolve("INV-007.json"));
        assertThat(run()).contains(" INFO ").contains(": 1 differences seen for the first time; the next run checks them again;");
        assertThat(run()).contains(" INFO ").contains(": 1 differences, alerted;").contains("1 compared again");
        check.alerted();
        assertThat(run()).contains(" WARN ").contains(": the ledger still disagrees with the state files (1 differences,"
                + " alerted before);");
    }
}
