package com.novotechno.collections.ledger;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps ledger.qmd in step with a {@link LedgerProjection}: renders it in batches on a background
 * thread, never per message, so a message costs the same at 100k invoices as at 1k; writes it
 * with the atomic writer.
 *
 * <p>It only ever replaces a ledger it wrote itself. If the file on disk is not the one it last
 * wrote (a hand edit), the ledger is <em>held</em>: left exactly as it is, so verification and
 * reconciliation keep reporting the edit, and updated again only once an operator has moved the
 * edited file aside or run {@code rebuild}. The ledger is derived, so holding it loses nothing.
 */
public final class LedgerWriter implements AutoCloseable {

    /** Batches renders: at most one per interval, and never more than a fifth of one core. */
    private static final long INTERVAL_MILLIS = 500;
    private static final long DUTY_FACTOR = 5;

    private final Storage storage;
    private final Path file;
    private final LedgerProjection projection;
    private final LongSupplier appliedSeq;
    private final Consumer<String> notices;
    /** The service's clock: a period ends when it passes into the next (in the projection's zone). */
    private final Clock clock;
    /** The MAC key the closed periods' files are sealed with. */
    private final Keying keying;
    /** ledger/, beside ledger.qmd: the closed periods' files. */
    private final Path periods;
    private final ReentrantLock renderLock = new ReentrantLock();
    private final ScheduledExecutorService scheduler;

    // Guarded by renderLock.
    private String writtenSha256;
    /** A write that failed midway may or may not have replaced the file: either content is ours. */
    private String attemptedSha256;
    private long renderedUpdates = -1;
    private long renderedSeq = -1;
    private boolean closed;
    private long nextRenderNanos;
    /** Written under renderLock; read without it, so asking never waits for a render. */
    private volatile boolean held;

    private LedgerWriter(Storage storage, Path file, LedgerProjection projection, LongSupplier appliedSeq,
                         Consumer<String> notices, boolean background, Clock clock, Keying keying) {
        this.storage = storage;
        this.keying = keying;
        this.file = file;
        this.clock = clock;
        this.periods = file.resolveSibling("ledger");
        this.projection = projection;
        this.appliedSeq = appliedSeq;
        this.notices = notices;
        this.scheduler = background ? Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ledger-writer");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /**
     * Brings the ledger on disk up to the projection, which reflects the whole log: writes it when
     * missing, behind (a crash came between a state write and the next render) or ahead (the log
     * lost its tail), holds it when
     * it was edited. Then, if {@code background}, keeps it up to date until {@link #close}.
     */
    public static LedgerWriter start(Storage storage, Path file, LedgerProjection projection, LongSupplier appliedSeq,
                                     Consumer<String> notices, boolean background, Clock clock) throws IOException {
        return start(storage, file, projection, appliedSeq, notices, background, clock, Keying.NONE);
    }

    /** As the overload before, the closed periods' files sealed under {@code keying}. */
    public static LedgerWriter start(Storage storage, Path file, LedgerProjection projection, LongSupplier appliedSeq,
                                     Consumer<String> notices, boolean background, Clock clock, Keying keying)
            throws IOException {
        LedgerWriter writer = new LedgerWriter(storage, file, projection, appliedSeq, notices, background, clock, keying);
        writer.catchUp();
        if (background) {
            writer.scheduler.scheduleWithFixedDelay(writer::renderInBackground, INTERVAL_MILLIS, INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        return writer;
    }

    /** On the system clock. */
    public static LedgerWriter start(Storage storage, Path file, LedgerProjection projection, LongSupplier appliedSeq,
                                     Consumer<String> notices, boolean background) throws IOException {
        return start(storage, file, projection, appliedSeq, notices, background, Clock.systemUTC());
    }

    /**
     * Closes the periods the clock has left (by {@link LedgerProjection#CLOSE_GRACE}) and writes each one's
     * file, once: a file already there is never rewritten (it is its period's record), but for a client's
     * erasure; one that differs from what the log gives is left as it is and said so (verify reports it,
     * rebuild writes it anew). The rows leave memory here.
     */
    private void closePeriods() throws IOException {
        projection.advanceTo(clock.instant());
        for (PeriodLedger period : projection.takeClosedPeriods()) {
            Path target = periods.resolve(period.fileName());
            byte[] rendered = renderWithinLimit(period, target);
            if (!storage.exists(target)) {
                storage.createDirectories(periods);
                storage.writeAtomically(target, rendered);
            } else if (!Arrays.equals(storage.read(target, Limits.MAX_LEDGER_BYTES), rendered)) {
                notices.accept("ledger/" + period.fileName() + " is left as it is, since a closed period's file is"
                        + " never rewritten, but it differs from what the log gives: run verify, and rebuild to write it anew");
            }
        }
        for (Map.Entry<YearMonth, Map<InvoiceKey, LedgerRow>> erased : projection.takeErasures().entrySet()) {
            eraseInPeriodFile(erased.getKey(), erased.getValue().values());
        }
    }

    /**
     * The one rewrite of a closed period's file (CONTRACT section 2): a client's erasure replaced the reasons
     * of its invoices closed then, and no file may keep a client's texts. The file is read back, the rows
     * put in place and rendered again, which gives the bytes a rebuild writes (it erases the rows before
     * it writes the file). A missing file is left to rebuild. One that is not intact is removed instead:
     * rendered again, an edit would pass for the service's own; verify then reports it missing, and
     * rebuild writes it anew from the log.
     */
    private void eraseInPeriodFile(YearMonth period, Collection<LedgerRow> rows) throws IOException {
        Path target = periods.resolve(PeriodLedger.fileName(period));
        if (!storage.exists(target)) {
            return;
        }
        byte[] current = storage.read(target, Limits.MAX_LEDGER_BYTES);
        String name = "ledger/" + target.getFileName();
        ParsedPeriodLedger parsed = LedgerParser.parsePeriod(name, current);
        PeriodLedger erased = parsed.content().orElse(null);
        for (LedgerRow row : rows) {
            try {
                erased = erased == null ? null : erased.withRow(row);
            } catch (IllegalArgumentException e) {
                erased = null; // the file does not list the row as the log does: not the service's own
            }
        }
        if (!parsed.intact() || erased == null) {
            storage.deleteIfExists(target);
            notices.accept(name + " was removed, not rewritten, to erase a client's texts: it was not as the service"
                    + " wrote it (" + String.join("; ", parsed.faults()) + "). Run rebuild to write it anew from the log");
            return;
        }
        byte[] rendered = renderWithinLimit(erased, target);
        if (!Arrays.equals(current, rendered)) {
            storage.writeAtomically(target, rendered);
        }
    }

    private byte[] renderWithinLimit(PeriodLedger period, Path target) {
        byte[] rendered = PeriodFileMac.seal(LedgerRenderer.render(period), keying);
        if (rendered.length > Limits.MAX_LEDGER_BYTES) {
            throw new IllegalStateException(target + " would be " + rendered.length + " bytes, beyond the limit of "
                    + Limits.MAX_LEDGER_BYTES);
        }
        return rendered;
    }

    private void catchUp() throws IOException {
        renderLock.lock();
        try {
            closePeriods();
            long updates = projection.updates();
            LedgerSnapshot snapshot = projection.snapshot(appliedSeq.getAsLong());
            byte[] rendered = LedgerRenderer.render(snapshot);
            if (!storage.exists(file)) {
                write(rendered, updates, snapshot.lastSeq());
                return;
            }
            byte[] current = readCurrent();
            if (current == null) {
                return;
            }
            if (Arrays.equals(current, rendered)) {
                writtenSha256 = Sha256.hex(current);
                renderedUpdates = updates;
                renderedSeq = snapshot.lastSeq();
                return;
            }
            ParsedLedger parsed = LedgerParser.parse(file.getFileName().toString(), current);
            if (!parsed.intact() && !parsed.ourOlderFormat()) {
                hold("it was edited or damaged (" + String.join("; ", parsed.faults()) + ")");
            } else {
                // Ours, behind the log (a crash before the next render), ahead of it (the log lost its
                // tail since) or of an older format (a new version's first start): derived from the log either way, so replaced by what the log says, unless it changes now.
                writtenSha256 = Sha256.hex(current);
                if (!onDiskIsOurs()) {
                    hold("it was changed while this service started");
                    return;
                }
                write(rendered, updates, snapshot.lastSeq());
                notices.accept(file.getFileName() + " brought up to date: it reflected log seq "
                        + parsed.content().lastSeq() + ", the log ends at " + snapshot.lastSeq());
            }
        } finally {
            renderLock.unlock();
        }
    }

    /** The file's bytes, or null (and held) when it is too large to be a ledger this service wrote. */
    private byte[] readCurrent() throws IOException {
        try {
            return storage.read(file, Limits.MAX_LEDGER_BYTES);
        } catch (IOException e) {
            if (!storage.exists(file)) {
                throw e;
            }
            hold("it cannot be read: " + e.getMessage());
            return null;
        }
    }

    /**
     * Renders now if anything changed since the last render (for close, rebuild, reconciliation
     * and tests), and checks the file is still the one written last even when nothing changed,
     * so that an edit made while no message came is held from here on.
     */
    public void flush() throws IOException {
        renderLock.lock();
        try {
            if (!renderIfChanged() && !held && !closed && !onDiskIsOurs()) {
                hold("it was changed since this service wrote it");
            }
        } finally {
            renderLock.unlock();
        }
    }

    /**
     * Writes the ledger now even over an edit (held or not): a client's erasure must not leave its
     * texts in a ledger kept for an operator's edit. The edit is lost, and said so.
     */
    public void overwriteEdits(String why) throws IOException {
        renderLock.lock();
        try {
            if (closed) {
                return;
            }
            if (held || !onDiskIsOurs()) {
                notices.accept(file.getFileName() + " was edited by hand and is written anew over the edit: " + why);
            }
            held = false;
            closePeriods();
            long updates = projection.updates();
            long seq = appliedSeq.getAsLong();
            write(LedgerRenderer.render(projection.snapshot(seq)), updates, seq);
        } finally {
            renderLock.unlock();
        }
    }

    /** True while an edited ledger is left as it is (see the class comment). */
    public boolean held() {
        return held;
    }

    private void renderInBackground() {
        if (!renderLock.tryLock()) {
            return;
        }
        try {
            if (System.nanoTime() - nextRenderNanos < 0) {
                return;
            }
            long started = System.nanoTime();
            renderIfChanged();
            nextRenderNanos = started + DUTY_FACTOR * (System.nanoTime() - started);
        } catch (Throwable e) {
            // The ledger is derived and the next batch retries; the message that changed it is safe in
            // the log. Caught whole, Errors too: an escaping throwable would cancel every later batch.
            notices.accept(file.getFileName() + " could not be written, retrying: " + e);
        } finally {
            renderLock.unlock();
        }
    }

    /** Renders and writes if anything changed; true if it looked at the file on disk (and wrote it, or held it). */
    private boolean renderIfChanged() throws IOException {
        if (closed) {
            return false;
        }
        closePeriods();
        long updates = projection.updates();
        long seq = appliedSeq.getAsLong();
        if (held) {
            if (storage.exists(file)) {
                return false;
            }
            held = false;
            notices.accept(file.getFileName() + " was moved away: writing it anew");
        } else if (updates == renderedUpdates && seq == renderedSeq) {
            return false;
        }
        // The watermark (read above) before the rows: every entry up to it is in the snapshot.
        byte[] rendered = LedgerRenderer.render(projection.snapshot(seq));
        // Checked after the render, which takes a while at scale, so an edit's window is only the write itself.
        if (!onDiskIsOurs()) {
            hold("it was changed since this service wrote it");
            return true;
        }
        write(rendered, updates, seq);
        return true;
    }

    private boolean onDiskIsOurs() throws IOException {
        if (!storage.exists(file)) {
            return true; // moved away by an operator, or never written: nothing to keep
        }
        String onDisk = Sha256.hex(storage.read(file, Limits.MAX_LEDGER_BYTES));
        return onDisk.equals(writtenSha256) || onDisk.equals(attemptedSha256);
    }

    private void write(byte[] rendered, long updates, long seq) throws IOException {
        if (rendered.length > Limits.MAX_LEDGER_BYTES) {
            throw new IllegalStateException("the ledger would be " + rendered.length + " bytes, beyond the limit of "
                    + Limits.MAX_LEDGER_BYTES);
        }
        attemptedSha256 = Sha256.hex(rendered);
        storage.writeAtomically(file, rendered);
        writtenSha256 = attemptedSha256;
        attemptedSha256 = null;
        renderedUpdates = updates;
        renderedSeq = seq;
    }

    private void hold(String why) {
        held = true;
        notices.accept(file.getFileName() + " is left as it is and no longer updated: " + why
                + ". Move it aside to have it written anew, or run rebuild.");
    }

    /**
     * Stops the background renders and, if {@code flush}, writes the last changes; idempotent. A
     * store that failed closes without flushing: the next start brings the ledger up to date.
     */
    public void close(boolean flush) throws IOException {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(1, TimeUnit.MINUTES)) {
                    scheduler.shutdownNow();
                    flush = false;
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
                flush = false;
            }
        }
        renderLock.lock();
        try {
            if (flush && !closed) {
                renderIfChanged();
            }
            // A writer left running after its store closed could write into a folder it no longer owns.
            closed = true;
        } finally {
            renderLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        close(true);
    }
}
