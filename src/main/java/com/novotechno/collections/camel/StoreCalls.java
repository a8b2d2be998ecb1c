package com.novotechno.collections.camel;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;

/** How the intake beans apply a message: a failure that broke the store is reported before it is rethrown. */
final class StoreCalls {

    private StoreCalls() {
    }

    static ApplyResult apply(CollectionsStore store, Runnable onStoreFailure, byte[] message)
            throws RejectedMessageException, IOException {
        try {
            return store.apply(message);
        } catch (IOException | RuntimeException e) {
            if (store.failed()) {
                onStoreFailure.run();
            }
            throw e;
        }
    }
}
