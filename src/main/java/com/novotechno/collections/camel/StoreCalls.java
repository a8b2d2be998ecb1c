package com.novotechno.collections.camel;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;

/** How the intake beans apply a message: a failure that broke the store is reported before it is rethrown. */
final class StoreCalls {

    private StoreCalls() {
    }

    /** Applies, and tells {@code meter} what came of it and how long the store took. */
    static ApplyResult apply(CollectionsStore store, Runnable onStoreFailure, IntakeMeter meter, byte[] message)
            throws RejectedMessageException, IOException {
        long started = System.nanoTime();
        try {
            ApplyResult result = store.apply(message);
            meter.accepted(result.outcome(), System.nanoTime() - started);
            return result;
        } catch (IOException | RuntimeException e) {
            if (store.failed()) {
                onStoreFailure.run();
            }
            throw e;
        }
    }
}
