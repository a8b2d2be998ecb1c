package com.novotechno.collections.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes derived files without an fsync each and makes them durable in batches: the state files'
 * half of a checkpoint. Every change goes through {@link Storage#deferringSyncs()} (atomic still:
 * a file appears under its name only whole, by rename) and its path is remembered; {@link #syncChanged}
 * then makes all of them durable at once. Until then a power cut may take any of them back, which
 * recovery answers by rewriting them from the log, which alone is fsynced before an acknowledgement.
 */
public final class DeferredSyncs extends ForwardingStorage {

    private final Storage synced;
    private final Object changedLock = new Object();
    // Guarded by changedLock: files written and folders whose entries changed since the last sync.
    private Set<Path> changed = new HashSet<>();

    public DeferredSyncs(Storage synced) {
        super(synced.deferringSyncs());
        this.synced = synced;
    }

    /** How many paths wait for {@link #syncChanged}: a caller bounds the batch by it. */
    public int pending() {
        synchronized (changedLock) {
            return changed.size();
        }
    }

    /** Makes every change made so far durable. Changes made while it runs wait for the next call. */
    public void syncChanged() throws IOException {
        Set<Path> batch;
        synchronized (changedLock) {
            batch = changed;
            changed = new HashSet<>();
        }
        try {
            synced.syncPaths(batch);
        } catch (IOException | RuntimeException e) {
            synchronized (changedLock) {
                changed.addAll(batch); // still not durable
            }
            throw e;
        }
    }

    private void remember(Path path) {
        synchronized (changedLock) {
            changed.add(path.toAbsolutePath());
        }
    }

    private void rememberWithFolder(Path path) {
        Path absolute = path.toAbsolutePath();
        synchronized (changedLock) {
            changed.add(absolute);
            if (absolute.getParent() != null) {
                changed.add(absolute.getParent());
            }
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path folder = dir.toAbsolutePath(); folder != null && !delegate.isDirectory(folder); folder = folder.getParent()) {
            missing.add(folder);
        }
        delegate.createDirectories(dir);
        missing.forEach(this::rememberWithFolder); // each new folder, and its entry in its parent
    }

    @Override
    public void writeAtomically(Path target, byte[] content) throws IOException {
        delegate.writeAtomically(target, content);
        rememberWithFolder(target);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        delegate.move(source, target);
        rememberWithFolder(target);
        remember(source.toAbsolutePath().getParent());
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        delegate.deleteIfExists(file);
        remember(file.toAbsolutePath().getParent());
    }

    @Override
    public void truncate(Path file, long size) throws IOException {
        delegate.truncate(file, size);
        remember(file);
    }

    @Override
    public Storage deferringSyncs() {
        return this;
    }
}
