package com.novotechno.collections.state;

import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.ledger.PeriodLedger;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogPosition;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides at open whether the snapshot may stand in for reading the log up to its line, and loads it.
 * It may only when it is whole (checksum, version, every record's invariants), the log still holds its
 * line with its seq and hash, every key it saw live is still in keys/, and the checkpoint is at or
 * after it (the state files are durable up to its seq, so the entries it skips touched none that a
 * crash could have left behind). Anything else is said in a notice and the whole log is replayed.
 */
final class SnapshotStart {

    /** What a usable snapshot gives the open: the book and locations up to {@code position}. */
    record Loaded(InvoiceBook book, MessageLocations locations, LogPosition position, Optional<Instant> firstEvent,
                  Optional<Instant> latestEvent) {
    }

    private SnapshotStart() {
    }

    static Optional<Loaded> load(Storage storage, DataLayout layout, Checkpoint checkpoint, SealedChanges sealed,
                                 java.time.ZoneId zone, Consumer<String> notices) throws IOException {
        if (!storage.exists(layout.snapshot())) {
            return Optional.empty();
        }
        String setAside = layout.snapshot().getFileName() + " set aside, the whole log is replayed: ";
        StoreSnapshot.Contents contents;
        try {
            contents = StoreSnapshot.read(storage, layout.snapshot(), layout.keying());
        } catch (CorruptFileException e) {
            notices.accept(setAside + e.getMessage());
            return Optional.empty();
        }
        LogPosition position = contents.position();
        if (position.seq() > checkpoint.appliedSeq()) {
            notices.accept(setAside + "it is at seq " + position.seq() + ", after the checkpoint's "
                    + checkpoint.appliedSeq());
            return Optional.empty();
        }
        if (!EventLog.holds(storage, layout.eventLog(), position, layout.keying())) {
            notices.accept(setAside + "the log does not hold its line (seq " + position.seq() + ", hash "
                    + position.hash() + ") at byte " + position.lineOffset());
            return Optional.empty();
        }
        for (String keyId : contents.liveKeyIds()) {
            if (!sealed.hasKey(keyId)) {
                notices.accept(setAside + "key " + keyId + " is no longer in keys/");
                return Optional.empty();
            }
        }
        Optional<String> missingPeriod = missingPeriodFile(storage, layout, contents, zone);
        if (missingPeriod.isPresent()) {
            notices.accept(setAside + "the closed period's file " + missingPeriod.get() + " is missing; the whole log writes it");
            return Optional.empty();
        }
        InvoiceBook book = new InvoiceBook();
        MessageLocations locations;
        try {
            book.loadAll(contents.records());
            contents.clientPauses().forEach(book::loadClientPause);
            locations = MessageLocations.of(contents.locations());
        } catch (IllegalArgumentException | IllegalStateException e) {
            notices.accept(setAside + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new Loaded(book, locations, position, contents.firstEvent(), contents.latestEvent()));
    }

    /**
     * A start from a snapshot writes no period that closed before its line (its rows are carried, not
     * kept): each must have its file, written when it closed, or the whole log is read to write it.
     */
    private static Optional<String> missingPeriodFile(Storage storage, DataLayout layout, StoreSnapshot.Contents contents,
                                                      java.time.ZoneId zone) {
        if (contents.firstEvent().isEmpty()) {
            return Optional.empty();
        }
        java.time.YearMonth last = java.time.YearMonth.from(contents.latestEvent().orElseThrow().atZone(zone));
        for (java.time.YearMonth period = java.time.YearMonth.from(contents.firstEvent().get().atZone(zone));
             period.isBefore(last); period = period.plusMonths(1)) {
            Path file = layout.ledgerPeriods().resolve(PeriodLedger.fileName(period));
            if (!storage.exists(file)) {
                return Optional.of(layout.root().relativize(file).toString());
            }
        }
        return Optional.empty();
    }

    /**
     * The ledger's rows from the book, as a replay of the log up to the snapshot's line leaves them: the
     * periods before the last entry's closed (their rows carried), that one open.
     */
    static void fill(LedgerProjection projection, InvoiceBook book, Loaded loaded) {
        if (loaded.latestEvent().isEmpty()) {
            return; // an empty log: nothing in the book
        }
        Instant time = loaded.latestEvent().get();
        projection.startFromSnapshot(loaded.firstEvent().orElseThrow(), time);
        for (InvoiceRecord record : book.records()) {
            record.invoice().ifPresent(invoice -> projection.update(LedgerRows.of(invoice, projection.zone()), time));
            if (!record.unapplied().isEmpty()) {
                projection.updateUnapplied(record.key(), UnappliedRows.of(record), time);
            }
        }
    }
}
