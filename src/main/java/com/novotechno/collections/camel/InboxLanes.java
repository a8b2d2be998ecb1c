package com.novotechno.collections.camel;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.MessageParser;
import com.novotechno.collections.domain.RejectedMessageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file route's lanes: inbox files of different invoices are applied at once, so that their
 * events share the log's fsyncs, and one invoice's files one at a time, in the order the file
 * consumer took them. Each invoice ({@code client/invoice_number} in the file) always goes to the
 * same lane, a single thread; the route's later steps (apply or reject) and the file's move run
 * there, and the consumer goes on to the next file meanwhile. This is the inbox's counterpart of
 * the queue's message groups ({@code InvoiceGroup}).
 *
 * <p>A message for a whole client (an erasure, a client's pause) waits until every file taken
 * before it is done, and the files after it wait for it, as when files were applied one by one. A
 * file whose invoice cannot be read is refused whatever its order, so any lane takes it.
 *
 * <p>At most {@link #FILES_PER_LANE} files per lane are taken and not yet done, so that a stop,
 * which waits for every file taken, waits for a few files rather than a whole poll of them; the
 * consumer waits for room before it takes more. A file taken leaves the inbox only when its
 * exchange completes: one a stop gave up on stays there, and is read again at the next start.
 */
public final class InboxLanes extends AsyncProcessorSupport {

    static final int FILES_PER_LANE = 4;
    private static final Logger LOG = LoggerFactory.getLogger(InboxLanes.class);

    private final int lanes;
    private final MessageParser parser;
    private final Semaphore room;
    private final int capacity;
    /** Bounds how long a stop that gave up on the files in flight waits for the ones being applied. */
    private static final long STOP_WAIT_SECONDS = 5;
    private volatile ThreadPoolExecutor[] executors;

    /** The parser reads a message's invoice as the store will: with the same default currency. */
    public InboxLanes(int lanes, Currency defaultCurrency) {
        if (lanes < 1) {
            throw new IllegalArgumentException("at least one lane, not " + lanes);
        }
        this.lanes = lanes;
        this.parser = new MessageParser(defaultCurrency);
        this.capacity = lanes * FILES_PER_LANE;
        this.room = new Semaphore(capacity);
    }

    public int lanes() {
        return lanes;
    }

    @Override
    protected void doStart() {
        ThreadPoolExecutor[] started = new ThreadPoolExecutor[lanes];
        for (int i = 0; i < lanes; i++) {
            String name = "inbox-lane-" + (i + 1);
            // One thread and an unbounded queue: FIFO, and the semaphore bounds what waits in it.
            started[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true); // never keeps a JVM alive whose service did not stop its routes
                return thread;
            });
        }
        executors = started;
    }

    /**
     * Runs after the route's graceful stop, which waited for every file taken, so the lanes are
     * idle; after a stop that timed out, a file still queued is dropped (it stays in the inbox) and
     * one being applied finishes, never interrupted in the middle of a write.
     */
    @Override
    protected void doStop() throws InterruptedException {
        ThreadPoolExecutor[] stopping = executors;
        if (stopping == null) {
            return;
        }
        executors = null;
        for (ThreadPoolExecutor executor : stopping) {
            executor.getQueue().clear();
            executor.shutdown();
        }
        for (ThreadPoolExecutor executor : stopping) {
            if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("an inbox lane is still applying a file after its route stopped");
            }
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Optional<InvoiceKey> invoice = invoiceOf(Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class)));
        boolean wholeClient = invoice.isPresent() && invoice.get().isWholeClient();
        int permits = wholeClient ? capacity : 1;
        int lane = Math.floorMod(invoice.map(Object::hashCode)
                .orElseGet(() -> exchange.getIn().getHeader(Exchange.FILE_NAME, "", String.class).hashCode()), lanes);
        try {
            room.acquire(permits);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            exchange.setException(stopping); // the file stays in the inbox
            callback.done(true);
            return true;
        }
        ThreadPoolExecutor[] running = executors;
        try {
            if (running == null) {
                throw new RejectedExecutionException("not started");
            }
            running[lane].execute(() -> {
                try {
                    callback.done(false); // the route's next steps and the file's move, on this lane
                } finally {
                    room.release(permits);
                }
            });
        } catch (RejectedExecutionException stopped) {
            room.release(permits);
            exchange.setException(new IllegalStateException("the inbox lanes are stopped; the file stays in the inbox"));
            callback.done(true);
            return true;
        }
        return false;
    }

    /** The invoice a file's message is for; empty when it cannot be read or parsed, and so will be refused anyway. */
    private Optional<InvoiceKey> invoiceOf(Path file) {
        try {
            return Optional.of(parser.parse(FileIntake.readBounded(file)).invoice());
        } catch (IOException | RejectedMessageException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
