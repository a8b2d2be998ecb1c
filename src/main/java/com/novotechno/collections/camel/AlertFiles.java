package com.novotechno.collections.camel;

import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.Body;

/** Writes each alert durably to alerts/ as reconcile.TIME.json, so an operator finds them in order. */
public final class AlertFiles {

    private final Storage storage;
    private final Path folder;
    private final Clock clock;

    public AlertFiles(Storage storage, Path folder, Clock clock) {
        this.storage = storage;
        this.folder = folder;
        this.clock = clock;
    }

    public void write(@Body String alert) throws IOException {
        storage.createDirectories(folder);
        Path file = FreeName.stamped(folder, "reconcile.json", clock.instant());
        storage.writeAtomically(file, alert.getBytes(StandardCharsets.UTF_8));
    }
}
