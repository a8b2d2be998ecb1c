package com.novotechno.collections.cli;

import java.io.PrintWriter;

/**
 * The progress line of a long import on standard error: done and total, messages per second. On a
 * terminal one line rewritten in place; otherwise (a log file, a pipe) a line every
 * {@value #PIPE_INTERVAL_NANOS} ns. Nothing for an import shorter than the first interval.
 */
final class ImportProgress {

    private static final long TERMINAL_INTERVAL_NANOS = 1_000_000_000L;
    private static final long PIPE_INTERVAL_NANOS = 10_000_000_000L;

    private final long total;
    private final PrintWriter err;
    private final boolean terminal;
    private final long intervalNanos;
    private final long started = System.nanoTime();
    private long lastShown = started;
    private long done;
    private boolean lineOpen;

    ImportProgress(long total, PrintWriter err, boolean terminal) {
        this(total, err, terminal, terminal ? TERMINAL_INTERVAL_NANOS : PIPE_INTERVAL_NANOS);
    }

    ImportProgress(long total, PrintWriter err, boolean terminal, long intervalNanos) {
        this.total = total;
        this.err = err;
        this.terminal = terminal;
        this.intervalNanos = intervalNanos;
    }

    void done(int messages) {
        done += messages;
        long now = System.nanoTime();
        if (now - lastShown >= intervalNanos) {
            lastShown = now;
            show(now);
        }
    }

    /** Ends the progress line before another line is printed. */
    void clearLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    /** The last figures, if any progress was shown at all. */
    void finish() {
        if (lastShown != started) {
            show(System.nanoTime());
        }
        clearLine();
    }

    private void show(long now) {
        double seconds = (now - started) / 1e9;
        String line = String.format("import: %,d of %,d messages, %,.0f messages/s", done, total, done / seconds);
        if (terminal) {
            err.print("\r" + line);
            lineOpen = true;
        } else {
            err.println(line);
        }
        err.flush();
    }
}
