package com.novotechno.collections.testing;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.ForwardingStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The real disk with hooks: counts log fsyncs, slows them down, and fails chosen writes or
 * moves the way a full disk or a crash at that point would.
 */
public final class InterceptingStorage extends ForwardingStorage {

    public final AtomicInteger forces = new AtomicInteger();
    public volatile long forceDelayMillis;
    /** When set, every fsync of an appended file waits for it to open: writers pile up behind one fsync. */
    public volatile CountDownLatch forceGate;
    public volatile Predicate<Path> failWritesTo = path -> false;
    public volatile Predicate<Path> failMovesFrom = path -> false;
    /** Reads of matching files fail while this is above zero, counting down: a transient fault. */
    public final AtomicInteger failingReads = new AtomicInteger();
    public volatile Predicate<Path> failReadsOf = path -> false;
    /** Appends to the event log fail while this is set: a disk that filled up. */
    public volatile boolean failAppends;

    /** Whose settings decide the faults: this one's, or for a deferring view, the storage it came from. */
    private final InterceptingStorage faults;

    public InterceptingStorage() {
        super(new FileSystemStorage());
        this.faults = this;
    }

    private InterceptingStorage(InterceptingStorage parent) {
        super(parent.delegate.deferringSyncs());
        this.faults = parent;
    }

    /** The same faults on the view that leaves fsyncs out: the store writes its state files through it. */
    @Override
    public Storage deferringSyncs() {
        return faults == this ? new InterceptingStorage(this) : this;
    }

    @Override
    public void writeAtomically(Path target, byte[] content) throws IOException {
        if (faults.failWritesTo.test(target)) {
            throw new IOException("injected: no space left on device writing " + target);
        }
        delegate.writeAtomically(target, content);
    }

    @Override
    public AppendFile openAppend(Path file) throws IOException {
        return new ForwardingAppendFile(delegate.openAppend(file)) {
            @Override
            public void append(byte[] bytes) throws IOException {
                if (faults.failAppends) {
                    throw new IOException("injected: no space left on device appending to " + file);
                }
                delegate.append(bytes);
            }

            @Override
            public byte[] readAt(long position, int maxBytes) throws IOException {
                if (faults.failReadsOf.test(file) && faults.failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new IOException("injected: input/output error reading " + file + " at " + position);
                }
                return delegate.readAt(position, maxBytes);
            }

            @Override
            public void force() throws IOException {
                faults.forces.incrementAndGet();
                CountDownLatch gate = faults.forceGate;
                if (gate != null) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
                if (faults.forceDelayMillis > 0) {
                    try {
                        Thread.sleep(faults.forceDelayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
                delegate.force();
            }
        };
    }

    @Override
    public byte[] read(Path file, int maxBytes) throws IOException {
        if (faults.failReadsOf.test(file) && faults.failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("injected: too many open files reading " + file);
        }
        return delegate.read(file, maxBytes);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        if (faults.failMovesFrom.test(source)) {
            throw new IOException("injected: crash before moving " + source);
        }
        delegate.move(source, target);
    }
}
