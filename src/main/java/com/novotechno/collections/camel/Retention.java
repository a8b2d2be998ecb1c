package com.novotechno.collections.camel;

import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention route's logic: files in processed/, rejected/ and alerts/ older than their
 * {@code collections.retention.*} are removed, and so are dead letters (both dead-letter queues) on the
 * embedded broker; an external broker keeps its own. One INFO line per run says what went.
 *
 * <p>What never goes: anything but a regular file directly in those folders ({@link AgedFiles}), a write
 * in progress (a hidden {@code .*.tmp}: the start's sweep is the one to judge it), and
 * {@code alerts/log-head.json}, the log's last published head, which is replaced, never aged.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** Removes the dead letters sent before a time, from every dead-letter queue; returns how many. */
    @FunctionalInterface
    public interface DeadLetters {
        int removeOlderThan(Instant before) throws Exception;
    }

    /** What one run removed. */
    public record Removed(int processed, int rejected, int alerts, int deadLetters) {
    }

    private final Storage storage;
    private final DataLayout layout;
    private final RetentionSettings settings;
    private final Optional<DeadLetters> deadLetters;
    private final Clock clock;

    /** @param deadLetters the embedded broker's; empty with an external broker, whose dead letters are its own business */
    public Retention(Storage storage, DataLayout layout, RetentionSettings settings, Optional<DeadLetters> deadLetters,
                     Clock clock) {
        this.storage = storage;
        this.layout = layout;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public Removed run() throws Exception {
        Instant now = clock.instant();
        Predicate<Path> notInProgress = file -> !FileSystemStorage.isTemporaryFile(file);
        int processed = removeFiles(layout.processed(), settings.processed(), now, notInProgress);
        int rejected = removeFiles(layout.rejected(), settings.rejected(), now, notInProgress);
        int alerts = removeFiles(layout.alerts(), settings.alerts(), now, notInProgress.and(Retention::isAlert));
        int dead = RetentionSettings.forever(settings.deadLetters()) || deadLetters.isEmpty() ? 0
                : deadLetters.get().removeOlderThan(now.minus(settings.deadLetters()));
        Removed removed = new Removed(processed, rejected, alerts, dead);
        LOG.info("retention: removed {} files from processed/ ({}), {} from rejected/ ({}), {} from alerts/ ({}), {} dead"
                        + " letters ({})", processed, kept(settings.processed()), rejected, kept(settings.rejected()), alerts,
                kept(settings.alerts()), dead, deadLetters.isEmpty() ? "an external broker's own"
                        : kept(settings.deadLetters()));
        return removed;
    }

    private int removeFiles(Path folder, Duration retention, Instant now, Predicate<Path> mayRemove) throws IOException {
        if (RetentionSettings.forever(retention)) {
            return 0;
        }
        return AgedFiles.remove(storage, folder, now, now.minus(retention), AgedFiles.Age.LAST_WRITTEN_OR_MOVED, mayRemove);
    }

    /** An alert file (KIND.TIME.json); the log's head is not one, and is never aged. */
    private static boolean isAlert(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") && !name.equals(LogHeadPublication.FILE_NAME);
    }

    private static String kept(Duration retention) {
        return RetentionSettings.forever(retention) ? "kept forever" : "older than " + retention.toHours() + "h";
    }
}
