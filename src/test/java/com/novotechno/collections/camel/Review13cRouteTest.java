package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileStamp;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.ForwardingStorage;
import com.novotechno.collections.storage.Storage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.MovableClock;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 13c: the reconcile route's closed-period checks attacked as a hostile local user and an unlucky
 * operator would: a period file edited in place with its size, time and inode kept; a file whose change its
 * stamp does not show (bit rot); the tmp file a kill leaves in ledger/.
 */
class Review13cRouteTest {

    private static final ReconcileSchedule THREE_TICKS = new ReconcileSchedule(Duration.ofSeconds(1), Duration.ofSeconds(3));
    /** Two cycles of the sweeps and a tick to confirm what the last found. */
    private static final int TWO_CYCLES_AND_A_TICK = 7;

    @TempDir
    Path data;
    private final MovableClock clock = new MovableClock("2026-03-10T09:00:00Z");
    private DataLayout layout;
    private CollectionsStore store;
    private StateAuditCheck audit;

    /** March closed with four invoices paid in it (400.00 USD carried) and one left open. */
    @BeforeEach
    void aClosedMarch() throws Exception {
        layout = new DataLayout(data);
        store = CollectionsStore.open(data, new StoreSettings(Currencies.parse("USD"), 30, clock), Stores.NOTICES::add);
        store.applyBatch(Messages.issuedMany(5, i -> "ACME"));
        clock.set("2026-03-20T12:00:00Z");
        for (int i = 0; i < 4; i++) {
            store.apply(Messages.payment("p" + i, "ACME", String.format("INV-%03d", i), "100.00", "USD"));
        }
        store.checkpointNow();
        clock.set("2026-04-02T09:00:00Z");
        store.flushLedger();
        assertThat(march()).exists();
        audit = new StateAuditCheck(store, new StateAudit(new FileSystemStorage(), layout), THREE_TICKS, clock);
        assertThat(audit.run()).isNull();
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private Path march() {
        return layout.ledgerPeriods().resolve("paid-2026-03.qmd");
    }

    private ReconcileCheck check(Storage storage) {
        return new ReconcileCheck(store, audit, new SliceReconciler(storage, layout, ZoneOffset.UTC, THREE_TICKS), clock);
    }

    private static String alertWithin(ReconcileCheck check, int ticks) throws IOException {
        for (int tick = 0; tick < ticks; tick++) {
            String alert = check.check();
            if (alert != null) {
                return alert;
            }
        }
        return null;
    }

    /** March's file resealed (totals and checksums recomputed) with INV-001 at 500.00 instead of 100.00: the same size. */
    private void resealInvoiceOneAt500() throws IOException {
        Ledgers.resealPeriodFile(march(), rows -> rows.stream().map(row -> row.key().invoiceNumber().equals("INV-001")
                ? withAmount(row, "500.00") : row).toList());
    }

    private static LedgerRow withAmount(LedgerRow row, String amount) {
        return new LedgerRow(row.key(), row.section(), row.issuedOn(), row.dueOn(), Money.ofStored(amount, row.currency()),
                row.balance(), row.enteredOn(), row.reason(), row.closedAmount(), row.receivedOn());
    }

    /**
     * A hostile user rewrites March's file in place (same inode), the same size, and sets its time back as
     * {@code touch -r} does: size, time and inode, all the route's cache looked at, are as they were.
     */
    @Test
    void aPeriodFileEditedInPlaceWithItsSizeAndTimeKeptIsRaised() throws IOException {
        ReconcileCheck check = check(new FileSystemStorage());
        assertThat(check.check()).isNull();
        FileStamp before = new FileSystemStorage().stamp(march()).orElseThrow();
        FileTime modified = Files.getLastModifiedTime(march());

        resealInvoiceOneAt500();
        Files.setLastModifiedTime(march(), modified);
        FileStamp after = new FileSystemStorage().stamp(march()).orElseThrow();
        assertThat(List.of(after.size(), after.modifiedNanos(), after.identity()))
                .as("size, time and inode kept").isEqualTo(List.of(before.size(), before.modifiedNanos(), before.identity()));

        assertThat(alertWithin(check, TWO_CYCLES_AND_A_TICK)).as("raised within two cycles").isNotNull()
                .contains("ACME/INV-001");
    }

    /**
     * A change no stamp shows (a disk that rots a byte, a file system without inodes or times that tell):
     * the class promises the file read whole again each time the sweep comes round to it, whatever its stamp.
     */
    @Test
    void aPeriodFileChangedBehindAStampThatDoesNotTellIsFoundWhenTheSweepComesRound() throws IOException {
        ReconcileCheck check = check(new FrozenStamps(new FileSystemStorage()));
        assertThat(check.check()).isNull();

        resealInvoiceOneAt500();

        assertThat(alertWithin(check, TWO_CYCLES_AND_A_TICK)).as("raised within two cycles").isNotNull()
                .contains("ACME/INV-001");
    }

    /** What a kill while the service wrote a period's file leaves beside it: garbage every scanner skips. */
    @Test
    void theTmpFileAKillLeftInTheFolderOfPeriodFilesRaisesNothing() throws IOException {
        Files.write(layout.ledgerPeriods().resolve(".paid-2026-04.qmd.r1f2e3d4c5b6a7980.123456789.tmp"),
                Files.readAllBytes(march()));
        ReconcileCheck check = check(new FileSystemStorage());

        for (int tick = 1; tick <= TWO_CYCLES_AND_A_TICK; tick++) {
            assertThat(check.check()).as("tick " + tick).isNull();
            assertThat(check.lastReport().differences()).as("tick " + tick).isEmpty();
        }
    }

    /** No tick may hang on a FIFO or read a file beyond the limit whole: each is named, and raised. */
    @Test
    void aPeriodFileReplacedByAFifoADirectoryOrAHugeFileIsRaisedWithoutHanging() throws Exception {
        ReconcileCheck check = check(new FileSystemStorage());
        assertThat(check.check()).isNull();
        for (String kind : List.of("fifo", "directory", "huge")) {
            Files.delete(march());
            switch (kind) {
                case "fifo" -> assertThat(new ProcessBuilder("mkfifo", march().toString()).start().waitFor()).isZero();
                case "directory" -> Files.createDirectory(march());
                default -> {
                    try (var file = java.nio.channels.FileChannel.open(march(), java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE)) {
                        file.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), Limits.MAX_LEDGER_BYTES); // sparse
                    }
                }
            }
            String alert = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> alertWithin(check, 2), kind);
            assertThat(alert).as(kind).contains("ledger/paid-2026-03.qmd").contains("cannot be read");
            if (Files.isDirectory(march())) {
                Files.delete(march());
                Files.createFile(march());
            }
        }
    }

    /** The disk, but each file's stamp is the first one given for it: a change that no stamp shows. */
    private static final class FrozenStamps extends ForwardingStorage {
        private final Map<Path, Optional<FileStamp>> first = new ConcurrentHashMap<>();

        FrozenStamps(Storage delegate) {
            super(delegate);
        }

        @Override
        public Optional<FileStamp> stamp(Path file) throws IOException {
            Optional<FileStamp> now = delegate.stamp(file);
            return first.computeIfAbsent(file, f -> now);
        }
    }
}
