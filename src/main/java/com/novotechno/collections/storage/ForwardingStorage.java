package com.novotechno.collections.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Storage} that hands every call to another, for wrappers that change a few calls
 * (tests that inject faults, benchmarks that skip fsyncs) and should say only what they change.
 */
public abstract class ForwardingStorage implements Storage {

    protected final Storage delegate;

    protected ForwardingStorage(Storage delegate) {
        this.delegate = delegate;
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        delegate.createDirectories(dir);
    }

    @Override
    public void writeAtomically(Path target, byte[] content) throws IOException {
        delegate.writeAtomically(target, content);
    }

    @Override
    public byte[] read(Path file, int maxBytes) throws IOException {
        return delegate.read(file, maxBytes);
    }

    @Override
    public InputStream openRead(Path file) throws IOException {
        return delegate.openRead(file);
    }

    @Override
    public AppendFile openAppend(Path file) throws IOException {
        return delegate.openAppend(file);
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return delegate.isDirectory(path);
    }

    @Override
    public boolean isSymbolicLink(Path path) {
        return delegate.isSymbolicLink(path);
    }

    @Override
    public Optional<FileStamp> stamp(Path file) throws IOException {
        return delegate.stamp(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        delegate.move(source, target);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        delegate.deleteIfExists(file);
    }

    @Override
    public void truncate(Path file, long size) throws IOException {
        delegate.truncate(file, size);
    }

    @Override
    public Storage deferringSyncs() {
        return delegate.deferringSyncs();
    }

    @Override
    public void syncTree(Path root) throws IOException {
        delegate.syncTree(root);
    }

    @Override
    public void syncPaths(Collection<Path> changed) throws IOException {
        delegate.syncPaths(changed);
    }

    /** An {@link AppendFile} whose {@link #force} a wrapper replaces; the rest goes to the real file. */
    protected abstract static class ForwardingAppendFile implements AppendFile {

        protected final AppendFile delegate;

        protected ForwardingAppendFile(AppendFile delegate) {
            this.delegate = delegate;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            delegate.append(bytes);
        }

        @Override
        public byte[] readAt(long position, int maxBytes) throws IOException {
            return delegate.readAt(position, maxBytes);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
