package com.novotechno.collections.camel;

import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.Body;

/**
 * Writes each alert durably to alerts/ as KIND.TIME.json (reconcile, state-audit), so an operator
 * finds them in order. The kind is the alert's own {@code type} less its ".alert".
 */
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
        String type = PrettyJson.JSON.readTree(alert).path("type").asText();
        if (!type.matches("[a-z-]{1,32}\\.alert")) {
            throw new IllegalArgumentException("not an alert of this service: type '" + type + "'");
        }
        String kind = type.substring(0, type.length() - ".alert".length());
        Path file = FreeName.stamped(folder, kind + ".json", clock.instant());
        storage.writeAtomically(file, alert.getBytes(StandardCharsets.UTF_8));
    }
}
