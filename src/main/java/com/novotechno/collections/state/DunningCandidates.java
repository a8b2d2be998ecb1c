package com.novotechno.collections.state;

import com.novotechno.collections.dunning.DunningCandidate;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The open invoices as the dunning planner sees them, from the log alone: what {@code dunning
 * --dry-run} plans from. The log, not the state files, because it is the truth the service plans
 * from; read-only and without the folder's lock, so it may run beside the service, whose last line
 * may be half written (it is left out, as the service has not accepted it yet either).
 */
public final class DunningCandidates {

    private DunningCandidates() {
    }

    /** Every open invoice of the book, with its requests so far: the one mapping the service and the dry run share. */
    static List<DunningCandidate> of(InvoiceBook book) {
        List<DunningCandidate> candidates = new ArrayList<>();
        // Open invoices are never packed: the closed ones stay packed, unread.
        book.forEachUnpacked(record -> record.invoice().filter(state -> state.status().isOpen())
                .map(state -> DunningRequests.candidate(state, book.clientPause(record.key().client())))
                .ifPresent(candidates::add));
        return candidates;
    }

    /**
     * Replays the folder's log into a fresh book and returns its open invoices; writes nothing.
     *
     * @throws LogCorruptionException when the log is damaged before its end, or names a change that cannot apply:
     *                                a plan from part of it would be wrong ({@code verify} names the damage)
     */
    public static List<DunningCandidate> fromLog(Storage storage, DataLayout layout) throws IOException {
        LogReplay replay = LogReplay.read(storage, layout);
        if (!replay.whole()) {
            String first = replay.log().blocksOpen() ? replay.log().faults().get(0) : replay.unappliable().orElseThrow();
            throw new LogCorruptionException(layout.eventLog().getFileName() + " is damaged (" + first
                    + "): run verify");
        }
        return of(replay.book());
    }
}
