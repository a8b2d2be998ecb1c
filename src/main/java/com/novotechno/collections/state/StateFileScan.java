package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.state.InvoiceFiles.Location;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every state file, each checked against its checksum, as the ledger would show it. Safe
 * beside a running service: open/ is listed before archive/, so an invoice archived mid-scan is
 * seen at least once, and open/ once more after archive/ for the invoices not seen yet, so one a
 * reversed payment moved back out of the archive mid-scan is too; where seen twice its newest
 * state is kept.
 *
 * @param rows per invoice, its ledger row and the log seq its state reflects
 * @param unreadable state files that could not be used, and why
 */
public record StateFileScan(Map<InvoiceKey, Scanned> rows, List<Unreadable> unreadable) {

    /** A state file as the ledger should show it, the seq it reflects, and where it stands in dunning. */
    public record Scanned(LedgerRow row, long lastSeq, DunningStanding dunning) {
    }

    /** A file under state/ that is not a valid state file, named relative to the data folder. */
    public record Unreadable(String file, String problem) {
    }

    /** @param zone collections.time-zone, in which the ledger shows its entered dates */
    public static StateFileScan read(Storage storage, DataLayout layout, ZoneId zone) throws IOException {
        InvoiceFiles invoices = new InvoiceFiles(storage, layout);
        Map<InvoiceKey, Scanned> rows = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        List<Location> passes = List.of(Location.OPEN, Location.ARCHIVE, Location.OPEN);
        for (int pass = 0; pass < passes.size(); pass++) {
            boolean again = pass == passes.size() - 1;
            for (Path file : storage.listFilesRecursively(invoices.root(passes.get(pass)))) {
                if (FileSystemStorage.isTemporaryFile(file)) {
                    continue;
                }
                String relative = layout.root().relativize(file).toString();
                Optional<InvoiceKey> key = InvoiceFiles.keyOf(file);
                if (again && (key.isEmpty() || rows.containsKey(key.get()))) {
                    continue; // seen, or reported, in the first pass
                }
                if (key.isEmpty()) {
                    unreadable.add(new Unreadable(relative, "not a state file name"));
                    continue;
                }
                InvoiceState state;
                try {
                    state = invoices.readFile(file, key.get());
                } catch (NoSuchFileException movedMeanwhile) {
                    continue;
                } catch (CorruptFileException e) {
                    unreadable.add(new Unreadable(relative, e.problem()));
                    continue;
                }
                rows.merge(key.get(), new Scanned(LedgerRows.of(state, zone), state.lastSeq(), DunningStanding.of(state)),
                        (a, b) -> a.lastSeq() >= b.lastSeq() ? a : b);
            }
        }
        return new StateFileScan(rows, unreadable);
    }
}
