package com.novotechno.collections.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool for reading and decoding many files at once (a whole-book scan): one thread per core,
 * at most {@link #MAX_THREADS}, since a file's read waits on the disk and its decoding (JSON, the checksum)
 * is CPU. Made for one scan and closed after it: nothing of it outlives the command.
 */
public final class ReadPool implements AutoCloseable {

    /** Beyond this, more threads only queue on the disk and the two cores this runs on. */
    public static final int MAX_THREADS = 4;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService executor;

    private ReadPool(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException(threads + " reader threads, not 1 to " + MAX_THREADS);
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "collections-read-" + pool + "-" + count.incrementAndGet());
            thread.setDaemon(true); // a scan that failed must not keep the JVM alive
            return thread;
        });
    }

    /** One thread per core, within the bound. */
    public static ReadPool ofCores() {
        return new ReadPool(Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors())));
    }

    public static ReadPool of(int threads) {
        return new ReadPool(threads);
    }

    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    /** The task's result, its IOException or unchecked failure rethrown as its own. */
    public static <T> T join(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
