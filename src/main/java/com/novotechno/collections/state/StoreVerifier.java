package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.state.InvoiceFiles.Location;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    /** Each readable state file's last_seq: none may lie beyond the log. */
    private final Map<Path, Long> lastSeqs = new TreeMap<>();

    public StoreVerifier(Storage storage, DataLayout layout) {
        this.storage = storage;
        this.layout = layout;
        this.invoices = new InvoiceFiles(storage, layout);
    }

    public Report verify() throws IOException {
        List<String> faults = new ArrayList<>();
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
                    checkStateFile(file, location, faults);
                }
            }
        }
        if (storage.exists(layout.rebuildMarker())) {
            faults.add(relative(layout.rebuildMarker()) + ": a rebuild has not finished, so state files may be"
                    + " incomplete; run rebuild again");
        }
        EventLog.Inspection log = EventLog.inspect(storage, layout.eventLog());
        faults.addAll(log.faults());
        for (Map.Entry<Path, Long> reflected : lastSeqs.entrySet()) {
            // Against where the log ends, not where its first fault is: one bad line is reported once.
            if (reflected.getValue() > log.highestSeqClaimed()) {
                faults.add(relative(reflected.getKey()) + ": reflects log seq " + reflected.getValue()
                        + ", beyond the log's last entry " + log.highestSeqClaimed());
            }
        }
        checkLedger(log, faults);
        return new Report(List.copyOf(faults), stateFiles);
    }

    private void checkLedger(EventLog.Inspection log, List<String> faults) throws IOException {
        Path file = layout.ledger();
        if (!storage.exists(file)) {
            if (log.highestSeqClaimed() > 0) {
                faults.add(relative(file) + ": missing (the next start of the service writes it)");
            }
            return;
        }
        ParsedLedger ledger = LedgerParser.parse(relative(file), storage.read(file, Limits.MAX_LEDGER_BYTES));
        faults.addAll(ledger.faults());
        long reflected = ledger.content().lastSeq();
        if (ledger.formatFaults().isEmpty() && reflected > log.highestSeqClaimed()) {
            faults.add(relative(file) + ": reflects log seq " + reflected + ", beyond the log's last entry "
                    + log.highestSeqClaimed());
        }
    }

    private void checkStateFile(Path file, Location location, List<String> faults) throws IOException {
        Optional<InvoiceKey> key = InvoiceFiles.keyOf(file);
        if (key.isEmpty()) {
            faults.add(relative(file) + ": not a state file name (<invoice_number>.json)");
            return;
        }
        byte[] bytes = storage.read(file, Limits.MAX_STATE_FILE_BYTES);
        InvoiceState state;
        try {
            state = InvoiceFiles.decode(bytes, file, key.get());
        } catch (CorruptFileException e) {
            faults.add(relative(file) + ": " + e.problem());
            return;
        }
        if (!Arrays.equals(bytes, StateCodec.encode(state))) {
            faults.add(relative(file) + ": checksum holds but the layout is not the one the service writes (edited by hand?)");
        }
        lastSeqs.put(file, state.lastSeq());
        boolean paid = state.status() == InvoiceStatus.PAID;
        if (location == Location.ARCHIVE && !paid) {
            faults.add(relative(file) + ": archived but " + state.status().wireName());
        } else if (location == Location.OPEN && paid) {
            faults.add(relative(file) + ": paid but not archived (a move a crash interrupted; the next start finishes it)");
        }
        Location other = location == Location.OPEN ? Location.ARCHIVE : Location.OPEN;
        if (location == Location.OPEN && storage.exists(invoices.path(key.get(), other))) {
            faults.add(relative(file) + ": the invoice is in both open and archive");
        }
    }

    private String relative(Path file) {
        return layout.root().relativize(file.toAbsolutePath()).toString();
    }
}
