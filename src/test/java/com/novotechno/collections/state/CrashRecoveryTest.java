package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.JavaProcess;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Stores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM with SIGKILL at random moments while it applies a stream of
 * messages with several threads, restarting it each time; then proves that nothing was lost,
 * nothing applied twice, and that the state is exactly what the log says.
 */
class CrashRecoveryTest {

    private static final long SEED = 20261127L;
    private static final int INVOICES = 500;
    private static final int THREADS = 4;
    /** 25 in the regular suite; a longer torture run: -Dcollections.crash.kills=300 (see the README). */
    private static final int KILLS = Integer.getInteger("collections.crash.kills", 25);

    @TempDir
    Path temp;

    @Test
    void killedAtRandomMomentsTheStoreStillAppliesEveryMessageExactlyOnce() throws Exception {
        Path data = temp.resolve("data");
        Random random = new Random(SEED);
        int killedMidWork = 0;
        int ledgerBehind = 0;
        for (int round = 0; round < KILLS; round++) {
            Process worker = start(data, temp.resolve("worker-" + round + ".err"));
            BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
            if (round % 5 == 4) {
                // Now and then kill during start-up, which may be in the middle of recovery.
                Thread.sleep(100 + random.nextInt(500));
            } else {
                String first = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
                assertThat(first).as("worker %d's first line (see %s)", round, temp).isEqualTo("ready");
                Thread.sleep(random.nextInt(300));
            }
            if (worker.isAlive()) {
                killedMidWork++;
            }
            worker.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            worker.waitFor(30, TimeUnit.SECONDS);
            assertThat(worker.exitValue()).as("worker %d exit (see %s)", round, temp).isIn(0, 137);
            if (ledgerBehindTheLog(data)) {
                ledgerBehind++;
            }
        }
        System.out.printf("crash test: %d of %d kills hit a running worker, %d left the ledger behind the log%n",
                killedMidWork, KILLS, ledgerBehind);
        assertThat(killedMidWork).as("kills that hit a running worker").isGreaterThan(KILLS / 2);
        assertThat(ledgerBehind).as("kills that came between a state write and the ledger's next batch").isPositive();

        // Opening after a kill brings the ledger up to date before anything else happens.
        try (CollectionsStore store = Stores.open(data)) {
            ReconcileReport reconciled = new Reconciler(new FileSystemStorage(), new DataLayout(data))
                    .reconcile(Reconciler.Mode.AT_REST);
            assertThat(reconciled.differences()).isEmpty();
            assertThat(reconciled.ledgerSeq()).isEqualTo(store.lastSeq());
        }

        Process last = start(data, temp.resolve("worker-final.err"));
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as("final worker (see %s)", temp.resolve("worker-final.err")).isZero();

        assertEverythingAppliedExactlyOnce(data);
    }

    private static boolean ledgerBehindTheLog(Path data) throws Exception {
        if (!Files.exists(data.resolve("ledger.qmd"))) {
            return false; // killed before the first open finished
        }
        long ledgerSeq = Ledgers.parse(data).content().lastSeq();
        return ledgerSeq < EventLog.inspect(new FileSystemStorage(), data.resolve("events.log")).highestSeqClaimed();
    }

    private Process start(Path data, Path stderr) throws Exception {
        return JavaProcess.builder(CrashWorker.class, data.toString(), Long.toString(SEED), Integer.toString(INVOICES),
                        Integer.toString(THREADS))
                .redirectError(stderr.toFile())
                .start();
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertEverythingAppliedExactlyOnce(Path data) throws Exception {
        List<CrashStream.InvoicePlan> plans = CrashStream.plan(SEED, INVOICES);
        FileSystemStorage storage = new FileSystemStorage();

        StoreVerifier.Report report = new StoreVerifier(storage, new DataLayout(data)).verify();
        assertThat(new Reconciler(storage, new DataLayout(data)).reconcile(Reconciler.Mode.AT_REST).differences()).isEmpty();
        assertThat(report.faults()).isEmpty();
        assertThat(report.stateFiles()).isEqualTo(INVOICES);
        assertThat(Stores.temporaryFiles(data)).isEmpty();

        List<LogEntry> entries = new ArrayList<>();
        EventLog.replay(storage, data.resolve("events.log"), 0, entries::add);
        Set<String> expectedIds = new HashSet<>();
        plans.forEach(plan -> expectedIds.addAll(plan.messageIds()));
        assertThat(entries).extracting(LogEntry::messageId).doesNotHaveDuplicates();
        assertThat(entries).extracting(LogEntry::messageId).containsExactlyInAnyOrderElementsOf(expectedIds);

        try (CollectionsStore store = Stores.open(data)) {
            for (CrashStream.InvoicePlan plan : plans) {
                InvoiceKey key = new InvoiceKey(plan.client(), plan.invoice());
                boolean inOpen = Files.exists(data.resolve("state/open").resolve(plan.client()).resolve(plan.invoice() + ".json"));
                boolean inArchive = Files.exists(data.resolve("state/archive").resolve(plan.client()).resolve(plan.invoice() + ".json"));
                assertThat(inOpen ^ inArchive).as("%s in exactly one of open/archive", key).isTrue();
                InvoiceState state = store.find(key).orElseThrow();
                assertThat(state.amount().amount()).as("%s amount", key).isEqualByComparingTo(plan.amount());
                assertThat(state.balance().amount()).as("%s balance", key).isEqualByComparingTo(plan.balance());
                InvoiceStatus expected = plan.status();
                assertThat(state.status()).as("%s status", key).isEqualTo(expected);
                assertThat(inArchive).as("%s archived", key).isEqualTo(!expected.isOpen());
                assertThat(state.reminders()).as("%s reminders", key).hasSize(plan.reminders());
            }
        }

        assertThat(Stores.assertReplayReproducesState(data, temp.resolve("replayed"))).isEqualTo(entries.size());
    }
}
