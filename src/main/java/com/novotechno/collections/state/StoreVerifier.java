package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
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
import java.util.Optional;

/**
 * Proves a data folder intact without changing it: every state file's checksum and invariants,
 * that each file sits where its content says, and the event log's hash chain. Silent on
 * success; on failure one line per fault naming the file (and line).
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
        for (String fault : EventLog.verify(storage, layout.eventLog())) {
            faults.add(fault);
        }
        return new Report(List.copyOf(faults), stateFiles);
    }

    private void checkStateFile(Path file, Location location, List<String> faults) throws IOException {
        Optional<InvoiceKey> key = InvoiceFiles.keyOf(file);
        if (key.isEmpty()) {
            faults.add(relative(file) + ": not a state file name (<invoice_number>.json)");
            return;
        }
        InvoiceState state;
        try {
            state = invoices.readFile(file, key.get());
        } catch (CorruptFileException e) {
            faults.add(relative(file) + ": " + e.problem());
            return;
        }
        if (!Arrays.equals(storage.read(file, Limits.MAX_STATE_FILE_BYTES),
                StateCodec.encode(state))) {
            faults.add(relative(file) + ": checksum holds but the layout is not the one the service writes (edited by hand?)");
        }
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
