package com.novotechno.collections.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Where a data folder keeps things, and what is in it, for tests that look at the disk. */
public final class DataFolders {

    private DataFolders() {
    }

    public static Path openStateFile(Path data, InvoiceKey key) {
        return data.resolve("state/open").resolve(key.client()).resolve(key.invoiceNumber() + ".json");
    }

    public static Path archivedStateFile(Path data, InvoiceKey key) {
        return data.resolve("state/archive").resolve(key.client()).resolve(key.invoiceNumber() + ".json");
    }

    /** Every regular file under {@code root}, relative to it; none when it does not exist. */
    public static List<Path> filesUnder(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(root::relativize).toList();
        }
    }

    /**
     * Every regular file under {@code root} whose bytes hold {@code text} in UTF-8, relative to it. A
     * symbolic link is no file of the folder: what it points to is not read.
     */
    public static List<Path> filesContaining(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).filter(file -> contains(file, needle))
                    .map(root::relativize).toList();
        }
    }

    /** A named pipe at {@code path}, made by mkfifo; the test is skipped where there is none. */
    public static void makeFifo(Path path) throws IOException, InterruptedException {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException missing) {
            Assumptions.abort("mkfifo is not available: " + missing.getMessage());
            return;
        }
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
    }

    private static boolean contains(Path file, byte[] needle) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            return false; // removed while the walk went on (a broker's journal file, a moved inbox file)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
