package com.novotechno.collections.camel;

import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    static int remove(Storage storage, Path folder, Instant before, Age age, Predicate<Path> mayRemove) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(folder)) {
                LOG.warn("{} is a symbolic link, not a folder of the data folder: nothing in it is removed", folder);
            }
            return 0;
        }
        int removed = 0;
        for (Path file : storage.list(folder)) {
            if (olderThan(file, before, age) && mayRemove.test(file)) {
                storage.deleteIfExists(file);
                removed++;
            }
        }
        return removed;
    }

    private static boolean olderThan(Path file, Instant before, Age age) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return false;
            }
            Instant time = attributes.lastModifiedTime().toInstant();
            if (age == Age.LAST_WRITTEN_OR_MOVED && file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                Map<String, Object> unix = Files.readAttributes(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
                Instant moved = ((FileTime) unix.get("ctime")).toInstant();
                time = moved.isAfter(time) ? moved : time;
            }
            return time.isBefore(before);
        } catch (IOException | RuntimeException cannotTell) {
            return false; // gone meanwhile, or not ours to read: looked at again next run
        }
    }
}
