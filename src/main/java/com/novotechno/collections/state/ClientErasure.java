package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.privacy.ErasureSweep;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An erasure logged and not yet finished, and the work that finishes it outside the log: the
 * sweep of the client's files (by its name and its addresses), then its key. The live path does it
 * right after the log's fsync; a start does it for an erasure a crash left unfinished.
 *
 * @param addresses the client's addresses as the book knew them before the erasure applied: only
 *                  the key, destroyed last, can still open them
 */
record ClientErasure(String client, Change.ClientErased erasure, Set<String> addresses) {

    ClientErasure {
        addresses = Set.copyOf(addresses);
    }

    /** Read from the book before the erasure entry is applied to it (which forgets the addresses). */
    static ClientErasure of(InvoiceBook book, String client, Change.ClientErased erasure) {
        Set<String> addresses = new TreeSet<>();
        for (InvoiceKey key : book.keysOf(client)) {
            book.get(key).ifPresent(state -> {
                state.contactEmail().ifPresent(addresses::add);
                state.dunning().forEach(step -> step.contactEmail().ifPresent(addresses::add));
            });
        }
        return new ClientErasure(client, erasure, addresses);
    }

    /** The sweep first, the key last: the key's mark is how a restart knows the erasure finished. */
    void finish(Storage storage, DataLayout layout, SealedChanges sealed, Consumer<String> notices) throws IOException {
        List<Path> removed = new ErasureSweep(storage, layout).sweep(client, addresses);
        sealed.erased(erasure, client);
        notices.accept("client " + client + " erased: its key destroyed, " + removed.size()
                + " files naming it removed from processed/, rejected/, outbox/ and alerts/");
    }
}
