package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.InvoiceMessage;
import com.novotechno.collections.domain.MessageParser;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.ledger.LedgerWriter;
import com.novotechno.collections.log.EventDraft;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.state.InvoiceFiles.Location;
import com.novotechno.collections.state.InvoiceFiles.Stored;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The durable core: owns a data folder and applies messages to it.
 *
 * <p>A message goes validate, deduplicate, append to the log (durable), then update its state
 * file. The log is the truth; the state files and the message index are derived from it and
 * record the seq they reflect, so a crash between any two steps is repaired on the next open by
 * replaying what they lack.
 *
 * <p>The ledger is derived too: an in-memory projection updated per message, written to
 * ledger.qmd in batches by a {@link LedgerWriter}, and brought up to date on open.
 *
 * <p>Concurrency: messages for one invoice are applied one at a time in call order (a lock
 * stripe per invoice); different invoices proceed in parallel and share log fsyncs.
 */
public final class CollectionsStore implements AutoCloseable {

    private static final int LOCK_STRIPES = 256;
    /** Entries between checkpoints: bounds the replay after a crash at little cost. */
    private static final long CHECKPOINT_INTERVAL = 1000;

    private final Storage storage;
    private final DataLayout layout;
    /** Null when the store was opened under a rebuilder's lock, which the rebuilder releases. */
    private final DataDirLock lock;
    private final EventLog log;
    private final InvoiceFiles invoices;
    private final MessageIndex index;
    private final MessageParser parser;
    private final ChangeDecider decider;
    private final StoreSettings settings;
    private final LedgerProjection ledgerProjection;
    private LedgerWriter ledger;

    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private final Object appendLock = new Object();
    // Guarded by appendLock: messages appended but not yet in the index, and seqs not yet fully applied.
    private final Map<String, MessageIndex.Entry> pending = new HashMap<>();
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private volatile long checkpointSeq;

    private volatile Throwable failure;

    private CollectionsStore(Storage storage, DataLayout layout, DataDirLock lock, EventLog log,
                             StoreSettings settings, long checkpointSeq, LedgerProjection ledgerProjection) {
        this.storage = storage;
        this.ledgerProjection = ledgerProjection;
        this.layout = layout;
        this.lock = lock;
        this.log = log;
        this.settings = settings;
        this.invoices = new InvoiceFiles(storage, layout);
        this.index = new MessageIndex(storage, layout);
        this.parser = new MessageParser(settings.defaultCurrency());
        this.decider = new ChangeDecider(settings.termsDays());
        this.checkpointSeq = checkpointSeq;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public static CollectionsStore open(Path dataDir, StoreSettings settings, Consumer<String> notices) throws IOException {
        return open(new FileSystemStorage(), dataDir, settings, notices);
    }

    /**
     * Locks the folder, repairs a torn log tail, replays into the state what a crash left out,
     * and finishes interrupted archive moves. Refuses to open a log damaged before its end.
     */
    public static CollectionsStore open(Storage storage, Path dataDir, StoreSettings settings,
                                        Consumer<String> notices) throws IOException {
        DataLayout layout = new DataLayout(dataDir);
        storage.createDirectories(layout.root());
        return openLocked(storage, layout, DataDirLock.acquire(layout.root()), settings, notices, null);
    }

    /**
     * How {@link StoreRebuilder} opens the folder: the lock stays the rebuilder's (it still has
     * work to do after the store closes), and state files, index and checkpoint go through its
     * {@code derived} view, which defers their fsyncs. The log itself is always repaired durably.
     */
    record RebuildAccess(Storage derived) {
    }

    /**
     * Opens with the folder's lock already held. A normal open ({@code rebuild} null) owns the
     * lock: the store releases it on close, or here on failure.
     */
    static CollectionsStore openLocked(Storage storage, DataLayout layout, DataDirLock lock, StoreSettings settings,
                                       Consumer<String> notices, RebuildAccess rebuild) throws IOException {
        boolean ownsLock = rebuild == null;
        Storage derived = rebuild == null ? storage : rebuild.derived();
        EventLog log = null;
        boolean opened = false;
        try {
            if (ownsLock && storage.exists(layout.rebuildMarker())) {
                throw new IOException("a rebuild of " + layout.root() + " was interrupted, so its state files may be"
                        + " incomplete: run 'rebuild' again (" + layout.rebuildMarker().getFileName() + ")");
            }
            derived.createDirectories(layout.openState());
            derived.createDirectories(layout.archiveState());
            derived.createDirectories(layout.messageIndex());
            Checkpoint checkpoint = Checkpoint.read(storage, layout.checkpoint());
            if (!checkpoint.cleanShutdown()) {
                sweepTemporaryFiles(derived, layout, notices);
            }
            Recovery recovery = new Recovery(new InvoiceFiles(derived, layout), new MessageIndex(derived, layout),
                    checkpoint.appliedSeq());
            TornTailGuard guard = new TornTailGuard(storage, layout, checkpoint.appliedSeq());
            LedgerProjection projection = new LedgerProjection();
            LedgerReplay ledgerReplay = new LedgerReplay(projection);
            log = EventLog.open(storage, layout.eventLog(), entry -> {
                recovery.replay(entry);
                ledgerReplay.accept(entry);
            }, guard::allowCut, report ->
                    report.repairedTail().ifPresent(tail -> notices.accept("repaired torn log tail: " + tail)));
            if (checkpoint.appliedSeq() > log.lastSeq()) {
                throw new LogCorruptionException(layout.eventLog() + " ends at seq " + log.lastSeq()
                        + " but the state reflects seq " + checkpoint.appliedSeq() + ": log entries were lost");
            }
            if (recovery.replayed() > 0) {
                notices.accept("recovered " + recovery.replayed() + " log entries the state files lacked");
            }
            // From here on a crash is an unclean shutdown: the next start sweeps and replays.
            new Checkpoint(log.lastSeq(), false).write(derived, layout.checkpoint());
            CollectionsStore store = new CollectionsStore(derived, layout, ownsLock ? lock : null, log, settings,
                    log.lastSeq(), projection);
            // A rebuild writes the ledger once, at its end; a running store renders it in batches.
            store.ledger = LedgerWriter.start(derived, layout.ledger(), projection, store::appliedSeq, notices,
                    ownsLock);
            opened = true;
            return store;
        } finally {
            // Whatever went wrong, even an Error, the folder must not stay locked by a store that never opened.
            if (!opened) {
                try {
                    if (log != null) {
                        log.close();
                    }
                } finally {
                    if (ownsLock) {
                        lock.close();
                    }
                }
            }
        }
    }

    /** Brings state and index up to the log, entry by entry, after the checkpoint. */
    private static final class Recovery {
        private final InvoiceFiles invoices;
        private final MessageIndex index;
        private final long afterSeq;
        private long replayed;

        Recovery(InvoiceFiles invoices, MessageIndex index, long afterSeq) {
            this.invoices = invoices;
            this.index = index;
            this.afterSeq = afterSeq;
        }

        void replay(LogEntry entry) throws IOException {
            if (entry.seq() <= afterSeq) {
                return;
            }
            index.ensure(entry);
            Optional<Stored> stored = invoices.read(entry.invoice());
            if (stored.isEmpty() || stored.get().state().lastSeq() < entry.seq()) {
                InvoiceState next = Transitions.apply(stored.map(Stored::state), entry);
                invoices.write(next, stored.map(Stored::location));
                replayed++;
            } else if (stored.get().location() == Location.OPEN && stored.get().state().status() == InvoiceStatus.PAID) {
                invoices.completeArchive(entry.invoice());
            }
        }

        long replayed() {
            return replayed;
        }
    }

    /** A kill mid-write leaves its tmp file behind; they are only ever in the folders the core writes. */
    private static void sweepTemporaryFiles(Storage storage, DataLayout layout, Consumer<String> notices) throws IOException {
        List<Path> candidates = new ArrayList<>(storage.list(layout.root()));
        candidates.addAll(storage.listFilesRecursively(layout.stateRoot()));
        candidates.addAll(storage.listFilesRecursively(layout.messageIndex()));
        for (Path file : candidates) {
            if (FileSystemStorage.isTemporaryFile(file)) {
                storage.deleteIfExists(file);
                notices.accept("removed temporary file left by a crash: " + layout.root().relativize(file));
            }
        }
    }

    /** Parses, validates and applies one message. */
    public ApplyResult apply(byte[] message) throws RejectedMessageException, IOException {
        return apply(parser.parse(message));
    }

    public ApplyResult apply(InvoiceMessage message) throws RejectedMessageException, IOException {
        requireHealthy();
        ReentrantLock stripe = stripes[Math.floorMod(message.invoice().hashCode(), LOCK_STRIPES)];
        stripe.lock();
        try {
            Optional<Stored> current = invoices.read(message.invoice());
            LogEntry entry;
            synchronized (appendLock) {
                requireHealthy();
                Optional<MessageIndex.Entry> seen = Optional.ofNullable(pending.get(message.messageId()));
                if (seen.isEmpty()) {
                    seen = index.find(message.messageId());
                }
                if (seen.isPresent()) {
                    return duplicate(message, seen.get());
                }
                Change change = decider.decide(message, current.map(Stored::state), today());
                try {
                    entry = log.write(new EventDraft(settings.clock().instant(), message.envelope(), change));
                } catch (IOException e) {
                    failure = e; // the log refuses all further work after a write error, so must the store
                    throw e;
                }
                pending.put(entry.messageId(), MessageIndex.Entry.of(entry));
                inFlight.add(entry.seq());
            }
            try {
                log.awaitDurable(entry.seq());
                // Accepted from here on: the rest is derived and recovery redoes it after a crash.
                index.record(entry);
                InvoiceState next = Transitions.apply(current.map(Stored::state), entry);
                invoices.write(next, current.map(Stored::location));
                ledgerProjection.update(LedgerRows.of(next), entry.time());
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
                throw e;
            }
            synchronized (appendLock) {
                pending.remove(entry.messageId());
                inFlight.remove(entry.seq());
            }
            maybeCheckpoint();
            return new ApplyResult(ApplyResult.Outcome.APPLIED, entry.messageId(), entry.seq());
        } finally {
            stripe.unlock();
        }
    }

    private static ApplyResult duplicate(InvoiceMessage message, MessageIndex.Entry seen) throws RejectedMessageException {
        if (!seen.contentSha256().equals(message.envelope().contentSha256())) {
            throw new RejectedMessageException(message.messageId(), "message_id was used before (log seq " + seen.seq()
                    + ", invoice " + seen.invoice() + ") for different content");
        }
        return new ApplyResult(ApplyResult.Outcome.DUPLICATE, message.messageId(), seen.seq());
    }

    private LocalDate today() {
        return LocalDate.now(settings.clock());
    }

    public Optional<InvoiceState> find(InvoiceKey key) throws IOException {
        return invoices.read(key).map(Stored::state);
    }

    public long lastSeq() {
        return log.lastSeq();
    }

    /** Every log entry up to this seq is fully applied: state file, index and ledger projection. */
    private long appliedSeq() {
        synchronized (appendLock) {
            return inFlight.isEmpty() ? log.lastSeq() : inFlight.first() - 1;
        }
    }

    /** Writes ledger.qmd now with everything applied so far, instead of at the next batch. */
    public void flushLedger() throws IOException {
        ledger.flush();
    }

    /**
     * True once a write to the log or after it failed: the store then refuses every message until it is
     * reopened, and the reopening's recovery finishes what was left undone.
     */
    public boolean failed() {
        return failure != null;
    }

    /** The write failure that made the store refuse every message, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** True while ledger.qmd is not updated because it was edited by hand (see {@link LedgerWriter}). */
    public boolean ledgerHeld() {
        return ledger.held();
    }

    private void maybeCheckpoint() throws IOException {
        long applied = appliedSeq();
        if (applied - checkpointSeq < CHECKPOINT_INTERVAL || !checkpointLock.tryLock()) {
            return;
        }
        try {
            if (applied > checkpointSeq) {
                new Checkpoint(applied, false).write(storage, layout.checkpoint());
                checkpointSeq = applied;
            }
        } finally {
            checkpointLock.unlock();
        }
    }

    private void requireHealthy() throws IOException {
        Throwable failed = failure;
        if (failed != null) {
            throw new IOException("the store failed earlier and must be restarted; recovery will finish its work", failed);
        }
    }

    /**
     * Closes the store. Callers stop applying first. After a failure the checkpoint is left as it
     * was, so the next open replays and repairs.
     */
    @Override
    public void close() throws IOException {
        try {
            if (failure == null) {
                synchronized (appendLock) {
                    if (!inFlight.isEmpty()) {
                        throw new IllegalStateException("close() while messages are being applied: " + inFlight);
                    }
                }
            }
            ledger.close(failure == null);
            if (failure == null) {
                new Checkpoint(log.lastSeq(), true).write(storage, layout.checkpoint());
            }
        } finally {
            try {
                ledger.close(false); // stops its thread whatever happened above; a no-op after a clean close
                log.close();
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }

}
