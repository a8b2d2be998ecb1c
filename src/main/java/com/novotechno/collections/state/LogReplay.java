package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.log.LogEntryVisitor;
import com.novotechno.collections.privacy.ClientKeys;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The book a folder's log implies, read without the folder's lock and without writing anything:
 * what {@code verify} compares the state files with and {@code dunning --dry-run} plans from.
 *
 * @param log what the read of the log found
 * @param unappliable the first entry whose change cannot apply (a chain that holds over it: the log
 *                    was rewritten, hashes and all); the book stops before it
 */
record LogReplay(InvoiceBook book, EventLog.Inspection log, Optional<String> unappliable, Optional<AtSeq> atSeq) {

    /**
     * The book and message table as they stood after one line, with that line: what a snapshot taken
     * there must hold.
     */
    record AtSeq(long seq, String hash, long lineOffset, List<InvoiceRecord> records, Map<String, DunningHold> clientPauses,
                 MessageLocations.Table locations) {
    }

    static LogReplay read(Storage storage, DataLayout layout) throws IOException {
        return read(storage, layout, -1);
    }

    /** As {@link #read(Storage, DataLayout)}, also keeping the book as it stood after the line with {@code captureSeq}. */
    static LogReplay read(Storage storage, DataLayout layout, long captureSeq) throws IOException {
        InvoiceBook book = new InvoiceBook();
        MessageLocations locations = captureSeq > 0 ? new MessageLocations() : null;
        String[] unappliable = new String[1];
        AtSeq[] captured = new AtSeq[1];
        // Read only: the keys open the log's sealed values; an erasure's key is destroyed by the service, not here.
        SealedChanges sealed = SealedChanges.reader(() -> ClientKeys.open(storage, layout.keys()));
        EventLog.Inspection log = EventLog.inspect(storage, layout.eventLog(), new LogEntryVisitor() {
            @Override
            public void visit(LogEntry entry) {
                throw new AssertionError("the log passes offsets");
            }

            @Override
            public void visit(LogEntry entry, long offset) {
                if (unappliable[0] != null) {
                    return;
                }
                try {
                    LogEntry opened = sealed.open(entry);
                    if (opened.change() instanceof Change.ClientErased erasure) {
                        sealed.explain(erasure, opened.invoice().client());
                    }
                    book.apply(opened);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    unappliable[0] = e.getMessage();
                    return;
                }
                if (locations != null && entry.seq() <= captureSeq) {
                    locations.add(entry.messageId(), offset);
                }
                if (entry.seq() == captureSeq) {
                    captured[0] = new AtSeq(entry.seq(), entry.hash(), offset, book.records(), book.clientPauses(),
                            locations.copy());
                }
            }
        }, layout.keying());
        if (unappliable[0] == null) {
            unappliable[0] = sealed.unexplainedMissingKey().orElse(null);
        }
        return new LogReplay(book, log, Optional.ofNullable(unappliable[0]), Optional.ofNullable(captured[0]));
    }

    /** Whether the book is the whole log's: neither damage before the log's end nor an entry that cannot apply. */
    boolean whole() {
        return !log.blocksOpen() && unappliable.isEmpty();
    }
}
