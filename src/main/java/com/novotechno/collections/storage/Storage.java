package com.novotechno.collections.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one seam through which the core touches the disk. Everything that must survive a crash
 * goes through here, so a test implementation can stand in for the disk (power loss, errors).
 *
 * <p>Contract shared by all implementations: a method that returns normally has made its effect
 * durable (it survives power loss), except {@link AppendFile#append}, which is durable only
 * after {@link AppendFile#force}.
 */
public interface Storage {

    /** Creates the folder and any missing parents, readable by the owner alone. */
    void createDirectories(Path dir) throws IOException;

    /** Replaces {@code target} with {@code content} so that a crash leaves either the old or the new bytes. */
    void writeAtomically(Path target, byte[] content) throws IOException;

    /** Reads a whole file, refusing one larger than {@code maxBytes} rather than exhausting memory. */
    byte[] read(Path file, int maxBytes) throws IOException;

    /** Streams a file that may be too large to read whole (the event log). */
    InputStream openRead(Path file) throws IOException;

    /** Opens a file for appending, creating it (owner-only) if missing. */
    AppendFile openAppend(Path file) throws IOException;

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** True for a symbolic link, whatever it points to: what a removal of a tree must delete, not follow. */
    default boolean isSymbolicLink(Path path) {
        return false;
    }

    /**
     * The stamp of a regular file, or empty when there is none to give (no such file, not a regular file, or a
     * storage that cannot tell): then a reader that keeps what it read must read the file every time.
     */
    default Optional<FileStamp> stamp(Path file) throws IOException {
        return Optional.empty();
    }

    /** The entries directly inside {@code dir}, sorted by name; empty if the folder does not exist. */
    List<Path> list(Path dir) throws IOException;

    /**
     * Every entry below {@code root} that is no folder, at any depth, sorted; empty if the folder does not exist.
     * A link is listed as an entry, never followed: what the callers remove must stay inside the data folder.
     */
    default List<Path> listFilesRecursively(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path entry : list(root)) {
            if (!isSymbolicLink(entry) && isDirectory(entry)) {
                files.addAll(listFilesRecursively(entry));
            } else {
                files.add(entry);
            }
        }
        return files;
    }

    /** Renames atomically; both folders are synced so the move itself survives a crash. */
    void move(Path source, Path target) throws IOException;

    /** Deletes a file if it exists, durably. */
    void deleteIfExists(Path file) throws IOException;

    /** Cuts a file to {@code size} bytes, durably. */
    void truncate(Path file, long size) throws IOException;

    /**
     * The same disk with every change's own fsync left out: changes are durable only after
     * {@link #syncTree}. For rebuilding derived files in bulk, where a crash midway is
     * answered by rebuilding again, not by what each file holds.
     */
    Storage deferringSyncs();

    /**
     * Makes {@code root} durable: a file's content, or every file and folder below a folder;
     * and root's own entry in its parent.
     */
    void syncTree(Path root) throws IOException;

    /**
     * Makes durable what the {@link #deferringSyncs} view changed at these paths: a file's content,
     * a folder's entries (names created, renamed or removed in it). An implementation may make more
     * durable than asked (the real disk syncs the whole file system at once), never less.
     */
    void syncPaths(Collection<Path> changed) throws IOException;

    /** A file open for appending. */
    interface AppendFile extends AutoCloseable {
        long size() throws IOException;

        /** Writes all of {@code bytes} at the end of the file; not durable until {@link #force}. */
        void append(byte[] bytes) throws IOException;

        /** Makes everything appended so far durable. */
        void force() throws IOException;

        /**
         * Up to {@code maxBytes} from {@code position} (fewer at the end of the file), read through
         * this open file: a process that holds a POSIX lock on the file loses it when it closes any
         * other descriptor of it, so a lock holder must not open the file again to read it.
         */
        byte[] readAt(long position, int maxBytes) throws IOException;

        @Override
        void close() throws IOException;
    }
}
