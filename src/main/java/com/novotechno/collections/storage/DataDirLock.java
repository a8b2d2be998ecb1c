package com.novotechno.collections.storage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 */
public final class DataDirLock implements AutoCloseable {

    public static final String FILE_NAME = "collections.lock";
    private static final int MAX_HOLDER_BYTES = 1024;
    /** Folders locked by this JVM, by file identity (device and inode), so no alias of a path slips past. */
    private static final Set<Object> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Object dataDir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Object dataDir, FileChannel channel, FileLock lock) {
        this.dataDir = dataDir;
        this.channel = channel;
        this.lock = lock;
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
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new DataDirLock(key, channel, lock);
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
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD_IN_THIS_PROCESS.remove(dataDir);
            }
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
