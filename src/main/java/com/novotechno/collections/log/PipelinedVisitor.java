package com.novotechno.collections.log;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands a scan's entries to a visitor on a second thread, in order, so that reading and checking the
 * log (parse, canonical form, hash, chain) and applying its entries (the book, the ledger, the
 * message locations) each take a core: a start's replay is the sum of both otherwise.
 *
 * <p>The visitor's first failure is thrown to the scanning thread, at its next entry or at
 * {@link #finish}; entries after it are not visited. Memory is bounded by {@value #BATCHES_IN_FLIGHT}
 * batches of {@value #BATCH} entries. Everything the visitor did happens-before {@link #finish} returns.
 */
final class PipelinedVisitor implements LogEntryVisitor, AutoCloseable {

    static final int BATCH = 256;
    static final int BATCHES_IN_FLIGHT = 16;

    private record Batch(LogEntry[] entries, long[] offsets, int size) {
        static final Batch END = new Batch(new LogEntry[0], new long[0], 0);
    }

    private final LogEntryVisitor target;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
    private final Thread worker;
    private volatile Throwable failure;
    /** Set when the scan gave up: the entries still queued are dropped, not visited. */
    private volatile boolean abandoned;
    private boolean ended;
    private LogEntry[] entries = new LogEntry[BATCH];
    private long[] offsets = new long[BATCH];
    private int size;

    PipelinedVisitor(LogEntryVisitor target) {
        this.target = target;
        this.worker = new Thread(this::work, "collections-log-replay");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void visit(LogEntry entry) {
        throw new AssertionError("the scanner passes offsets");
    }

    @Override
    public void visit(LogEntry entry, long offset) throws IOException {
        rethrowFailure();
        entries[size] = entry;
        offsets[size] = offset;
        if (++size == BATCH) {
            handOver();
        }
    }

    /** Waits until every entry handed over has been visited, and throws the visitor's failure if it had one. */
    void finish() throws IOException {
        handOver();
        end();
        join();
        rethrowFailure();
    }

    /** After a scan that threw: stops the worker without visiting what is left. A no-op after {@link #finish}. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        abandoned = true;
        ended = true;
        if (!queue.offer(Batch.END)) {
            worker.interrupt(); // the queue is full: the worker is between batches or about to take one
        }
        join();
    }

    private void work() {
        try {
            while (true) {
                Batch batch = queue.take();
                if (batch == Batch.END) {
                    return;
                }
                // After a failure the batches are still taken, unvisited, so the scanner never blocks on a full queue.
                for (int i = 0; i < batch.size() && failure == null && !abandoned; i++) {
                    try {
                        target.visit(batch.entries()[i], batch.offsets()[i]);
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
            }
        } catch (InterruptedException e) {
            // abandoned by a scan that gave up while the queue was full
        }
    }

    private void handOver() throws IOException {
        if (size == 0) {
            return;
        }
        put(new Batch(entries, offsets, size));
        entries = new LogEntry[BATCH];
        offsets = new long[BATCH];
        size = 0;
    }

    private void end() throws IOException {
        ended = true;
        put(Batch.END);
    }

    private void put(Batch batch) throws IOException {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            worker.interrupt();
            throw new InterruptedIOException("interrupted while replaying the log");
        }
    }

    private void join() throws IOException {
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            worker.interrupt();
            throw new InterruptedIOException("interrupted while replaying the log");
        }
    }

    private void rethrowFailure() throws IOException {
        Throwable failed = failure;
        if (failed == null) {
            return;
        }
        if (failed instanceof IOException e) {
            throw e;
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        throw new IOException(failed);
    }
}
