package com.novotechno.collections.storage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a data folder. The OS lock (not the file's existence) is what counts,
 * so a killed owner never leaves a stale lock behind; the file's text only tells a refused
 * second process who holds it.
 *
 * <p>OS file locks belong to the process, and closing any descriptor of the locked file drops
 * them. So a second attempt from within this JVM must never open the file: a JVM-wide registry
 * of held folders answers it first.
 *
 * <p>The lock file can be deleted while it is held, and a second process then locks a new file of
 * that name. Two defences: the holder also locks events.log itself, which cannot be deleted and
 * recreated without destroying the log, so a second writer is refused even then; and
 * {@link #requireHeld} lets the holder notice, before each group commit, that either path no
 * longer names the file it locked, and stop.
 */
public final class DataDirLock implements AutoCloseable {

    public static final String FILE_NAME = "collections.lock";
    /** The event log's name (log.EventLog.FILE_NAME; storage may not depend on log). */
    private static final String LOG_FILE_NAME = "events.log";
    private static final int MAX_HOLDER_BYTES = 1024;
    /** Folders locked by this JVM, by file identity (device and inode), so no alias of a path slips past. */
    private static final Set<Object> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Object dataDir;
    private final Path dataDirPath;
    private final FileChannel channel;
    private final FileLock lock;
    /** The lock file's identity when it was locked: the path must keep naming it. */
    private final Object lockFileKey;
    private final FileChannel logChannel;
    private final Object logFileKey;
    // Guarded by this: replaced by relockLog.
    private FileLock logLock;

    private DataDirLock(Object dataDir, Path dataDirPath, FileChannel channel, FileLock lock, Object lockFileKey,
                        FileChannel logChannel, FileLock logLock, Object logFileKey) {
        this.dataDir = dataDir;
        this.dataDirPath = dataDirPath;
        this.channel = channel;
        this.lock = lock;
        this.lockFileKey = lockFileKey;
        this.logChannel = logChannel;
        this.logLock = logLock;
        this.logFileKey = logFileKey;
    }

    public static DataDirLock acquire(Path dataDir) throws IOException {
        Object key = Files.readAttributes(dataDir, BasicFileAttributes.class).fileKey();
        if (key == null) {
            throw new IOException("the file system of " + dataDir + " cannot identify folders; cannot lock it safely");
        }
        if (!HELD_IN_THIS_PROCESS.add(key)) {
            throw new DataDirLockedException(dataDir, "this process (pid " + ProcessHandle.current().pid() + ")");
        }
        boolean acquired = false;
        try {
            DataDirLock held = lockFile(dataDir, key);
            acquired = true;
            return held;
        } finally {
            if (!acquired) {
                HELD_IN_THIS_PROCESS.remove(key);
            }
        }
    }

    private static DataDirLock lockFile(Path dataDir, Object key) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(FILE_NAME),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            // The registry should have answered; closing this channel now would drop the lock this
            // JVM holds, so the descriptor is left open rather than risk two owners.
            throw new DataDirLockedException(dataDir, "this process (pid " + ProcessHandle.current().pid() + ")");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = readHolder(channel);
            channel.close(); // held by another process: closing our descriptor cannot drop its lock
            throw new DataDirLockedException(dataDir, holder);
        }
        boolean complete = false;
        FileChannel logChannel = null;
        try {
            Object lockFileKey = fileKey(dataDir.resolve(FILE_NAME));
            logChannel = openLog(dataDir);
            FileLock logLock = logChannel.tryLock();
            if (logLock == null) {
                // Our lock file was free, yet the log is locked: the holder's lock file was
                // deleted (or replaced) under it. Its pid is not known; the log is its.
                throw new DataDirLockedException(dataDir, "another process, which holds " + LOG_FILE_NAME
                        + " (its " + FILE_NAME + " was deleted or replaced while it ran)");
            }
            Object logFileKey = fileKey(dataDir.resolve(LOG_FILE_NAME));
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            DataDirLock held = new DataDirLock(key, dataDir, channel, lock, lockFileKey, logChannel, logLock,
                    logFileKey);
            complete = true;
            return held;
        } finally {
            if (!complete) {
                try {
                    if (logChannel != null) {
                        logChannel.close();
                    }
                } finally {
                    channel.close(); // releases the lock file's lock too
                }
            }
        }
    }

    /** Opens (creating it, durably, if missing) the event log for locking; never for writing through. */
    private static FileChannel openLog(Path dataDir) throws IOException {
        Path log = dataDir.resolve(LOG_FILE_NAME);
        try {
            FileChannel created = FileChannel.open(log,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // The log's entries are fsynced with fdatasync, which does not make its name durable.
            try (FileChannel folder = FileChannel.open(dataDir, StandardOpenOption.READ)) {
                folder.force(true);
            }
            return created;
        } catch (FileAlreadyExistsException exists) {
            return FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    private static Object fileKey(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (key == null) {
            throw new IOException("the file system of " + file + " cannot identify files; cannot lock it safely");
        }
        return key;
    }

    /**
     * Takes the lock on events.log again. Closing any other descriptor of the log in this process
     * (as opening the log does: its scan, repair and fsync) silently drops the OS lock, so the
     * store calls this once it has opened the log, and nothing in this process may open the log
     * through another descriptor afterwards.
     */
    public synchronized void relockLog() throws IOException {
        logLock.release();
        FileLock again = logChannel.tryLock();
        if (again == null) {
            throw new DataDirLockedException(dataDirPath, "another process, which took " + LOG_FILE_NAME
                    + " while this one was opening it");
        }
        logLock = again;
    }

    /**
     * Fails unless both the lock file and the event log are still the files this process locked.
     * Deleting or replacing either lets another process take the folder; the holder must then stop
     * writing rather than interleave with it. One stat each: cheap beside an fsync.
     */
    public void requireHeld() throws IOException {
        requireSameFile(FILE_NAME, lockFileKey);
        requireSameFile(LOG_FILE_NAME, logFileKey);
    }

    private void requireSameFile(String name, Object lockedKey) throws IOException {
        Path file = dataDirPath.resolve(name);
        Object now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException deleted) {
            now = null;
        }
        if (!lockedKey.equals(now)) {
            throw new DataDirLostException(dataDirPath, name, now == null ? "was deleted" : "was replaced");
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_HOLDER_BYTES);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "another process" : text;
    }

    private static String describeThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + " ("
                + ManagementFactory.getRuntimeMXBean().getName() + "), since " + Instant.now() + "\n";
    }

    @Override
    public void close() throws IOException {
        try {
            logChannel.close(); // releases its lock too
        } finally {
            try {
                lock.release();
            } finally {
                try {
                    channel.close();
                } finally {
                    HELD_IN_THIS_PROCESS.remove(dataDir);
                }
            }
        }
    }

    /** Thrown when the holder finds that the files it locked no longer are the folder's: it must stop writing. */
    public static final class DataDirLostException extends IOException {
        private static final long serialVersionUID = 1L;

        DataDirLostException(Path dataDir, String name, String what) {
            super("this process no longer holds data folder " + dataDir.toAbsolutePath() + ": " + name + " " + what
                    + " while it ran, so another process may take the folder; stopping all writes. Restart to"
                    + " take the folder again (nothing acknowledged is lost)");
        }
    }

    /** Thrown when another process, or another store in this one, owns the data folder. */
    public static final class DataDirLockedException extends IOException {
        private static final long serialVersionUID = 1L;

        DataDirLockedException(Path dataDir, String holder) {
            super("data folder " + dataDir.toAbsolutePath() + " is in use by " + holder
                    + "; stop that service first (lock file " + FILE_NAME + ")");
        }
    }
}
