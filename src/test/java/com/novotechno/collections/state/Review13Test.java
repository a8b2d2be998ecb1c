package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.log.LogPosition;
import com.novotechno.collections.state.ApplyResult.Outcome;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.JavaProcess;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 13: the start from a snapshot attacked as a hostile (or unlucky) user would: records at
 * every limit, snapshot.bin damaged, replaced, rolled back or forged, the log edited under it, and
 * snapshots racing the work. Each test asserts what a user expects; see the review report for the
 * ones that fail.
 */
class Review13Test {

    private static final Currency BHD = Currencies.parse("BHD");
    private static final Currency JPY = Currencies.parse("JPY");
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    /** MAX_REASON_CHARS characters of four bytes each in UTF-8: the longest text in bytes a sender may send. */
    private static final String LONGEST_REASON = "\uD83D\uDE00".repeat(Limits.MAX_REASON_CHARS);

    @TempDir
    Path temp;
    Path data;

    @BeforeEach
    void setUp() {
        data = temp.resolve("data");
        Stores.NOTICES.clear();
    }

    // ---------------------------------------------------------------- sums and sizes at the limits

    @Test
    void aRecordAtEveryLimitSurvivesTheSnapshotWholeInEveryScale() throws Exception {
        InvoiceKey key = new InvoiceKey("acme", "INV-LIMIT");
        Money amount = Money.parsePositive("1000000000000", BHD); // 10^12 at three decimals
        Money each = Money.parsePositive("1000000000", BHD);
        List<InvoiceState.Payment> payments = new ArrayList<>();
        String longId = "\uD83D\uDE00".repeat(Limits.MAX_MESSAGE_ID_CHARS);
        for (int i = 0; i < Limits.MAX_PAYMENTS_PER_INVOICE; i++) {
            payments.add(new InvoiceState.Payment(2 + 2L * i, longId, each, Optional.of("\uD83D\uDE00".repeat(Limits.MAX_METHOD_CHARS)),
                    Optional.of("\uD83D\uDE00".repeat(Limits.MAX_REFERENCE_CHARS)), LocalDate.parse("2026-02-01"),
                    i == 0 ? Optional.of(new InvoiceState.Reversal(3, LONGEST_REASON)) : Optional.empty()));
        }
        // The first reversed: 999 payments and one credit settle the 10^12.
        List<InvoiceState.Credit> credits = new ArrayList<>();
        credits.add(new InvoiceState.Credit(4000, "c", each, LONGEST_REASON));
        List<InvoiceState.Amendment> amendments = new ArrayList<>();
        for (int i = 0; i < Limits.MAX_AMENDMENTS_PER_INVOICE; i++) {
            amendments.add(new InvoiceState.Amendment(4100 + i, List.of("due_on", "contact_email"), LONGEST_REASON));
        }
        InvoiceState paid = new InvoiceState(key, amount, Money.zero(BHD), InvoiceStatus.CREDITED, LocalDate.parse("2026-01-10"),
                LocalDate.parse("2026-02-09"), Optional.of("a@" + "b".repeat(250)), T, Optional.empty(), payments, List.of(),
                List.of(), Optional.empty(), credits, Optional.empty(), Optional.empty(), amendments, 5000, T);
        // A total of 40 digits before the point, at JPY's scale 0 and BHD's scale 3.
        Money hugeYen = new Money(new BigDecimal("9".repeat(Limits.MAX_AMOUNT_INTEGER_DIGITS)), JPY);
        Money hugeDinar = new Money(new BigDecimal("9".repeat(Limits.MAX_AMOUNT_INTEGER_DIGITS) + ".999"), BHD);
        InvoiceState yen = new InvoiceState(new InvoiceKey("acme", "INV-YEN"), hugeYen, hugeYen, InvoiceStatus.UNPAID,
                LocalDate.parse("2026-01-10"), LocalDate.parse("2026-02-09"), Optional.empty(), T, Optional.empty(), List.of(),
                List.of(), List.of(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), List.of(), 6000, T);
        InvoiceState dinar = new InvoiceState(new InvoiceKey("acme", "INV-BHD"), hugeDinar, Money.zero(BHD),
                InvoiceStatus.WRITTEN_OFF, LocalDate.parse("2026-01-10"), LocalDate.parse("2026-02-09"), Optional.empty(), T,
                Optional.empty(), List.of(), List.of(), List.of(), Optional.empty(), List.of(), Optional.of(hugeDinar),
                Optional.of(LONGEST_REASON), List.of(), 6001, T);
        List<HeldPayment> held = new ArrayList<>();
        for (int i = 0; i < Limits.MAX_HELD_PAYMENTS_PER_INVOICE; i++) {
            held.add(new HeldPayment(7000 + i, "h" + i, Money.parsePositive("1000000000000", JPY), Optional.empty(),
                    Optional.empty(), LocalDate.parse("2026-02-01"), T, Optional.empty(), 0));
        }
        List<InvoiceRecord> records = List.of(new InvoiceRecord(key, Optional.of(paid), List.of(), 5000),
                new InvoiceRecord(yen.key(), Optional.of(yen), List.of(), 6000),
                new InvoiceRecord(dinar.key(), Optional.of(dinar), List.of(), 6001),
                new InvoiceRecord(new InvoiceKey("acme", "INV-HELD"), Optional.empty(), held, 7099));

        Path file = temp.resolve("limits.bin");
        StoreSnapshot.Contents contents = new StoreSnapshot.Contents(new LogPosition(8000, "a".repeat(64), 100, 200),
                Optional.of(T), Optional.of(T), List.of(), records, Map.of("acme", new DunningHold(LONGEST_REASON, Optional.empty())), emptyTable());
        FileSystemStorage disk = new FileSystemStorage();
        StoreSnapshot.publish(disk, StoreSnapshot.writeTemporary(disk, file, contents), file);
        StoreSnapshot.Contents back = StoreSnapshot.read(disk, file);
        assertThat(back.records()).containsExactlyElementsOf(records);
        assertThat(back.clientPauses()).isEqualTo(contents.clientPauses());
        // And the book keeps the closed ones packed, giving them back equal.
        InvoiceBook book = new InvoiceBook();
        book.loadAll(back.records());
        for (InvoiceRecord record : records) {
            assertThat(book.record(record.key())).isEqualTo(record);
        }
    }

    @Test
    void aSnapshotThatClaimsAHundredMillionRecordsIsRefusedWithoutAllocatingForThem() throws Exception {
        Path file = smallSnapshot(List.of());
        byte[] bytes = Files.readAllBytes(file);
        int countAt = countOffset();
        assertThat(ByteBuffer.wrap(bytes, countAt, 8).getLong()).as("the count field found").isZero();
        ByteBuffer.wrap(bytes, countAt, 8).putLong(100_000_000L); // the bound itself: accepted by the range check
        Files.write(file, bytes);
        assertThat(readInSmallHeap(file)).startsWith("corrupt:");
    }

    @Test
    void aSnapshotThatClaimsAHugeMessageTableIsRefusedWithoutAllocatingIt() throws Exception {
        for (int capacity : new int[] {1 << 28, (1 << 27) + (1 << 12)}) { // the bound, and one bit flipped in 4096
            Path file = smallSnapshot(List.of());
            byte[] bytes = Files.readAllBytes(file);
            int capacityAt = bytes.length - StoreSnapshot.TRAILER - 2 * 4096 * 8 - 8;
            assertThat(ByteBuffer.wrap(bytes, capacityAt, 4).getInt()).as("the capacity field found").isEqualTo(4096);
            ByteBuffer.wrap(bytes, capacityAt, 4).putInt(capacity);
            Files.write(file, bytes);
            assertThat(readInSmallHeap(file)).as("capacity %d", capacity).startsWith("corrupt:");
        }
    }

    // ---------------------------------------------------------------- snapshot.bin damaged or replaced

    @Test
    void aSnapshotTruncatedAtAnyLengthIsRefusedAsCorrupt() throws Exception {
        SnapshotFolders.fill(data);
        byte[] bytes = Files.readAllBytes(data.resolve("snapshot.bin"));
        Path file = temp.resolve("cut.bin");
        int tableStart = bytes.length - StoreSnapshot.TRAILER - 2 * 4096 * 8 - 8;
        List<String> wrong = new ArrayList<>();
        for (int length = 0; length < bytes.length; length += length < tableStart + 64 ? 1 : 509) {
            Files.write(file, java.util.Arrays.copyOf(bytes, length));
            try {
                StoreSnapshot.read(new FileSystemStorage(), file);
                wrong.add(length + ": read as whole");
            } catch (CorruptFileException expected) {
                // set aside
            } catch (Exception | Error e) {
                wrong.add(length + ": " + e);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aSnapshotWithAnyBitFlippedIsRefusedAsCorruptNeverWithAnotherError() throws Exception {
        SnapshotFolders.fill(data);
        Path file = data.resolve("snapshot.bin");
        String out = runChild("flip", file.toString());
        assertThat(out.lines().filter(line -> !line.equals("done")).toList()).as("flips read as other than corrupt").isEmpty();
        assertThat(out).contains("done");
    }

    @Test
    void aStartWithADamagedHeaderInTheSnapshotSetsItAsideRatherThanFailing() throws Exception {
        SnapshotFolders.fill(data);
        Path snapshot = data.resolve("snapshot.bin");
        byte[] bytes = Files.readAllBytes(snapshot);
        // The latest event's seconds, sign bit flipped (after magic, version, seq, hash, offsets and its flag).
        int latestAt = 32 + 4 + 8 + 2 + 64 + 8 + 8 + 1;
        bytes[latestAt] ^= (byte) 0x80;
        Files.write(snapshot, bytes);
        assertStartsByWholeReplay();
    }

    @Test
    void aFifoInPlaceOfTheSnapshotIsSetAsideNotWaitedOnForEver() throws Exception {
        SnapshotFolders.fill(data);
        Path snapshot = data.resolve("snapshot.bin");
        Files.delete(snapshot);
        assertThat(new ProcessBuilder("mkfifo", snapshot.toString()).start().waitFor()).isZero();
        ExecutorService opener = Executors.newSingleThreadExecutor();
        try {
            Future<Long> opened = opener.submit(() -> {
                try (CollectionsStore store = Stores.open(data)) {
                    return store.lastSeq();
                }
            });
            try {
                assertThat(opened.get(20, TimeUnit.SECONDS)).isEqualTo(4);
            } catch (java.util.concurrent.TimeoutException hung) {
                // Unblock the open (a writer lets the reader's open return, then EOF) and say what happened.
                try (OutputStream unblock = Files.newOutputStream(snapshot)) {
                    unblock.flush();
                }
                opened.cancel(true);
                throw new AssertionError("the start waits for ever on a FIFO at snapshot.bin");
            }
        } finally {
            opener.shutdownNow();
        }
    }

    @Test
    void aDirectoryInPlaceOfTheSnapshotIsSetAsideAndTheServiceStartsAndStops() throws Exception {
        SnapshotFolders.fill(data);
        Path snapshot = data.resolve("snapshot.bin");
        Files.delete(snapshot);
        Files.createDirectories(snapshot.resolve("inside"));
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(4);
            assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("snapshot.bin set aside"));
        } // the stop cannot put its snapshot in the directory's place: said, and no clear-text tmp file left
        assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("snapshot not written at stop"));
        assertThat(Checkpoint.read(new FileSystemStorage(), data.resolve("checkpoint.json")).cleanShutdown()).isTrue();
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.startsWith(".snapshot.bin"));
        }
    }

    @Test
    void anEmptySnapshotFileIsSetAside() throws Exception {
        SnapshotFolders.fill(data);
        Files.write(data.resolve("snapshot.bin"), new byte[0]);
        assertStartsByWholeReplay();
    }

    @Test
    void aSymlinkToAnotherFolderSnapshotIsSetAsideAndReplacedByAFileAtStop() throws Exception {
        SnapshotFolders.fill(data);
        Path other = temp.resolve("other");
        try (CollectionsStore store = Stores.open(other)) {
            store.apply(issued("x1", "zeta", "Z-1", "5", "USD"));
            store.apply(issued("x2", "zeta", "Z-2", "5", "USD"));
            store.apply(issued("x3", "zeta", "Z-3", "5", "USD"));
            store.apply(issued("x4", "zeta", "Z-4", "5", "USD"));
        }
        byte[] othersBefore = Files.readAllBytes(other.resolve("snapshot.bin"));
        Files.delete(data.resolve("snapshot.bin"));
        Files.createSymbolicLink(data.resolve("snapshot.bin"), other.resolve("snapshot.bin"));
        assertStartsByWholeReplay();
        assertThat(Files.isSymbolicLink(data.resolve("snapshot.bin"))).isFalse();
        assertThat(Files.readAllBytes(other.resolve("snapshot.bin"))).as("the other folder's file untouched").isEqualTo(othersBefore);
    }

    @Test
    void aSnapshotSetAsideAtStartIsNotLeftHoldingAnErasedClientsTextsWhileTheServiceRuns() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issuedTo("i1", "acme", "INV-1", "ap@acme.example"));
            store.snapshotNow();
            Files.copy(data.resolve("snapshot.bin"), temp.resolve("old.bin"));
            store.apply(Messages.erased("e1", "acme"));
            store.apply(issued("i2", "zeta", "Z-1", "5", "USD"));
        }
        // Rolled back by hand (a restore of the folder's files, say): it holds the erased client's address.
        Files.copy(temp.resolve("old.bin"), data.resolve("snapshot.bin"), StandardCopyOption.REPLACE_EXISTING);
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.find(new InvoiceKey("acme", "INV-1")).orElseThrow().contactEmail()).isEmpty();
            assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("snapshot.bin set aside"));
            assertThat(contentOf(data.resolve("snapshot.bin"))).as("while the service runs").doesNotContain("ap@acme.example");
        }
        assertThat(contentOf(data.resolve("snapshot.bin"))).doesNotContain("ap@acme.example");
    }

    // ---------------------------------------------------------------- an older snapshot of the same folder

    @Test
    void aRolledBackSnapshotReplaysItsTailExactlyAsAWholeReplayWould() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "acme", "INV-1", "100", "USD"));
            store.apply(payment("p1", "acme", "INV-1", "100", "USD")); // paid: packed in the book
            store.apply(issued("i2", "beta", "B-1", "50", "EUR"));
            store.snapshotNow();
            Files.copy(data.resolve("snapshot.bin"), temp.resolve("old.bin"));
            // The tail after the old snapshot: a reversal reopening the paid invoice, more payments, a held one,
            // a whole client's pause, the invoice that takes the held payment.
            store.apply(Messages.reversed("r1", "acme", "INV-1", "p1"));
            store.apply(payment("p2", "acme", "INV-1", "30", "USD"));
            store.apply(payment("h1", "beta", "B-2", "20", "EUR"));
            store.apply(Messages.json("{\"type\":\"dunning.paused\",\"message_id\":\"pause-1\",\"client\":\"beta\","
                    + "\"reason\":\"disputed\"}"));
            store.apply(issued("i3", "beta", "B-2", "20", "EUR"));
            store.apply(payment("p3", "acme", "INV-1", "70", "USD"));
        }
        Files.copy(temp.resolve("old.bin"), data.resolve("snapshot.bin"), StandardCopyOption.REPLACE_EXISTING);
        Path replayed = wholeReplayOf(data);
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(Stores.NOTICES).noneMatch(notice -> notice.contains("set aside"));
            // Redelivered: from before the old snapshot (p1) and from its tail (p2, h1, p3).
            assertThat(store.apply(payment("p1", "acme", "INV-1", "100", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(store.apply(payment("p2", "acme", "INV-1", "30", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(store.apply(payment("h1", "beta", "B-2", "20", "EUR")).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThatThrownBy(() -> store.apply(payment("p3", "acme", "INV-1", "71", "USD")))
                    .isInstanceOf(RejectedMessageException.class);
            assertThat(store.find(new InvoiceKey("acme", "INV-1")).orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
            assertThat(store.find(new InvoiceKey("beta", "B-2")).orElseThrow().balance().toPlainString()).isEqualTo("0.00");
        }
        assertSameAsWholeReplay(data, replayed);
    }

    @Test
    void aStartFromASnapshotTakenBeforeAnyCheckpointKeepsEveryInvoiceInTheLedger() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "beta", "B-1", "50", "EUR"));
            store.snapshotNow(); // captured before its checkpoint gave the ledger its rows: no event time in it
        } // nothing applied since: the stop keeps that snapshot
        assertThat(contentOf(data.resolve("ledger.qmd"))).contains("`B-1`");
        Stores.open(data).close(); // from the snapshot
        assertThat(contentOf(data.resolve("ledger.qmd"))).as("the ledger after a start from it").contains("`B-1`");
    }

    @Test
    void aCheckpointResealedBehindTheLogEndIsRefusedWithOrWithoutASnapshot() throws Exception {
        SnapshotFolders.fill(data);
        // A checkpoint edited to claim more than the log holds: the snapshot is at seq 4, the log ends at 4.
        new Checkpoint(9, true).write(new FileSystemStorage(), data.resolve("checkpoint.json"));
        assertThatThrownBy(() -> Stores.open(data)).hasMessageContaining("ends at seq 4");
    }

    // ---------------------------------------------------------------- the log edited under the snapshot

    @Test
    void damageBeforeTheSnapshotsLineStopsTheStoreAndTheNextStartNamesIt() throws Exception {
        SnapshotFolders.fill(data);
        Path log = data.resolve("events.log");
        String text = Files.readString(log);
        int firstLineEnd = text.indexOf('\n');
        String firstLine = text.substring(0, firstLineEnd);
        assertThat(firstLine).contains("\"i1\"");
        Files.writeString(log, firstLine.replace("\"i1\"", "\"j1\"") + text.substring(firstLineEnd));
        CollectionsStore store = Stores.open(data);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(data.resolve("snapshot.bin")).doesNotExist());
            assertThatThrownBy(() -> store.apply(issued("late", "acme", "INV-7", "5", "USD")))
                    .isInstanceOf(IOException.class).hasMessageContaining("failed earlier");
        } finally {
            store.close();
        }
        assertThatThrownBy(() -> Stores.open(data)).hasMessageContaining("events.log line 1: hash mismatch");
    }

    @Test
    void aLogCutBeforeTheSnapshotsLineIsRefusedNotPatchedFromTheSnapshot() throws Exception {
        SnapshotFolders.fill(data);
        Path log = data.resolve("events.log");
        List<String> lines = Files.readAllLines(log);
        Files.write(log, lines.subList(0, 2));
        assertThatThrownBy(() -> Stores.open(data)).hasMessageContaining("ends at seq 2");
        assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("snapshot.bin set aside"));
    }

    @Test
    void aGarbageLineAppendedAfterTheSnapshotIsCutAsATornTailAndTheSnapshotStillUsed() throws Exception {
        SnapshotFolders.fill(data);
        Files.writeString(data.resolve("events.log"), "{\"seq\":5,\"garbage", java.nio.file.StandardOpenOption.APPEND);
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(4);
            assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("repaired torn log tail"));
            assertThat(Stores.NOTICES).noneMatch(notice -> notice.contains("set aside"));
        }
    }

    // ---------------------------------------------------------------- races

    @Test
    void snapshotsRacingAppliesErasuresAndCheckpointsLeaveWhatAWholeReplayLeaves() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        try (CollectionsStore store = Stores.open(data)) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch started = new CountDownLatch(1);
            Future<?> snapshots = pool.submit(() -> {
                started.countDown();
                while (!stop.get()) {
                    try {
                        store.snapshotNow();
                    } catch (Throwable e) {
                        errors.add(e);
                        return;
                    }
                }
            });
            started.await();
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        String client = "c" + writer + "-" + (i / 20);
                        try {
                            store.apply(Messages.issuedTo("i-" + writer + "-" + i, client, "INV-" + i, "x" + i + "@example.com"));
                            store.apply(payment("p-" + writer + "-" + i, client, "INV-" + i, "100.00", "USD"));
                            if (i % 3 == 0) {
                                store.apply(Messages.reversed("r-" + writer + "-" + i, client, "INV-" + i, "p-" + writer + "-" + i));
                                store.apply(payment("q-" + writer + "-" + i, client, "INV-" + i, "100.00", "USD"));
                            }
                            if (i % 20 == 19) {
                                store.apply(Messages.erased("e-" + writer + "-" + i, client));
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                            return;
                        }
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            stop.set(true);
            snapshots.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(errors).isEmpty();
            store.snapshotNow();
        }
        assertThat(contentOf(data.resolve("snapshot.bin"))).doesNotContain("x19@example.com");
        Path replayed = wholeReplayOf(data);
        assertSameAsWholeReplay(data, replayed);
        try (CollectionsStore store = Stores.open(data)) { // from the snapshot
            assertThat(Stores.NOTICES).noneMatch(notice -> notice.contains("set aside"));
        }
        assertSameAsWholeReplay(data, replayed);
    }

    @Test
    void aSnapshotAskedForAfterCloseIsRefusedAndLeavesTheCleanCheckpoint() throws Exception {
        CollectionsStore store = Stores.open(data);
        store.apply(issued("i1", "acme", "INV-1", "100", "USD"));
        store.close();
        byte[] checkpoint = Files.readAllBytes(data.resolve("checkpoint.json"));
        assertThatThrownBy(store::snapshotNow).isInstanceOf(IOException.class);
        assertThat(Files.readAllBytes(data.resolve("checkpoint.json"))).isEqualTo(checkpoint);
        assertThat(Checkpoint.read(new FileSystemStorage(), data.resolve("checkpoint.json")).cleanShutdown()).isTrue();
    }

    // ---------------------------------------------------------------- forged snapshots

    @Test
    void aSnapshotAtSeqZeroCannotBringInvoicesOrPausesTheLogNeverHad() throws Exception {
        SnapshotFolders.fill(data);
        InvoiceKey ghostClient = InvoiceKey.wholeClient("acme");
        StoreSnapshot.Contents forged = new StoreSnapshot.Contents(LogPosition.START, Optional.empty(), Optional.empty(), List.of(),
                List.of(new InvoiceRecord(ghostClient, Optional.empty(), List.of(), 0)),
                Map.of("acme", new DunningHold("forged pause", Optional.empty())), emptyTable());
        SnapshotFolders.publish(data, forged);
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults())
                .as("verify reports a seq-0 snapshot that holds anything").isNotEmpty();
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(store.lastSeq()).isEqualTo(4);
        } // its snapshot at stop holds the book as the start left it
        assertThat(StoreSnapshot.read(new FileSystemStorage(), data.resolve("snapshot.bin")).clientPauses())
                .as("a pause the log never had").isEmpty();
    }

    /**
     * A snapshot's checksum proves it whole, not true: whoever can write the folder can reseal it. Its MAC
     * under the service's key (issue 14) cannot be remade without the key, so a keyed start sets the
     * forgery aside and reads the whole log.
     */
    @Test
    void aResealedSnapshotWithAnEditedBalanceIsNotTrustedOverTheLog() throws Exception {
        StoreSettings keyed = Stores.SETTINGS.withMacKeyFile(data.resolveSibling(data.getFileName() + ".key"));
        SnapshotFolders.fill(data, keyed);
        SnapshotFolders.publish(data, SnapshotFolders.withInv2PaidUp(
                StoreSnapshot.read(new FileSystemStorage(), data.resolve("snapshot.bin"))));
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults())
                .anyMatch(fault -> fault.contains("records disagree with the log"));
        try (CollectionsStore store = CollectionsStore.open(data, keyed, Stores.NOTICES::add)) {
            // A user expects the log's 200.00 EUR owed, or the store stopped once the walk compares: not 0.00 served.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    store.apply(issued("probe-" + System.nanoTime(), "zeta", "Z-" + System.nanoTime(), "1", "USD"));
                    return store.find(new InvoiceKey("acme", "INV-2")).orElseThrow().balance().toPlainString().equals("200.00");
                } catch (IOException stopped) {
                    return true;
                }
            });
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A child JVM with a 256 MB heap: a read that allocates gigabytes shows as an OutOfMemoryError there, not here. */
    private static String readInSmallHeap(Path file) throws Exception {
        return runChild("read", file.toString()).trim();
    }

    private static String runChild(String mode, String file) throws Exception {
        Process child = JavaProcess.builder(Child.class, mode, file).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Reads snapshots in a small heap and prints how each read ended. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[1]);
            if (args[0].equals("read")) {
                System.out.println(outcome(file));
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            Path bent = file.resolveSibling("bent.bin");
            int tableStart = bytes.length - StoreSnapshot.TRAILER - 2 * 4096 * 8 - 8;
            for (int at = 0; at < bytes.length; at += at < tableStart + 8 ? 1 : 4099) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] copy = bytes.clone();
                    copy[at] ^= (byte) (1 << bit);
                    Files.write(bent, copy);
                    String outcome = outcome(bent);
                    if (!outcome.startsWith("corrupt:")) {
                        System.out.println("byte " + at + " bit " + bit + ": " + outcome);
                    }
                }
            }
            System.out.println("done");
        }

        private static String outcome(Path file) {
            try {
                StoreSnapshot.read(new FileSystemStorage(), file);
                return "read";
            } catch (CorruptFileException e) {
                return "corrupt: " + e.problem();
            } catch (Throwable e) {
                return "other: " + e;
            }
        }
    }

    private Path smallSnapshot(List<InvoiceRecord> records) throws IOException {
        Path file = temp.resolve("small-" + System.nanoTime() + ".bin");
        FileSystemStorage disk = new FileSystemStorage();
        StoreSnapshot.Contents contents = new StoreSnapshot.Contents(new LogPosition(1, "a".repeat(64), 0, 100),
                Optional.empty(), Optional.empty(), List.of(), records, Map.of(), emptyTable());
        StoreSnapshot.publish(disk, StoreSnapshot.writeTemporary(disk, file, contents), file);
        return file;
    }

    /** Where the record count lies with no latest event and no keys: magic, version, seq, hash, offsets, flag, keys. */
    private static int countOffset() {
        return 32 + 4 + 8 + 2 + 64 + 8 + 8 + 1 + 4;
    }

    private static MessageLocations.Table emptyTable() {
        return new MessageLocations().copy();
    }

    /** The start sets the snapshot aside with a notice, holds everything the log says, and leaves a good one at stop. */
    private void assertStartsByWholeReplay() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            assertThat(Stores.NOTICES).anyMatch(notice -> notice.contains("snapshot.bin set aside"));
            assertThat(store.lastSeq()).isEqualTo(4);
            assertThat(store.find(new InvoiceKey("acme", "INV-2")).orElseThrow().balance().toPlainString()).isEqualTo("200.00");
            assertThat(store.apply(payment("p1", "acme", "INV-1", "100", "USD")).outcome()).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(StoreSnapshot.read(new FileSystemStorage(), data.resolve("snapshot.bin")).position().seq()).isEqualTo(4);
    }

    private static String contentOf(Path file) throws IOException {
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1) : "";
    }

    /** A copy of the folder without its snapshot, opened and closed: the whole log replayed. */
    private Path wholeReplayOf(Path folder) throws IOException {
        Path replayed = temp.resolve("replayed-" + System.nanoTime());
        SnapshotFolders.copy(folder, replayed);
        Files.deleteIfExists(replayed.resolve("snapshot.bin"));
        Stores.open(replayed).close();
        return replayed;
    }

    private static void assertSameAsWholeReplay(Path folder, Path replayed) throws IOException {
        FileSystemStorage disk = new FileSystemStorage();
        StoreSnapshot.Contents ours = StoreSnapshot.read(disk, folder.resolve("snapshot.bin"));
        StoreSnapshot.Contents theirs = StoreSnapshot.read(disk, replayed.resolve("snapshot.bin"));
        assertThat(ours.position()).isEqualTo(theirs.position());
        assertThat(SnapshotFolders.sorted(ours.records())).isEqualTo(SnapshotFolders.sorted(theirs.records()));
        assertThat(ours.clientPauses()).isEqualTo(theirs.clientPauses());
        assertThat(MessageLocations.sameMessages(ours.locations(), theirs.locations())).isTrue();
        Map<String, byte[]> files = Stores.stateFiles(folder);
        Map<String, byte[]> expected = Stores.stateFiles(replayed);
        assertThat(files).containsOnlyKeys(expected.keySet());
        expected.forEach((name, bytes) -> assertThat(files.get(name)).as(name).isEqualTo(bytes));
        assertThat(folder.resolve("ledger.qmd")).hasSameTextualContentAs(replayed.resolve("ledger.qmd"));
    }

}
