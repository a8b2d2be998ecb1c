package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.MovableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT section 6, collections.retention.*: what the hourly retention removes, and what it never touches. */
class RetentionTest {

    private static final Duration NINETY_DAYS = Duration.ofHours(2160);

    @TempDir
    Path temp;

    private DataLayout layout;
    /** Now for the files: they were made (and so moved in) just before. */
    private Instant madeAt;
    private MovableClock clock;
    private final List<Instant> deadLettersAskedBefore = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        layout = new DataLayout(temp.resolve("data"));
        for (Path folder : List.of(layout.processed(), layout.rejected(), layout.alerts())) {
            Files.createDirectories(folder);
        }
        madeAt = Instant.now();
        clock = new MovableClock(madeAt);
    }

    private Retention retention(Duration processed, Duration rejected, Duration alerts, Duration dlq) {
        return new Retention(new FileSystemStorage(), layout, new RetentionSettings(processed, rejected, alerts, dlq),
                Optional.of(before -> {
                    deadLettersAskedBefore.add(before);
                    return 3;
                }), clock);
    }

    private static Path file(Path folder, String name, Instant modified) throws IOException {
        Path file = Files.writeString(folder.resolve(name), "{}");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void filesOlderThanTheirRetentionGoAndYoungerOnesStay() throws Exception {
        clock.set(madeAt.plus(Duration.ofDays(91)).toString());
        Instant now = clock.instant();
        Path oldProcessed = file(layout.processed(), "a.json", madeAt);
        Path youngProcessed = file(layout.processed(), "b.json", now.minus(Duration.ofDays(1)));
        Path oldAlert = file(layout.alerts(), "reconcile.20260101T000000Z.json", madeAt);
        Path youngAlert = file(layout.alerts(), "unapplied.20260101T000000Z.json", now.minus(Duration.ofDays(89)));
        Path oldRejected = file(layout.rejected(), "r.json", madeAt);
        Path oldReport = file(layout.rejected(), "r.json.error.json", madeAt);

        Retention.Removed removed = retention(NINETY_DAYS, Duration.ZERO, NINETY_DAYS, Duration.ofHours(24)).run();

        assertThat(removed).isEqualTo(new Retention.Removed(1, 0, 1, 3));
        assertThat(oldProcessed).doesNotExist();
        assertThat(oldAlert).doesNotExist();
        assertThat(youngProcessed).exists();
        assertThat(youngAlert).exists();
        assertThat(oldRejected).as("rejected files are kept forever by 0").exists();
        assertThat(oldReport).exists();
        assertThat(deadLettersAskedBefore).containsExactly(now.minus(Duration.ofHours(24)));
    }

    @Test
    void aFileMovedInRecentlyStaysHoweverOldItsProducerWroteIt() throws Exception {
        clock.set(madeAt.plus(Duration.ofDays(1)).toString());
        // An inbox file written 200 days ago, accepted and moved to processed/ just now: its mtime is old, its arrival is not.
        Path accepted = file(layout.processed(), "late.json", madeAt.minus(Duration.ofDays(200)));

        assertThat(retention(NINETY_DAYS, NINETY_DAYS, NINETY_DAYS, Duration.ZERO).run())
                .isEqualTo(new Retention.Removed(0, 0, 0, 0));
        assertThat(accepted).exists();
        assertThat(deadLettersAskedBefore).as("0 keeps dead letters forever: the broker is not asked").isEmpty();
    }

    @Test
    void theLogHeadTemporaryFilesFoldersAndLinksAreNeverRemovedNorFollowed() throws Exception {
        clock.set(madeAt.plus(Duration.ofDays(365)).toString());
        Path head = file(layout.alerts(), LogHeadPublication.FILE_NAME, madeAt);
        Path writing = file(layout.alerts(), ".reconcile.json.1.2.tmp", madeAt);
        Path folder = Files.createDirectory(layout.processed().resolve("dir.json"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path target = file(outside, "target.json", madeAt);
        Path link = Files.createSymbolicLink(layout.processed().resolve("link.json"), target);
        // A folder replaced by a link to elsewhere: what it points to is not the data folder's.
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Path notOurs = file(elsewhere, "r.json", madeAt);
        Files.delete(layout.rejected());
        Files.createSymbolicLink(layout.rejected(), elsewhere);

        assertThat(retention(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO).run())
                .isEqualTo(new Retention.Removed(0, 0, 0, 0));
        assertThat(head).exists();
        assertThat(writing).exists();
        assertThat(folder).isDirectory();
        assertThat(link).isSymbolicLink();
        assertThat(target).exists();
        assertThat(notOurs).exists();
    }

    @Test
    void withAnExternalBrokerDeadLettersAreLeftToIt() throws Exception {
        Retention external = new Retention(new FileSystemStorage(), layout,
                new RetentionSettings(NINETY_DAYS, Duration.ZERO, NINETY_DAYS, Duration.ofHours(1)), Optional.empty(), clock);
        assertThat(external.run().deadLetters()).isZero();
    }
}
