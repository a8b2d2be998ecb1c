package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.ledger.ParsedPeriodLedger;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.ledger.PeriodFileMac;
import com.novotechno.collections.ledger.PeriodLedger;
import java.time.YearMonth;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.state.InvoiceFiles.Location;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Optional;

/**
 * Proves a data folder intact without changing it: every state file's checksum and invariants,
 * that each file sits where its content says, the event log's hash chain, and the ledger's
 * checksum comments (naming the section edited). Silent on success; on failure one line per
 * fault naming the file (and line or section). Whether the ledger agrees with the state files
 * is {@code reconcile}'s question, not this one's.
 */
public final class StoreVerifier {

    /** The faults found (empty when intact) and what was checked. */
    public record Report(List<String> faults, long stateFiles) {
        public boolean intact() {
            return faults.isEmpty();
        }
    }

    private final Storage storage;
    private final DataLayout layout;
    private final InvoiceFiles invoices;

    public StoreVerifier(Storage storage, DataLayout layout) {
        this.storage = storage;
        this.layout = layout;
        this.invoices = new InvoiceFiles(storage, layout);
    }

    /**
     * Beside a running service (an unclean checkpoint) a file can move or go between the reads of
     * one check; a fault found then counts only if a second check finds it again.
     */
    public Report verify() throws IOException {
        Report first = verifyOnce();
        if (first.intact() || !besideWriter()) {
            return first;
        }
        Report second = verifyOnce();
        return new Report(second.faults().stream().filter(first.faults()::contains).toList(), second.stateFiles());
    }

    private boolean besideWriter() throws IOException {
        try {
            return !Checkpoint.read(storage, layout.checkpoint()).cleanShutdown();
        } catch (CorruptFileException e) {
            return false; // reported by the check itself
        }
    }

    private Report verifyOnce() throws IOException {
        // A damaged file is found both by its seal and by the comparison with the log: reported once.
        Set<String> faults = new LinkedHashSet<>();
        long stateFiles = 0;
        for (Location location : Location.values()) {
            Path root = invoices.root(location);
            for (Path clientDir : storage.list(root)) {
                if (!storage.isDirectory(clientDir) || !InvoiceKey.isValidName(clientDir.getFileName().toString())) {
                    faults.add(relative(clientDir) + ": not a client folder");
                    continue;
                }
                for (Path file : storage.list(clientDir)) {
                    if (FileSystemStorage.isTemporaryFile(file)) {
                        continue; // an unfinished write a crash left; removed on the next start
                    }
                    stateFiles++;
                    checkStateFile(file, faults);
                }
            }
        }
        if (storage.exists(layout.rebuildMarker())) {
            faults.add(relative(layout.rebuildMarker()) + ": a rebuild has not finished, so state files may be"
                    + " incomplete; run rebuild again");
        }
        // Files listed before the log is read: each names an invoice the log had by then (the log line comes first).
        StateAudit audit = new StateAudit(storage, layout);
        List<StateAudit.StateFile> files = audit.stateFiles();
        Checkpoint checkpoint = readCheckpoint(faults);
        // The ledger before the log: a running service writes the log first, so a ledger read first is never ahead of it.
        byte[] ledgerBytes = storage.exists(layout.ledger()) ? storage.read(layout.ledger(), Limits.MAX_LEDGER_BYTES) : null;
        Optional<StoreSnapshot.Contents> snapshot = readSnapshot(faults);
        LogReplay replay = LogReplay.read(storage, layout, snapshot.map(s -> s.position().seq()).orElse(-1L));
        EventLog.Inspection log = replay.log();
        InvoiceBook book = replay.book();
        faults.addAll(log.faults());
        replay.unappliable().ifPresent(problem -> faults.add(layout.eventLog().getFileName() + ": " + problem));
        if (replay.whole()) {
            // What the log implies, file by file: a checksum proves a file whole, not true. After an unclean
            // checkpoint (a service running, or killed) entries after it may not be derived yet: the running
            // service's own audit, or the next start, checks those invoices.
            boolean besideWriter = !checkpoint.cleanShutdown();
            for (InvoiceKey key : book.keys()) {
                InvoiceRecord expected = book.record(key);
                if (!besideWriter || expected.lastSeq() <= checkpoint.appliedSeq()) {
                    faults.addAll(audit.check(expected, false, besideWriter));
                }
            }
            for (StateAudit.StateFile file : files) {
                InvoiceRecord record = book.record(file.key());
                // Beside a writer a file the log no longer accounts for may be one it removed since the listing,
                // or one a change after the checkpoint is yet to remove (the next start does).
                boolean inFlight = besideWriter && (record.lastSeq() > checkpoint.appliedSeq() || !storage.exists(file.path()));
                if (!file.describedBy(record) && !inFlight) {
                    faults.add(audit.removeUnknown(file, false));
                }
            }
        }
        if (replay.whole()) {
            snapshot.ifPresent(contents -> checkSnapshot(contents, replay.atSeq(), faults));
        }
        checkLedger(log, ledgerBytes, faults);
        return new Report(List.copyOf(faults), stateFiles);
    }

    private Optional<StoreSnapshot.Contents> readSnapshot(Set<String> faults) throws IOException {
        if (!storage.exists(layout.snapshot())) {
            return Optional.empty();
        }
        try {
            return Optional.of(StoreSnapshot.read(storage, layout.snapshot(), layout.keying()));
        } catch (CorruptFileException e) {
            faults.add(relative(layout.snapshot()) + ": " + e.problem() + " (a start sets it aside and reads the whole log)");
            return Optional.empty();
        }
    }

    /**
     * A snapshot must hold exactly what the log implies at its line: a start trusts it for everything
     * before that line (its checksum proves it whole, not true; anyone who can write it can reseal it).
     */
    private static boolean sameMessages(MessageLocations.Table one, MessageLocations.Table other) {
        try {
            return MessageLocations.sameMessages(one, other);
        } catch (IllegalArgumentException misshapen) {
            return false;
        }
    }

    private void checkSnapshot(StoreSnapshot.Contents snapshot, Optional<LogReplay.AtSeq> atSeq, Set<String> faults) {
        String name = relative(layout.snapshot());
        long seq = snapshot.position().seq();
        if (seq == 0) {
            return;
        }
        if (atSeq.isEmpty()) {
            faults.add(name + ": it is at seq " + seq + ", which the log does not reach");
            return;
        }
        LogReplay.AtSeq expected = atSeq.get();
        if (!expected.hash().equals(snapshot.position().hash()) || expected.lineOffset() != snapshot.position().lineOffset()) {
            faults.add(name + ": the log's line " + seq + " is not the one it was taken at (a start sets it aside)");
            return;
        }
        java.util.Map<InvoiceKey, InvoiceRecord> held = new java.util.HashMap<>();
        snapshot.records().forEach(record -> held.put(record.key(), record));
        int differing = 0;
        String first = null;
        for (InvoiceRecord record : expected.records()) {
            InvoiceRecord kept = held.remove(record.key());
            if (!record.equals(kept)) {
                differing++;
                first = first == null ? record.key() + (kept == null ? " is missing" : " differs from the log") : first;
            }
        }
        for (InvoiceKey extra : held.keySet()) {
            differing++;
            first = first == null ? extra + " is not in the log" : first;
        }
        if (differing > 0) {
            faults.add(name + ": " + differing + " records disagree with the log at seq " + seq + ", first: " + first
                    + " (a start would trust it: delete it, or run rebuild)");
        }
        if (!snapshot.clientPauses().equals(expected.clientPauses())) {
            faults.add(name + ": the whole clients' pauses disagree with the log at seq " + seq);
        }
        if (!sameMessages(snapshot.locations(), expected.locations())) {
            faults.add(name + ": its message table disagrees with the log at seq " + seq
                    + " (duplicates would be missed or misread: delete it, or run rebuild)");
        }
    }


    private Checkpoint readCheckpoint(Set<String> faults) throws IOException {
        try {
            return Checkpoint.read(storage, layout.checkpoint());
        } catch (CorruptFileException e) {
            faults.add(relative(layout.checkpoint()) + ": " + e.problem());
            return Checkpoint.EMPTY;
        }
    }

    private void checkLedger(EventLog.Inspection log, byte[] bytes, Set<String> faults) {
        Path file = layout.ledger();
        if (bytes == null) {
            if (log.highestSeqClaimed() > 0) {
                faults.add(relative(file) + ": missing (the next start of the service writes it)");
            }
            return;
        }
        ParsedLedger ledger = LedgerParser.parse(relative(file), bytes);
        faults.addAll(ledger.faults());
        checkPeriodFiles(ledger.content(), faults);
        long reflected = ledger.content().lastSeq();
        if (ledger.formatFaults().isEmpty() && reflected > log.highestSeqClaimed()) {
            faults.add(relative(file) + ": reflects log seq " + reflected + ", beyond the log's last entry "
                    + log.highestSeqClaimed());
        }
    }

    /** Every closed period ledger.qmd names has its file, whole; reconcile compares their rows with the state files. */
    private void checkPeriodFiles(LedgerSnapshot ledger, Set<String> faults) {
        if (ledger.period().isEmpty() || ledger.firstPeriod().isEmpty()) {
            return;
        }
        for (YearMonth period = ledger.firstPeriod().get(); period.isBefore(ledger.period().get()); period = period.plusMonths(1)) {
            Path periodFile = layout.ledgerPeriods().resolve(PeriodLedger.fileName(period));
            try {
                if (!storage.exists(periodFile)) {
                    faults.add(relative(periodFile) + ": missing: period " + period + " is closed (rebuild writes it anew)");
                    continue;
                }
                byte[] bytes = storage.read(periodFile, Limits.MAX_LEDGER_BYTES);
                ParsedPeriodLedger parsed = LedgerParser.parsePeriod(relative(periodFile), bytes);
                faults.addAll(parsed.faults());
                // Its checksums and MAC vouch for its content, not for the name it is found under.
                YearMonth named = period;
                parsed.content().map(PeriodLedger::period).filter(own -> !own.equals(named)).ifPresent(own ->
                        faults.add(relative(periodFile) + ": it is the file of period " + own + ", not of " + named));
                String forged = PeriodFileMac.problem(bytes, period, layout.keying());
                if (forged != null) {
                    faults.add(relative(periodFile) + ": " + forged);
                }
            } catch (IOException e) {
                faults.add(relative(periodFile) + ": cannot be read: " + e.getMessage());
            }
        }
    }

    private void checkStateFile(Path file, Set<String> faults) throws IOException {
        Optional<InvoiceKey> key = InvoiceFiles.keyOf(file);
        if (key.isEmpty()) {
            faults.add(relative(file) + ": not a state file name (<invoice_number>.json)");
            return;
        }
        try {
            invoices.readFile(file, key.get());
        } catch (CorruptFileException e) {
            faults.add(relative(file) + ": " + e.problem());
        } catch (java.nio.file.NoSuchFileException movedMeanwhile) {
            // a running service archived or reopened it since the listing: its new place is checked against the log
        }
    }

    private String relative(Path file) {
        return layout.root().relativize(file.toAbsolutePath()).toString();
    }
}
