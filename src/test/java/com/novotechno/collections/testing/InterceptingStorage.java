package com.novotechno.collections.testing;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The real disk with hooks: counts log fsyncs, slows them down, and fails chosen writes or
 * moves the way a full disk or a crash at that point would.
 */
public final class InterceptingStorage implements Storage {

    private final Storage disk = new FileSystemStorage();
    public final AtomicInteger forces = new AtomicInteger();
    public volatile long forceDelayMillis;
    public volatile Predicate<Path> failWritesTo = path -> false;
    public volatile Predicate<Path> failMovesFrom = path -> false;

    @Override
    public void createDirectories(Path dir) throws IOException {
        disk.createDirectories(dir);
    }

    @Override
    public void writeAtomically(Path target, byte[] content) throws IOException {
        if (failWritesTo.test(target)) {
            throw new IOException("injected: no space left on device writing " + target);
        }
        disk.writeAtomically(target, content);
    }

    @Override
    public byte[] read(Path file, int maxBytes) throws IOException {
        return disk.read(file, maxBytes);
    }

    @Override
    public InputStream openRead(Path file) throws IOException {
        return disk.openRead(file);
    }

    @Override
    public AppendFile openAppend(Path file) throws IOException {
        AppendFile real = disk.openAppend(file);
        return new AppendFile() {
            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void append(byte[] bytes) throws IOException {
                real.append(bytes);
            }

            @Override
            public void force() throws IOException {
                forces.incrementAndGet();
                if (forceDelayMillis > 0) {
                    try {
                        Thread.sleep(forceDelayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
                real.force();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public boolean exists(Path path) {
        return disk.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return disk.isDirectory(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return disk.list(dir);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        if (failMovesFrom.test(source)) {
            throw new IOException("injected: crash before moving " + source);
        }
        disk.move(source, target);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        disk.deleteIfExists(file);
    }

    @Override
    public void truncate(Path file, long size) throws IOException {
        disk.truncate(file, size);
    }

    @Override
    public Storage deferringSyncs() {
        return disk.deferringSyncs();
    }

    @Override
    public void syncTree(Path root) throws IOException {
        disk.syncTree(root);
    }
}
