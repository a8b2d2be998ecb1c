package com.novotechno.collections.camel;

import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Body;

/** Writes each alert durably to alerts/, named by the time it was raised, so an operator finds them in order. */
public final class AlertFiles {

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

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
        Instant now = clock.instant();
        Path file = FreeName.in(folder, NAME.format(now) + "-reconcile.json", now);
        storage.writeAtomically(file, alert.getBytes(StandardCharsets.UTF_8));
    }
}
