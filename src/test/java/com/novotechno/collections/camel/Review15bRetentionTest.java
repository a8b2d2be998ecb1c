package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.JavaProcess;
import com.novotechno.collections.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue 15 (b): retention against files a producer shaped, and against a folder of very many files. */
class Review15bRetentionTest {

    private static final Duration NINETY_DAYS = Duration.ofHours(2160);

    @TempDir
    Path temp;

    @Test
    void aFileWhoseProducerSetItsTimeInTheFutureGoesItsRetentionAfterItArrived() throws Exception {
        DataLayout layout = new DataLayout(temp.resolve("data"));
        Files.createDirectories(layout.processed());
        Instant arrived = Instant.now();
        // An inbox file touched to 2100 by its producer (touch -d): a move keeps the mtime, the rename sets ctime to now.
        Path pinned = Files.writeString(layout.processed().resolve("pinned.json"), "{}");
        Files.setLastModifiedTime(pinned, FileTime.from(Instant.parse("2100-01-01T00:00:00Z")));
        MovableClock clock = new MovableClock(arrived);
        clock.set(arrived.plus(Duration.ofDays(91)).toString());

        Retention.Removed removed = new Retention(new FileSystemStorage(), layout,
                new RetentionSettings(NINETY_DAYS, Duration.ZERO, NINETY_DAYS, Duration.ZERO), Optional.empty(), clock).run();

        assertThat(removed.processed()).as("a write cannot come from the future: its arrival counts").isEqualTo(1);
        assertThat(pinned).doesNotExist();
    }

    /** Runs retention over a folder in a JVM of little heap: prints the number removed. */
    public static void main(String[] args) throws Exception {
        DataLayout layout = new DataLayout(Path.of(args[0]));
        Retention.Removed removed = new Retention(new FileSystemStorage(), layout,
                new RetentionSettings(NINETY_DAYS, Duration.ZERO, NINETY_DAYS, Duration.ZERO), Optional.empty(),
                java.time.Clock.systemUTC()).run();
        System.out.println("removed " + removed.processed());
    }

    @Test
    void aFolderOfVeryManyFilesIsWalkedInBoundedMemory() throws Exception {
        DataLayout layout = new DataLayout(temp.resolve("data"));
        Files.createDirectories(layout.processed());
        int files = 200_000;
        for (int i = 0; i < files; i++) {
            Files.createFile(layout.processed().resolve("producer-file-with-a-long-name-" + i + ".json"));
        }
        ProcessBuilder builder = JavaProcess.builder(Review15bRetentionTest.class, layout.root().toString());
        List<String> command = builder.command();
        command.set(command.indexOf("-Xmx256m"), "-Xmx12m");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(output).contains("removed 0").doesNotContain("OutOfMemoryError");
        assertThat(process.exitValue()).as(output).isZero();
    }
}
