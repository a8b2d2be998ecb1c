package com.novotechno.collections.camel;

import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the files directly in one folder that are older than a time: what the outbox's and the
 * retention's housekeeping share. Only regular files go, judged by the entry's own attributes: never a
 * link (nor what it points to), a folder, a FIFO or a device. A folder that is itself a link is not
 * entered, since what it points to is not the data folder's. A file that cannot be examined (removed
 * meanwhile, unreadable) is passed over until the next run.
 */
final class AgedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AgedFiles.class);

    /** Which time makes a file old. */
    enum Age {
        /** When it was last written (mtime): for files the service writes in place. */
        LAST_WRITTEN,
        /**
         * The later of that and when it was moved into the folder (ctime, which a rename sets): a file the
         * inbox moves to processed/ or rejected/ keeps its producer's mtime, however old, and must not go
         * at the next run after it arrived.
         */
        LAST_WRITTEN_OR_MOVED
    }

    private AgedFiles() {
    }

    /**
     * Removes each regular file directly in {@code folder} that is older than {@code before} by {@code age}
     * and that {@code mayRemove} accepts (asked only of old files: it may read them).
     *
     * @return how many were removed
     */
    static int remove(Storage storage, Path folder, Instant now, Instant before, Age age, Predicate<Path> mayRemove)
            throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(folder)) {
                LOG.warn("{} is a symbolic link, not a folder of the data folder: nothing in it is removed", folder);
            }
            return 0;
        }
        int removed = 0;
        // Entry by entry, never the whole listing at once: processed/ of a busy year holds millions of files.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path file : entries) {
                if (olderThan(file, now, before, age) && mayRemove.test(file)) {
                    storage.deleteIfExists(file);
                    removed++;
                }
            }
        } catch (NoSuchFileException gone) {
            return removed;
        }
        return removed;
    }

    private static boolean olderThan(Path file, Instant now, Instant before, Age age) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return false;
            }
            Instant time = attributes.lastModifiedTime().toInstant();
            boolean unixTimes = file.getFileSystem().supportedFileAttributeViews().contains("unix");
            // A write cannot come from the future: such an mtime was set by hand (touch -d 2100), and would keep the
            // file for ever. The change time, which nobody sets, says when it was last written, moved or changed.
            if (unixTimes && (age == Age.LAST_WRITTEN_OR_MOVED || time.isAfter(now))) {
                Map<String, Object> unix = Files.readAttributes(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
                Instant changed = ((FileTime) unix.get("ctime")).toInstant();
                time = time.isAfter(now) || changed.isAfter(time) ? changed : time;
            }
            return time.isBefore(before);
        } catch (IOException | RuntimeException cannotTell) {
            return false; // gone meanwhile, or not ours to read: looked at again next run
        }
    }
}
