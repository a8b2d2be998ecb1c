package com.novotechno.collections.bench;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The real file system with every fsync left out, the log's included: NOT crash-safe. Only for
 * filling a folder with many invoices fast, before a benchmark or a scale test measures the real
 * thing on {@link FileSystemStorage}.
 */
public final class NoFsyncStorage implements Storage {

    private final Storage disk = new FileSystemStorage().deferringSyncs();

    @Override
    public void createDirectories(Path dir) throws IOException {
        disk.createDirectories(dir);
    }

    @Override
    public void writeAtomically(Path target, byte[] content) throws IOException {
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
        AppendFile appendFile = disk.openAppend(file);
        return new AppendFile() {
            @Override
            public long size() throws IOException {
                return appendFile.size();
            }

            @Override
            public void append(byte[] bytes) throws IOException {
                appendFile.append(bytes);
            }

            @Override
            public void force() {
                // left out on purpose: see the class comment
            }

            @Override
            public void close() throws IOException {
                appendFile.close();
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
        return this;
    }

    @Override
    public void syncTree(Path root) {
        // left out on purpose: see the class comment
    }
}
