package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningCandidate;
import com.novotechno.collections.dunning.DunningClock;
import com.novotechno.collections.dunning.DunningDecision;
import com.novotechno.collections.domain.InvoiceMessage;
import com.novotechno.collections.domain.MessageEnvelope;
import com.novotechno.collections.domain.MessageParser;
import com.novotechno.collections.domain.MessageType;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.ledger.LedgerProjection;
import com.novotechno.collections.ledger.LedgerWriter;
import com.novotechno.collections.privacy.ClientKeys;
import com.novotechno.collections.log.EventDraft;
import com.novotechno.collections.integrity.FolderKeying;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogSyncs;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.log.LogEntryVisitor;
import com.novotechno.collections.log.LogPosition;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataFormat;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.MacKey;
import com.novotechno.collections.storage.DeferredSyncs;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The durable core: owns a data folder and applies messages to it.
 *
 * <p>A message goes validate, deduplicate, append to the log, then update its state file. Only the
 * log's fsync stands between a message and its acknowledgement (shared by every writer waiting at
 * that moment): the log is the truth, and everything else is derived from it. State files are
 * written atomically before the acknowledgement but made durable in batches, at checkpoints at
 * most {@link StoreSettings#checkpointPeriod} apart; the checkpoint then records the seq up to
 * which they are durable, and after a crash or power cut recovery rewrites from the log whatever
 * the entries after it touched. Deduplication needs no file at all: {@link MessageLocations}
 * is built from the log.
 *
 * <p>The ledger is derived too: an in-memory projection updated per message, written to
 * ledger.qmd in batches by a {@link LedgerWriter}, and brought up to date on open.
 *
 * <p>Concurrency: messages for one invoice are applied one at a time in call order (a lock
 * stripe per invoice); different invoices proceed in parallel and share log fsyncs.
 */
public final class CollectionsStore implements AutoCloseable {

    private static final int LOCK_STRIPES = 256;
    /** Derived paths written but not yet durable: past this a writer checkpoints itself, bounding memory and replay. */
    private static final int MAX_UNSYNCED_PATHS = 100_000;
    /** Invoices changed but not yet written: past this a writer checkpoints itself. */
    private static final int MAX_WAITING_CHANGES = 100_000;

    /** Every change is durable when its call returns: the log's repairs, the checkpoint, keys, erasure sweeps. */
    private final Storage synced;
    /** State files and held-payment files: durable at the next checkpoint. */
    private final DeferredSyncs derived;
    private final DataLayout layout;
    /** Null when the store was opened under a rebuilder's lock, which the rebuilder releases. */
    private final DataDirLock lock;
    private final EventLog log;
    private final InvoiceFiles invoices;
    private final MessageParser parser;
    private final ChangeDecider decider;
    private final StoreSettings settings;
    private final InvoiceBook book;
    private final MessageLocations locations;
    private final StateAudit audit;
    private final LedgerProjection ledgerProjection;
    private final SealedChanges sealed;
    private final Consumer<String> notices;
    private LedgerWriter ledger;

    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private final Object appendLock = new Object();
    // Guarded by appendLock: seqs appended but not yet fully applied.
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private volatile long checkpointSeq;
    /** Null for a rebuild, which makes everything durable at its end. */
    private ScheduledExecutorService checkpointer;
    /**
     * Invoices whose state files and ledger rows lag the book, each with the time of the latest log entry
     * that changed it: written at the next checkpoint, at most {@link StoreSettings#checkpointPeriod} later.
     */
    private final ConcurrentHashMap<InvoiceKey, Pending> changed = new ConcurrentHashMap<>();

    /** An invoice's latest log entry not yet in its files and ledger rows. */
    private record Pending(long seq, Instant time) {
        Pending later(Pending other) {
            return other.seq > seq ? other : this;
        }
    }
    /** Every entry up to this seq is in the state files (written, durable only at the checkpoint) and the ledger projection. */
    private volatile long writtenSeq;
    private volatile long lastCheckpointNanos = System.nanoTime();

    private volatile Throwable failure;
    private volatile Runnable backgroundFailureListener;
    /** Told each invoice whose files and ledger rows were just written: the reconcile route compares them next. */
    private volatile Consumer<InvoiceKey> writtenListener = key -> { };

    /** The fewest entries between two snapshots; more as the book grows, so writing them stays a small share. */
    static final long SNAPSHOT_MIN_ENTRIES = 100_000;
    /** A snapshot after this long with any entry since, however few: bounds a quiet service's replay. */
    static final Duration SNAPSHOT_MAX_AGE = Duration.ofMinutes(10);
    /** One snapshot written at a time; held across the write, never while an apply waits for it. */
    private final ReentrantLock snapshotWrite = new ReentrantLock();
    /** Orders an erasure's deletion of the snapshot against a snapshot's rename into place. */
    private final Object snapshotLock = new Object();
    /** Erasures applied so far (guarded by snapshotLock): a snapshot captured before one must not be published. */
    private long erasures;
    private volatile long snapshotSeq;
    /** Set by close: the walk of the log, cut short by it, has nothing to say. */
    private volatile boolean closing;
    /** The background sweep of tmp files a crash left in the state tree, if one was started; and whether it ended. */
    private volatile Thread tmpSweep;
    private volatile boolean tmpSweepDone;
    private volatile long lastSnapshotNanos = System.nanoTime();
    /** Null for a rebuild, which writes its one snapshot at close. */
    private ExecutorService snapshotter;
    private final java.util.concurrent.atomic.AtomicBoolean snapshotQueued = new java.util.concurrent.atomic.AtomicBoolean();

    private CollectionsStore(Storage synced, DeferredSyncs derived, DataLayout layout, DataDirLock lock, EventLog log,
                             StoreSettings settings, long checkpointSeq, InvoiceBook book,
                             MessageLocations locations, LedgerProjection ledgerProjection, SealedChanges sealed,
                             Consumer<String> notices) {
        this.synced = synced;
        this.derived = derived;
        this.sealed = sealed;
        this.notices = notices;
        this.book = book;
        this.locations = locations;
        this.audit = new StateAudit(derived, layout);
        this.ledgerProjection = ledgerProjection;
        this.layout = layout;
        this.lock = lock;
        this.log = log;
        this.settings = settings;
        this.invoices = new InvoiceFiles(derived, layout);
        this.parser = new MessageParser(settings.defaultCurrency());
        this.decider = new ChangeDecider(settings.termsDays());
        this.checkpointSeq = checkpointSeq;
        this.writtenSeq = checkpointSeq;
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
     * work to do after the store closes), and state files go through its {@code derived} view, which
     * defers their fsyncs. The log itself is always repaired durably.
     */
    record RebuildAccess(Storage derived) {
    }

    /**
     * Opens with the folder's lock already held. A normal open ({@code rebuild} null) owns the
     * lock: the store releases it on close, or here on failure.
     */
    static CollectionsStore openLocked(Storage storage, DataLayout folder, DataDirLock lock, StoreSettings settings,
                                       Consumer<String> notices, RebuildAccess rebuild) throws IOException {
        boolean ownsLock = rebuild == null;
        DeferredSyncs derived = new DeferredSyncs(rebuild == null ? storage : rebuild.derived());
        EventLog log = null;
        boolean opened = false;
        try {
            if (ownsLock && storage.exists(folder.rebuildMarker())) {
                throw new IOException("a rebuild of " + folder.root() + " was interrupted, so its state files may be"
                        + " incomplete: run 'rebuild' again (" + folder.rebuildMarker().getFileName() + ")");
            }
            DataFormat.requireCurrent(storage, folder, notices);
            // Everything read or written from here on is sealed and checked under the folder's key.
            DataLayout layout = folder.withKeying(FolderKeying.forWriter(storage, folder, settings.macKeyFile(), settings.clock(),
                    notices));
            derived.createDirectories(layout.openState());
            derived.createDirectories(layout.archiveState());
            Checkpoint checkpoint = readCheckpoint(storage, layout, notices);
            // The folder itself always: a power cut while a clean stop's checkpoint was being replaced leaves a
            // clean checkpoint beside the new one's tmp file. The state tree only after an unclean stop, and in
            // the background once open: it is large (a million files take the start 20 s), and its tmp files
            // are garbage nothing reads.
            sweepTemporaryFiles(derived, layout, notices);
            // Keys are never deferred like a rebuild's derived files: a key lost to a crash erases what it sealed.
            SealedChanges sealed = new SealedChanges(ClientKeys.open(storage, layout.keys()));
            if (rebuild != null) {
                storage.deleteIfExists(layout.snapshot()); // a rebuild derives everything anew from the whole log
            }
            Optional<SnapshotStart.Loaded> snapshot = rebuild == null
                    ? SnapshotStart.load(storage, layout, checkpoint, sealed, settings.zone(), notices) : Optional.empty();
            InvoiceBook book = snapshot.map(SnapshotStart.Loaded::book).orElseGet(InvoiceBook::new);
            LedgerProjection projection = new LedgerProjection(settings.zone());
            snapshot.ifPresent(loaded -> SnapshotStart.fill(projection, book, loaded));
            LogPosition start = snapshot.map(SnapshotStart.Loaded::position).orElse(LogPosition.START);
            OpenReplay replay = new OpenReplay(book, projection, checkpoint.appliedSeq(), sealed,
                    snapshot.map(SnapshotStart.Loaded::locations).orElseGet(MessageLocations::new));
            TornTailGuard guard = new TornTailGuard(storage, layout, checkpoint.appliedSeq());
            log = EventLog.open(storage, layout.eventLog(), replay, guard::allowCut, report ->
                    report.repairedTail().ifPresent(tail -> notices.accept("repaired torn log tail: " + tail)),
                    lock::requireHeld, start, layout.keying());
            if (replay.sawErasure()) {
                // The snapshot was taken before an erasure a crash kept from deleting it: it holds the client's texts.
                storage.deleteIfExists(layout.snapshot());
            }
            // Opening read and repaired the log through other descriptors, whose closing dropped the lock on it.
            lock.relockLog();
            Optional<String> lostKey = sealed.unexplainedMissingKey();
            if (lostKey.isPresent()) {
                throw new LogCorruptionException(lostKey.get());
            }
            StateAudit audit = new StateAudit(derived, layout);
            List<String> repairs = new ArrayList<>();
            refuseWithoutTheLog(derived, layout, checkpoint, log.lastSeq());
            // Only the invoices a crash may have touched: the cost follows the checkpoint interval, not the book.
            for (InvoiceKey key : replay.touched()) {
                if (key.isWholeClient()) {
                    continue; // a whole client's pause: no file derives from it
                }
                repairs.addAll(audit.check(book.record(key), true));
                // A touched key whose held payments were all applied leaves no file behind.
                Path held = UnappliedFiles.path(layout, key);
                if (book.record(key).unapplied().isEmpty() && derived.exists(held)) {
                    derived.deleteIfExists(held);
                }
            }
            repairs.forEach(repair -> notices.accept("repaired from the log: " + repair));
            // Erasures a crash left unfinished: their sweeps and keys now (the book forgot the client already).
            for (ClientErasure pending : replay.pendingErasures()) {
                pending.finish(storage, layout, sealed, notices);
            }
            // The repairs are durable before the checkpoint says so. From here on a crash is an unclean
            // shutdown: the next start sweeps and replays.
            derived.syncChanged();
            new Checkpoint(log.lastSeq(), false).write(storage, layout.checkpoint());
            CollectionsStore store = new CollectionsStore(storage, derived, layout, ownsLock ? lock : null, log, settings,
                    log.lastSeq(), book, replay.locations(), projection, sealed, notices);
            store.snapshotSeq = start.seq();
            // A rebuild writes the ledger once, at its end; a running store renders it in batches.
            store.ledger = LedgerWriter.start(rebuild == null ? storage : rebuild.derived(), layout.ledger(), projection,
                    () -> store.writtenSeq, notices, ownsLock, settings.clock(), layout.keying());
            if (!checkpoint.cleanShutdown()) {
                store.sweepStateTree(ownsLock);
            }
            if (ownsLock) {
                store.startCheckpoints();
                if (start.seq() > 0) {
                    store.walkSkippedLog(start);
                }
            }
            if (!replay.pendingErasures().isEmpty() && ownsLock) {
                store.ledger.overwriteEdits("an erasure must not leave a client's texts in it");
            }
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

    /**
     * Reads the log at open: every entry into the book, the ledger projection and the message
     * locations; for entries after the checkpoint, which a crash may have left underived or not yet
     * durable, which invoices they touched, whose state files are then checked against the book.
     */
    private static final class OpenReplay implements LogEntryVisitor {
        private final InvoiceBook book;
        private final LedgerProjection projection;
        private final long afterSeq;
        private final SealedChanges sealed;
        private final Set<InvoiceKey> touched = new LinkedHashSet<>();
        private final List<ClientErasure> pendingErasures = new ArrayList<>();
        private final MessageLocations locations;
        private boolean sawErasure;

        OpenReplay(InvoiceBook book, LedgerProjection projection, long afterSeq, SealedChanges sealed,
                   MessageLocations locations) {
            this.locations = locations;
            this.sealed = sealed;
            this.book = book;
            this.projection = projection;
            this.afterSeq = afterSeq;
        }

        @Override
        public void visit(LogEntry entry) {
            throw new AssertionError("the log passes offsets");
        }

        @Override
        public void visit(LogEntry line, long offset) throws IOException {
            LogEntry entry = sealed.open(line);
            if (entry.change() instanceof Change.ClientErased erasure) {
                sawErasure = true;
                String client = entry.invoice().client();
                sealed.explain(erasure, client);
                if (!sealed.finished(erasure, client)) {
                    // A crash came before its key was destroyed: the key still opens the client's addresses.
                    pendingErasures.add(ClientErasure.of(book, client, erasure));
                }
            }
            List<HeldPayment> before = book.record(entry.invoice()).unapplied();
            InvoiceRecord next = book.apply(entry);
            locations.add(entry.messageId(), offset);
            // An erasure rewrote every record of its client, as the live path does (writeDerived).
            boolean erasure = entry.change() instanceof Change.ClientErased;
            List<InvoiceRecord> changed = book.changedBy(entry, next);
            for (InvoiceRecord record : changed) {
                record.invoice().ifPresent(invoice -> projection.update(LedgerRows.of(invoice, projection.zone()), entry.time()));
                if (erasure ? !record.unapplied().isEmpty() : !record.unapplied().equals(before)) {
                    projection.updateUnapplied(record.key(), UnappliedRows.of(record), entry.time());
                }
            }
            if (entry.seq() > afterSeq) {
                changed.forEach(record -> touched.add(record.key()));
                touched.add(entry.invoice());
            }
        }

        Set<InvoiceKey> touched() {
            return touched;
        }

        /** Erasures in the log that a crash left unfinished (their keys not yet destroyed). */
        List<ClientErasure> pendingErasures() {
            return pendingErasures;
        }

        MessageLocations locations() {
            return locations;
        }

        /** Whether any entry read was an erasure. */
        boolean sawErasure() {
            return sawErasure;
        }
    }

    /**
     * A checkpoint is derived and only bounds the replay at start: a damaged one is set aside and
     * the whole log replayed, every invoice's files checked against it, instead of refusing the start.
     */
    private static Checkpoint readCheckpoint(Storage storage, DataLayout layout, Consumer<String> notices)
            throws IOException {
        try {
            return Checkpoint.read(storage, layout.checkpoint());
        } catch (CorruptFileException e) {
            notices.accept(e.getMessage() + ": set aside; the whole log is replayed and every state file checked");
            return Checkpoint.EMPTY;
        }
    }

    /**
     * Derived files are never a reason to give up the log's entries: a log that ends before what the
     * checkpoint says was applied lost acknowledged entries, and one that is empty while state files
     * exist was deleted or replaced. Either way the start is refused, so nothing is rewritten from
     * what is left; the operator restores the log, or chooses to go on without what it lost.
     */
    private static void refuseWithoutTheLog(Storage storage, DataLayout layout, Checkpoint checkpoint, long lastSeq)
            throws IOException {
        String goOn = " Restore " + layout.eventLog().getFileName() + " from a backup; or, to go on with the log as it"
                + " is (its missing messages then count as never received and must be sent again), delete "
                + layout.checkpoint().getFileName() + " and run 'rebuild'.";
        if (checkpoint.appliedSeq() > lastSeq) {
            throw new LogCorruptionException(layout.eventLog() + " ends at seq " + lastSeq + " but "
                    + layout.checkpoint().getFileName() + " says seq " + checkpoint.appliedSeq()
                    + " was applied: acknowledged log entries are missing." + goOn);
        }
        if (lastSeq == 0 && (!storage.list(layout.openState()).isEmpty() || !storage.list(layout.archiveState()).isEmpty())) {
            throw new LogCorruptionException(layout.eventLog() + " is empty or missing, but state files exist: the log"
                    + " was deleted or replaced." + goOn);
        }
    }

    /** A kill mid-write leaves its tmp file behind; they are only ever in the folders the core writes. */
    private static void sweepTemporaryFiles(Storage storage, DataLayout layout, Consumer<String> notices)
            throws IOException {
        List<Path> candidates = new ArrayList<>(storage.list(layout.root()));
        if (storage.isDirectory(layout.keys())) {
            candidates.addAll(storage.list(layout.keys())); // a key whose write a crash cut short was never handed out
        }
        // A closed period's file a kill cut short; in ledger/ itself, never where a link in its place leads.
        if (!storage.isSymbolicLink(layout.ledgerPeriods()) && storage.isDirectory(layout.ledgerPeriods())) {
            candidates.addAll(storage.list(layout.ledgerPeriods()));
        }
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
        return apply(message.envelope(), decisionFor(message));
    }

    private Decision decisionFor(InvoiceMessage message) {
        if (message instanceof InvoiceMessage.ClientErased) {
            String client = message.invoice().client();
            return current -> {
                try {
                    return new Change.ClientErased(sealed.generationToErase(client));
                } catch (ClientKeys.Full full) {
                    throw new RejectedMessageException(message.messageId(), full.getMessage());
                }
            };
        }
        if (message.invoice().isWholeClient()) {
            return current -> decider.decideForClient(message, book.clientPause(message.invoice().client()), today());
        }
        return current -> decider.decide(message, current, today());
    }

    /** The most messages one {@link #applyBatch} takes: bounds the memory a batch holds and the work one fsync covers. */
    public static final int MAX_BATCH = 10_000;

    /** One message of a batch: its result, or the reason it was rejected. */
    public record BatchOutcome(ApplyResult result, RejectedMessageException rejection) {
        public BatchOutcome {
            if ((result == null) == (rejection == null)) {
                throw new IllegalArgumentException("a message is either applied (or a duplicate) or rejected");
            }
        }
    }

    /** A message of a batch written to the log, and the record of its invoice after it. */
    private record Written(LogEntry entry, InvoiceRecord next) {
    }

    /**
     * Applies messages as one group, for {@code import} with the service stopped: each is checked and
     * decided against the state its predecessors in the batch left, exactly as one by one, and written
     * to the log; one fsync then covers them all. Their state files follow at the next checkpoint, as
     * every message's do, once per invoice however many of its messages came meanwhile. Holds every invoice's lock meanwhile. An erasure
     * goes alone, after the messages before it are durable.
     *
     * @return one outcome per message, in order; a failure of the store itself is thrown instead
     */
    public List<BatchOutcome> applyBatch(List<byte[]> messages) throws IOException {
        if (messages.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch takes at most " + MAX_BATCH + " messages, not " + messages.size());
        }
        requireHealthy();
        List<BatchOutcome> outcomes = new ArrayList<>(messages.size());
        List<Written> written = new ArrayList<>();
        for (ReentrantLock stripe : stripes) {
            stripe.lock();
        }
        try {
            for (byte[] bytes : messages) {
                try {
                    InvoiceMessage message = parser.parse(bytes);
                    if (message instanceof InvoiceMessage.ClientErased) {
                        makeDurableAndMark(written);
                        written.clear();
                        outcomes.add(new BatchOutcome(applyUnderLocks(message.envelope(), decisionFor(message)), null));
                    } else {
                        ApplyResult result = writeToLog(message, written);
                        if (result.outcome() == ApplyResult.Outcome.DUPLICATE) {
                            log.awaitDurable(result.seq()); // its first delivery may still wait for its fsync
                        }
                        outcomes.add(new BatchOutcome(result, null));
                    }
                } catch (RejectedMessageException rejected) {
                    outcomes.add(new BatchOutcome(null, rejected));
                }
            }
            makeDurableAndMark(written);
        } finally {
            for (int i = stripes.length - 1; i >= 0; i--) {
                stripes[i].unlock();
            }
        }
        // Here, between batches: a batch holds every lock, so the background checkpoint would hardly get one.
        checkpointIfDue(true);
        return outcomes;
    }

    /** A batch's first half for one message: decided and written to the log, its record advanced in the book. */
    private ApplyResult writeToLog(InvoiceMessage message, List<Written> written) throws RejectedMessageException, IOException {
        MessageEnvelope envelope = message.envelope();
        synchronized (appendLock) {
            requireHealthy();
            Optional<LogEntry> seen = logged(envelope.messageId());
            if (seen.isPresent()) {
                return duplicate(envelope, seen.get()); // durable before the batch returns, whichever batch wrote it
            }
            InvoiceRecord current = book.record(envelope.invoice());
            EventLog.Appended appended = append(envelope, decisionFor(message).decide(current));
            try {
                // Before its fsync, unlike a single apply: the next message of the batch is decided against it. Nobody
                // else reads the book meanwhile (the batch holds every lock), and if the fsync fails the store fails.
                rowBeforeANewDay(appended.entry());
                written.add(new Written(appended.entry(), book.apply(appended.entry())));
            } catch (RuntimeException | Error e) {
                fail(e);
                throw e;
            }
            return new ApplyResult(ApplyResult.Outcome.APPLIED, envelope.messageId(), appended.entry().seq());
        }
    }

    /** A batch's second half: one fsync for all its lines, then its invoices marked for the next checkpoint. */
    private void makeDurableAndMark(List<Written> written) throws IOException {
        if (written.isEmpty()) {
            return;
        }
        try {
            log.awaitDurable(written.get(written.size() - 1).entry().seq());
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
            throw e;
        }
        written.forEach(one -> markChanged(one.next().key(), one.entry()));
        synchronized (appendLock) {
            written.forEach(one -> inFlight.remove(one.entry().seq()));
        }
    }

    /** Decides a new message's change from the record the log implies, or rejects the message. */
    @FunctionalInterface
    private interface Decision {
        Change decide(InvoiceRecord current) throws RejectedMessageException;
    }

    private ApplyResult apply(MessageEnvelope envelope, Decision decision) throws RejectedMessageException, IOException {
        ApplyResult result = applyUnderLocks(envelope, decision);
        // Outside the invoice locks: a checkpoint takes them one by one, after its own lock.
        checkpointIfDue(false);
        return result;
    }

    /** The apply itself, under its invoice's lock (every lock for an erasure); no checkpoint, so a batch may call it. */
    private ApplyResult applyUnderLocks(MessageEnvelope envelope, Decision decision) throws RejectedMessageException, IOException {
        requireHealthy();
        // An erasure changes every invoice of its client: no entry of theirs may be applied meanwhile. Rare, so
        // it takes every stripe (in order; no other path holds two), instead of a lock per client on every path.
        List<ReentrantLock> locks = envelope.type() == MessageType.CLIENT_ERASED ? List.of(stripes)
                : List.of(stripe(envelope.invoice()));
        locks.forEach(ReentrantLock::lock);
        ApplyResult result;
        try {
            // The state the log implies, never a state file: a file can be edited, deleted or resealed.
            InvoiceRecord current = book.record(envelope.invoice());
            EventLog.Appended appended;
            Optional<LogEntry> seen;
            synchronized (appendLock) {
                requireHealthy();
                seen = logged(envelope.messageId());
                appended = seen.isPresent() ? null : append(envelope, decision.decide(current));
            }
            if (seen.isPresent()) {
                // Its first delivery may still wait for its fsync: a duplicate is acknowledged only once that one is.
                log.awaitDurable(seen.get().seq());
                return duplicate(envelope, seen.get());
            }
            LogEntry entry = appended.entry();
            try {
                log.awaitDurable(entry.seq());
                // Accepted from here on: the rest is derived and recovery redoes it after a crash.
                if (entry.change() instanceof Change.ClientErased erasure) {
                    eraseOutsideTheLog(erasure, entry.invoice().client());
                    rowsInLogOrderBefore(entry.seq()); // it writes its client's rows at once
                } else {
                    rowBeforeANewDay(entry);
                }
                InvoiceRecord next = book.apply(entry);
                if (entry.change() instanceof Change.ClientErased) {
                    // At once, not at the next checkpoint: no file may keep a client's texts after the erasure.
                    // It changed every record of its client, without moving their seqs: each is written anew.
                    for (InvoiceRecord record : book.changedBy(entry, next)) {
                        writeCurrent(record, entry.time());
                    }
                    ledger.overwriteEdits("client " + entry.invoice().client() + " was erased");
                } else {
                    book.changedBy(entry, next).forEach(record -> markChanged(record.key(), entry));
                }
            } catch (IOException | RuntimeException | Error e) {
                fail(e);
                throw e;
            }
            synchronized (appendLock) {
                inFlight.remove(entry.seq());
            }
            result = new ApplyResult(ApplyResult.Outcome.APPLIED, entry.messageId(), entry.seq());
        } finally {
            for (int i = locks.size() - 1; i >= 0; i--) {
                locks.get(i).unlock();
            }
        }
        return result;
    }

    /**
     * Seals, encodes and writes the change as the next log line, not yet durable, and records it as
     * in flight and its message as logged. Called under the append lock.
     */
    private EventLog.Appended append(MessageEnvelope envelope, Change change) throws RejectedMessageException, IOException {
        Change stored;
        try {
            stored = sealed.seal(envelope, change);
        } catch (ClientKeys.Full full) {
            throw new RejectedMessageException(envelope.messageId(), full.getMessage());
        }
        EventLog.Appended appended;
        try {
            appended = log.append(new EventDraft(settings.clock().instant(), envelope, stored));
        } catch (IOException e) {
            fail(e); // the log refuses all further work after a write error, so must the store
            throw e;
        }
        LogEntry line = appended.entry();
        locations.add(line.messageId(), appended.offset());
        inFlight.add(line.seq());
        // What comes after the log sees the change in clear, as a replay that opens the line does.
        return new EventLog.Appended(new LogEntry(line.seq(), line.time(), line.messageId(),
                line.messageSha256(), line.invoice(), change, line.prev(), line.hash()), appended.offset());
    }

    /** An erasure's effects beyond the book, with the addresses the book still knows (it forgets them next). */
    private void eraseOutsideTheLog(Change.ClientErased erasure, String client) throws IOException {
        synchronized (snapshotLock) {
            erasures++; // a snapshot captured before this one holds the client's texts: it must not be published
            synced.deleteIfExists(layout.snapshot());
            snapshotSeq = 0;
        }
        ClientErasure.of(book, client, erasure).finish(synced, layout, sealed, notices);
    }

    private ReentrantLock stripe(InvoiceKey key) {
        return stripes[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
    }

    /**
     * The log's entry for a message_id, if the log has one: every candidate location is read and
     * confirmed, so the answer is exact. Called under the append lock.
     */
    private Optional<LogEntry> logged(String messageId) throws IOException {
        for (long offset : locations.candidates(messageId)) {
            Optional<LogEntry> entry = log.entryAt(offset);
            if (entry.isEmpty()) {
                // Recorded from this log's own lines: the file changed under the running store.
                throw new LogCorruptionException("no log line starts at byte " + offset + ", where " + layoutName()
                        + " had one: the log was changed while the service ran");
            }
            if (entry.get().messageId().equals(messageId)) {
                return entry;
            }
        }
        return Optional.empty();
    }

    private String layoutName() {
        return layout.eventLog().toString();
    }

    private static ApplyResult duplicate(MessageEnvelope message, LogEntry seen) throws RejectedMessageException {
        if (!seen.messageSha256().equals(message.contentSha256())) {
            throw new RejectedMessageException(message.messageId(), "message_id was used before (log seq " + seen.seq()
                    + ", invoice " + seen.invoice() + ") for different content");
        }
        return new ApplyResult(ApplyResult.Outcome.DUPLICATE, message.messageId(), seen.seq());
    }

    private LocalDate today() {
        return DunningClock.today(settings.clock().instant(), settings.zone());
    }

    /** The invoice's state as the log implies it. */
    public Optional<InvoiceState> find(InvoiceKey key) {
        return book.get(key);
    }

    /**
     * Compares every state file with the state the log implies and rewrites each that differs, and removes
     * each the log has nothing for: what the state-audit route does in slices, at once.
     *
     * @return the files rewritten or removed, each with what differed
     */
    public StateAudit.Report auditStateFiles() throws IOException {
        List<String> repairs = new ArrayList<>(auditStateFiles(book.keys()).repairs());
        repairs.addAll(removeStrayFiles(audit.stateFiles()).repairs());
        return new StateAudit.Report(repairs);
    }

    /**
     * Compares the given invoices' files with the state the log implies and rewrites each that differs: the
     * check for the files no crash explains (an edit, a deletion, a failing disk). Runs beside the service:
     * each invoice is checked under its lock, against its state then. A key the log does not know has no files to check.
     */
    public StateAudit.Report auditStateFiles(Collection<InvoiceKey> keys) throws IOException {
        requireHealthy();
        List<String> repairs = new ArrayList<>();
        for (InvoiceKey key : keys) {
            ReentrantLock stripe = stripe(key);
            stripe.lock();
            try {
                if (changed.containsKey(key)) {
                    continue; // its files follow at the next checkpoint: behind the log by design, not by fault
                }
                repairs.addAll(audit.check(book.record(key), true));
            } finally {
                stripe.unlock();
            }
        }
        return new StateAudit.Report(repairs);
    }

    /** Removes those of the given files the log has nothing for (see {@link StateAudit#stateFiles}). */
    public StateAudit.Report removeStrayFiles(Collection<StateAudit.StateFile> files) throws IOException {
        requireHealthy();
        List<String> repairs = new ArrayList<>();
        for (StateAudit.StateFile file : files) {
            ReentrantLock stripe = stripe(file.key());
            stripe.lock(); // a record is in the book before its file is written, and both happen under this lock
            try {
                // Listed before this lock was taken: the service may have removed it meanwhile, as it should.
                if (!changed.containsKey(file.key()) && !file.describedBy(book.record(file.key()))
                        && derived.exists(file.path())) {
                    repairs.add(audit.removeUnknown(file, true));
                }
            } finally {
                stripe.unlock();
            }
        }
        return new StateAudit.Report(repairs);
    }

    public long lastSeq() {
        return log.lastSeq();
    }

    /** The folder, with the MAC key its files are sealed and checked under: what every bean beside the store must use. */
    public DataLayout layout() {
        return layout;
    }

    /**
     * The log's last line once durable, with its MAC (empty when the line is unkeyed): the head the
     * service publishes, which must never be one a power cut could take back.
     */
    public LogHead logHead() throws IOException {
        requireHealthy();
        LogPosition head = log.position();
        log.awaitDurable(head.seq());
        return new LogHead(head.seq(), head.hash(),
                layout.keying().sealFor(head.seq()).map(key -> key.mac(MacKey.Purpose.LOG_LINE, head.hash())));
    }

    /** A published head of the log: seq, hash and, once keyed, the line's MAC. */
    public record LogHead(long seq, String hash, Optional<String> mac) {
    }

    /** Every log entry up to this seq is fully applied: state file, index and ledger projection. */
    private long appliedSeq() {
        synchronized (appendLock) {
            return inFlight.isEmpty() ? log.lastSeq() : inFlight.first() - 1;
        }
    }

    /** Every open invoice as the dunning planner sees it: the state the log implies, with its requests so far. */
    public List<DunningCandidate> dunningCandidates() {
        return DunningCandidates.of(book);
    }

    /**
     * Logs each decision of a dunning run as an event before anything is emitted (the transactional
     * outbox): from here on the request exists and the relay emits it, whatever crashes. A decision
     * that no longer fits (paid, escalated or requested meanwhile) is dropped. The entry's id comes
     * from the request_id, so a run repeated after a crash logs nothing twice.
     *
     * @return the decisions logged now
     */
    public List<DunningDecision> requestDunning(List<DunningDecision> decisions) throws IOException {
        List<DunningDecision> logged = new ArrayList<>();
        for (DunningDecision decision : decisions) {
            String id = "@dunning:" + decision.requestId();
            MessageEnvelope envelope = new MessageEnvelope(MessageType.DUNNING_REQUESTED, id, decision.key(),
                    Sha256.hex(id.getBytes(StandardCharsets.UTF_8)));
            try {
                ApplyResult result = apply(envelope, current -> {
                    InvoiceState state = current.invoice().filter(s -> s.status() == InvoiceStatus.UNPAID)
                            .orElseThrow(() -> new RejectedMessageException(id, "the invoice is no longer unpaid"));
                    if (state.dunningStep(decision.requestId()).isPresent()) {
                        throw new RejectedMessageException(id, "requested already");
                    }
                    return DunningRequests.change(decision);
                });
                if (result.outcome() == ApplyResult.Outcome.APPLIED) {
                    logged.add(decision);
                }
            } catch (RejectedMessageException overtaken) {
                // paid, escalated or requested since the plan was made: nothing to request
            }
        }
        return logged;
    }

    /**
     * Everything the relay owes the emailer now, oldest request first: first emissions (again after
     * a crash that came before their record), revocations, and re-emissions after the timeout.
     */
    public List<DunningRequests.Emission> owedEmissions(Duration ackTimeout) {
        Instant now = settings.clock().instant();
        LocalDate today = today();
        List<DunningRequests.Emission> owed = new ArrayList<>();
        for (InvoiceKey key : book.keysWithOpenRequests()) {
            Optional<DunningHold> clientPause = book.clientPause(key.client());
            book.get(key).ifPresent(state -> state.dunning().forEach(step ->
                    DunningRequests.owed(state, clientPause, step, today, now, ackTimeout).ifPresent(owed::add)));
        }
        owed.sort(java.util.Comparator.comparingLong(DunningRequests.Emission::seq));
        return owed;
    }

    /** Something written for an emission, such as its outbox file. */
    @FunctionalInterface
    public interface EmissionWrite {
        void write() throws IOException;
    }

    /**
     * Writes an emission's file only if it is still owed as it was listed, under its invoice's lock: an
     * erasure (which takes every lock) or a closing that came since the listing is not undone by a
     * file written from the listing. The send that follows is outside the lock; a change in between
     * is answered by a revocation, as ever.
     *
     * @return false when it is no longer owed: nothing was written
     */
    public boolean writeIfStillOwed(DunningRequests.Emission emission, Duration ackTimeout, EmissionWrite write)
            throws IOException {
        ReentrantLock stripe = stripe(emission.key());
        stripe.lock();
        try {
            Optional<InvoiceState> state = book.get(emission.key());
            Optional<DunningStep> step = state.flatMap(s -> s.dunningStep(emission.requestId()));
            if (step.isEmpty()) {
                return false;
            }
            Optional<DunningRequests.Emission> owed = emission.kind() == DunningRequests.Emission.Kind.LATE_REVOCATION
                    ? DunningRequests.lateRevocation(state.get(), book.clientPause(emission.key().client()), step.get(), today())
                    : DunningRequests.owed(state.get(), book.clientPause(emission.key().client()), step.get(), today(),
                            settings.clock().instant(), ackTimeout);
            if (owed.isEmpty() || owed.get().kind() != emission.kind() || owed.get().attempt() != emission.attempt()) {
                return false;
            }
            write.write();
            return true;
        } finally {
            stripe.unlock();
        }
    }

    /**
     * Records that the relay wrote an emission to the outbox and sent it: it is not emitted again.
     * A repeat after a crash between the send and this record is recognised and changes nothing.
     */
    public void recordEmitted(DunningRequests.Emission emission) throws IOException {
        String id = "@emitted:" + emission.duplicateId();
        MessageEnvelope envelope = new MessageEnvelope(emission.kind() == DunningRequests.Emission.Kind.REQUEST
                ? MessageType.DUNNING_EMITTED : MessageType.DUNNING_REVOKED, id, emission.key(),
                Sha256.hex(id.getBytes(StandardCharsets.UTF_8)));
        try {
            apply(envelope, current -> {
                DunningStep step = current.invoice().flatMap(state -> state.dunningStep(emission.requestId()))
                        .orElseThrow(() -> new IllegalStateException("no request " + emission.requestId()));
                if (emission.kind() != DunningRequests.Emission.Kind.REQUEST) {
                    // A late revocation's request may be withdrawn (so revoked()) until its revocation is recorded.
                    boolean late = emission.kind() == DunningRequests.Emission.Kind.LATE_REVOCATION;
                    if (late ? step.emittedAttempts() > 0 : step.revoked()) {
                        throw new RejectedMessageException(id, "revoked already");
                    }
                    return new Change.DunningRevoked(emission.requestId(),
                            ((com.novotechno.collections.dunning.DunningRevocation) emission.body()).reason());
                }
                if (step.emittedAttempts() >= emission.attempt()) {
                    throw new RejectedMessageException(id, "emitted already");
                }
                if (step.withdrawnUnrecorded()) {
                    // Withdrawn between its send and this record: recorded, it would read as revoked and never be
                    // taken back; unrecorded, the relay owes its late revocation.
                    throw new RejectedMessageException(id, "withdrawn before its emission was recorded");
                }
                return new Change.DunningEmitted(emission.requestId(), emission.attempt());
            });
        } catch (RejectedMessageException already) {
            // recorded before: once is enough
        }
    }

    /**
     * The revocation owed for a request whose emission the log never recorded, now that it may not go
     * out (withdrawn, paused, its client erased); whether it may have gone out before a crash is the
     * caller's to judge (the outbox).
     */
    public Optional<DunningRequests.Emission> lateRevocation(InvoiceKey key, String requestId) {
        Optional<DunningHold> clientPause = book.clientPause(key.client());
        return book.get(key).flatMap(state -> state.dunningStep(requestId)
                .flatMap(step -> DunningRequests.lateRevocation(state, clientPause, step, today())));
    }

    /** A dunning request and its invoice. */
    public record RequestOf(InvoiceKey key, DunningStep step) {
    }

    /** Every request the emailer could not deliver or did not acknowledge in time (emitted twice): what an operator must hear of. */
    public List<RequestOf> troubledRequests() {
        List<RequestOf> troubled = new ArrayList<>();
        // A packed record never has a troubled request: the walk need not unpack a million closed invoices.
        book.forEachUnpacked(record -> record.invoice().ifPresent(state -> state.dunning().stream()
                .filter(PackedRecords::troubled)
                .forEach(step -> troubled.add(new RequestOf(record.key(), step)))));
        troubled.sort(java.util.Comparator.comparingLong(r -> r.step().seq()));
        return troubled;
    }

    /** Every payment held under an invoice key now, waiting for its invoice or to be refunded, by key. */
    public List<InvoiceRecord> unapplied() {
        return book.keysWithUnapplied().stream().map(book::record).filter(r -> !r.unapplied().isEmpty())
                .sorted(java.util.Comparator.comparing(r -> r.key().toString())).toList();
    }

    /**
     * Marks to refund every held payment whose invoice has not arrived within {@code maxAge} of its
     * acceptance, each by an entry in the log. The entry's id is derived from the payment's seq and
     * cannot be a producer's (producers' ids have no '@'), so a repeat after a crash is a duplicate.
     *
     * @return the payments marked now
     */
    public List<HeldPayment> expireUnapplied(Duration maxAge) throws IOException {
        Instant now = settings.clock().instant();
        List<HeldPayment> expired = new ArrayList<>();
        for (InvoiceKey key : book.keysWithUnapplied()) {
            for (HeldPayment held : book.record(key).waiting()) {
                if (held.heldAt().plus(maxAge).isAfter(now)) {
                    continue;
                }
                String id = "@unapplied-expired:" + held.seq();
                MessageEnvelope envelope = new MessageEnvelope(MessageType.UNAPPLIED_EXPIRED, id, key,
                        Sha256.hex(id.getBytes(StandardCharsets.UTF_8)));
                String reason = "no invoice " + key + " arrived within " + readable(maxAge) + " of the payment";
                try {
                    ApplyResult result = apply(envelope, current -> {
                        if (current.waiting().stream().noneMatch(h -> h.seq() == held.seq())) {
                            throw new RejectedMessageException(id, "the payment is no longer waiting"); // its invoice came
                        }
                        return new Change.HeldExpired(held.seq(), reason);
                    });
                    if (result.outcome() == ApplyResult.Outcome.APPLIED) {
                        expired.add(held.refunded(reason, result.seq()));
                    }
                } catch (RejectedMessageException raced) {
                    // applied or marked meanwhile: nothing to do
                }
            }
        }
        return expired;
    }

    /** As the configuration writes it (720h, 90m, 2s), not 0h for a short test setting. */
    private static String readable(Duration duration) {
        if (duration.toSeconds() % 3600 == 0) {
            return duration.toHours() + "h";
        }
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + "m" : duration.toSeconds() + "s";
    }

    /**
     * Writes every state file that lags the log and makes it durable now, instead of at the next
     * periodic checkpoint: for a caller about to read state files, and for tests.
     */
    public void checkpointNow() throws IOException {
        requireHealthy();
        checkpoint();
    }

    /** Writes ledger.qmd now with everything applied so far, instead of at the next batch. */
    public void flushLedger() throws IOException {
        requireHealthy();
        writeChangedNow();
        ledger.flush();
    }

    /** The files and rows due at the next checkpoint, written now (not yet durable). */
    private void writeChangedNow() throws IOException {
        checkpointLock.lock();
        try {
            writeChanged();
        } catch (IOException | RuntimeException | Error e) {
            fail(e); // an invoice whose files failed is no longer marked: only a restart's recovery writes it
            throw e;
        } finally {
            checkpointLock.unlock();
        }
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

    /** True until close begins: the log, the state files and the lock are the store's. */
    public boolean isOpen() {
        return !closing;
    }

    /** Each group commit of the log from now on is told to {@code syncs}: the service's metrics count fsyncs there. */
    public void observeLogSyncs(LogSyncs syncs) {
        log.observeSyncs(syncs);
    }

    /**
     * Dunning requests emitted and neither acknowledged by the emailer nor revoked, and how many of them
     * were last emitted longer than {@code ackTimeout} ago.
     */
    public record AwaitingAcknowledgement(long requests, long pastTimeout) {
    }

    /** Walks only the invoices with open requests, so its cost follows them, not the book. */
    public AwaitingAcknowledgement awaitingAcknowledgement(Duration ackTimeout) {
        Instant deadline = settings.clock().instant().minus(ackTimeout);
        long requests = 0;
        long pastTimeout = 0;
        for (InvoiceKey key : book.keysWithOpenRequests()) {
            for (DunningStep step : book.get(key).map(InvoiceState::dunning).orElse(List.of())) {
                if (step.emittedAttempts() > 0 && !step.acknowledged() && !step.revoked()) {
                    requests++;
                    if (step.emittedAt().orElseThrow().isBefore(deadline)) {
                        pastTimeout++;
                    }
                }
            }
        }
        return new AwaitingAcknowledgement(requests, pastTimeout);
    }

    /** True while ledger.qmd is not updated because it was edited by hand (see {@link LedgerWriter}). */
    public boolean ledgerHeld() {
        return ledger.held();
    }

    /**
     * Told, in the writing thread and under the invoice's lock, of each invoice whose state file, held payments
     * file or ledger rows were just written: what changed since a reader last looked. Each listener added is told
     * (the reconcile and state-audit routes both are); each must be quick.
     */
    public synchronized void onWritten(Consumer<InvoiceKey> listener) {
        this.writtenListener = writtenListener.andThen(Objects.requireNonNull(listener));
    }

    /** Every invoice key the log has (an invoice, held payments, or both); one added meanwhile may be missing. */
    public Set<InvoiceKey> keys() {
        return book.keys();
    }

    /** Told once a checkpoint in the background failed the store: no apply call may come to find it out. */
    public void onBackgroundFailure(Runnable listener) {
        this.backgroundFailureListener = listener;
    }

    /** Checkpoints every {@link StoreSettings#checkpointPeriod} in the background: the bound on how long a derived file may stay not durable. */
    private void startCheckpoints() {
        checkpointer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "collections-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.checkpointPeriod().toNanos();
        checkpointer.scheduleWithFixedDelay(() -> {
            if (failure != null) {
                return;
            }
            try {
                checkpoint();
            } catch (IOException | RuntimeException | Error e) {
                notices.accept("checkpoint failed, the store refuses messages until restarted: " + e);
                failedInBackground();
                return;
            }
            if (snapshotDue() && snapshotQueued.compareAndSet(false, true)) {
                snapshotter.execute(this::snapshotInBackground);
            }
        }, period, period, TimeUnit.NANOSECONDS);
        snapshotter = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "collections-snapshot");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A start from a snapshot read only the log after its line: the lines before it are walked now, in
     * the background, with every check an open makes. Damage found there fails the store (it stops the
     * service) and deletes the snapshot, so the next start reads the whole log and refuses it, naming the
     * line, as a start without a snapshot would have.
     */
    /**
     * Removes the tmp files a crash left in the state tree and the flat folders beside it: in the
     * background for a running store (only those an earlier process made, never this one's writes in
     * flight), at once for a rebuild. A store
     * closed before the sweep ends says so in its checkpoint (not clean), so the next start sweeps again.
     */
    private void sweepStateTree(boolean background) throws IOException {
        if (!background) {
            sweepStateTreeNow();
            return;
        }
        tmpSweep = new Thread(() -> {
            try {
                sweepStateTreeNow();
            } catch (IOException | RuntimeException e) {
                if (!closing) {
                    notices.accept("the sweep of temporary files a crash left could not finish: " + e);
                }
            }
        }, "collections-tmp-sweep");
        tmpSweep.setDaemon(true);
        tmpSweep.setPriority(Thread.MIN_PRIORITY);
        tmpSweep.start();
    }

    /** Whether the sweep of the state tree's tmp files ended (or none was needed): for tests, which wait for it. */
    boolean stateTreeSwept() {
        return tmpSweep == null || tmpSweepDone;
    }

    private void sweepStateTreeNow() throws IOException {
        List<Path> candidates = new ArrayList<>(derived.listFilesRecursively(layout.stateRoot()));
        // And the flat folders written atomically beside it: the routes' rejection reports,
        // outbox files and alerts (a kill during one of those left a hidden tmp file there for good).
        // (ledger/ is swept before the store opens.) Never where a link in a folder's place leads.
        for (Path folder : List.of(layout.rejected(), layout.outbox(), layout.alerts())) {
            if (!derived.isSymbolicLink(folder) && derived.isDirectory(folder)) {
                candidates.addAll(derived.list(folder));
            }
        }
        for (Path file : candidates) {
            if (closing) {
                return;
            }
            if (FileSystemStorage.isLeftByEarlierProcess(file)) {
                derived.deleteIfExists(file);
                notices.accept("removed temporary file left by a crash: " + layout.root().relativize(file));
            }
        }
        tmpSweepDone = true;
    }

    private void walkSkippedLog(LogPosition upTo) {
        Thread walker = new Thread(() -> {
            try {
                List<String> faults = log.checkUpTo(upTo);
                if (faults.isEmpty()) {
                    return;
                }
                String problem = faults.get(0) + (faults.size() > 1 ? " (and " + (faults.size() - 1) + " more faults)" : "");
                synchronized (snapshotLock) {
                    synced.deleteIfExists(layout.snapshot());
                }
                fail(new LogCorruptionException(layout.eventLog() + " is damaged before the snapshot's line, which the"
                        + " start did not read: " + problem + ". The store stopped; the next start reads the whole log."));
                notices.accept("log damaged, the store refuses messages until restarted: " + problem);
                failedInBackground();
            } catch (IOException | RuntimeException | Error e) {
                if (failure != null || closing) {
                    return; // the store stopped under it: nothing to report
                }
                notices.accept("the walk of the log before the snapshot could not finish: " + e);
                if (e instanceof Error error) {
                    throw error;
                }
            }
        }, "collections-log-walk");
        walker.setDaemon(true);
        walker.setPriority(Thread.MIN_PRIORITY);
        walker.start();
    }

    private void failedInBackground() {
        Runnable listener = backgroundFailureListener;
        if (listener != null) {
            listener.run();
        }
    }

    /** Enough entries since the last snapshot to be worth its write (which grows with the book), or a long time. */
    private boolean snapshotDue() {
        long since = log.lastSeq() - snapshotSeq;
        long every = Math.max(SNAPSHOT_MIN_ENTRIES, book.size() / 4);
        return since >= every || (since > 0 && System.nanoTime() - lastSnapshotNanos > SNAPSHOT_MAX_AGE.toNanos());
    }

    private void snapshotInBackground() {
        try {
            if (failure == null) {
                snapshotNow();
            }
        } catch (IOException | RuntimeException | Error e) {
            // A snapshot only shortens starts: one that cannot be written is said, the service goes on.
            notices.accept("snapshot not written, the next start reads more of the log: " + e);
        } finally {
            snapshotQueued.set(false);
        }
    }

    /**
     * Writes a snapshot of everything applied so far: captured under every invoice's lock (pointer copies
     * of immutable records, so briefly), then a checkpoint at or after its seq, then written beside the
     * service and renamed into place. A start uses a snapshot only if the checkpoint is at or after it.
     */
    public void snapshotNow() throws IOException {
        snapshotWrite.lock();
        try {
            if (closing) {
                // After close the folder's lock is released: a checkpoint or snapshot now would write under another owner.
                throw new IOException("the store is closed (or closing): no snapshot");
            }
            StoreSnapshot.Contents contents;
            long erasuresAtCapture;
            checkpointLock.lock();
            try {
                for (ReentrantLock stripe : stripes) {
                    stripe.lock();
                }
                try {
                    requireHealthy();
                    synchronized (snapshotLock) {
                        erasuresAtCapture = erasures;
                    }
                    contents = capture();
                } finally {
                    for (int i = stripes.length - 1; i >= 0; i--) {
                        stripes[i].unlock();
                    }
                }
                checkpoint(); // at or after the snapshot's seq: every entry in it is then in durable state files
            } finally {
                checkpointLock.unlock();
            }
            publishSnapshot(contents, erasuresAtCapture);
        } finally {
            snapshotWrite.unlock();
        }
    }

    /** Everything a start would rebuild from the log up to its last line. The caller holds every invoice's lock. */
    private StoreSnapshot.Contents capture() throws IOException {
        Optional<Instant> firstEvent = log.lastSeq() == 0 ? Optional.empty() : Optional.of(log.entryAt(0)
                .orElseThrow(() -> new LogCorruptionException(layoutName() + " has no first line where it began")).time());
        // The ledger's as-of as a replay up to the last line leaves it: the projection has only the rows a
        // checkpoint wrote, the rest still wait in changed (with all locks held, every applied entry is in one).
        Optional<Instant> latestEvent = ledgerProjection.latestEvent();
        for (Pending pending : changed.values()) {
            if (latestEvent.isEmpty() || pending.time().isAfter(latestEvent.get())) {
                latestEvent = Optional.of(pending.time());
            }
        }
        return new StoreSnapshot.Contents(log.position(), firstEvent, latestEvent, sealed.liveKeyIds(),
                book.records(), book.clientPauses(), locations.copy());
    }

    private void publishSnapshot(StoreSnapshot.Contents contents, long erasuresAtCapture) throws IOException {
        Path tmp = StoreSnapshot.writeTemporary(synced, layout.snapshot(), contents, layout.keying());
        synchronized (snapshotLock) {
            if (erasures != erasuresAtCapture) {
                synced.deleteIfExists(tmp);
                return;
            }
            try {
                StoreSnapshot.publish(synced, tmp, layout.snapshot());
            } catch (IOException | RuntimeException e) {
                synced.deleteIfExists(tmp); // it holds clear text: never left where no erasure looks
                throw e;
            }
            snapshotSeq = contents.position().seq();
            lastSnapshotNanos = System.nanoTime();
        }
    }

    /**
     * Makes every derived file written so far durable, then records up to which seq they are. The
     * seq is taken first: everything up to it was written before, so the sync that follows covers it.
     */
    private void checkpoint() throws IOException {
        checkpointLock.lock();
        try {
            lastCheckpointNanos = System.nanoTime(); // when it began: a long one is not overdue meanwhile
            long written = writeChanged();
            if (written == checkpointSeq && derived.pending() == 0) {
                return;
            }
            derived.syncChanged();
            new Checkpoint(written, false).write(synced, layout.checkpoint());
            checkpointSeq = written;
        } catch (IOException | RuntimeException | Error e) {
            fail(e); // derived files that cannot be written or made durable: stop before acknowledging more
            throw e;
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * Writes the state files and ledger rows of every invoice changed since the last time, each from the
     * record the book has now (under its lock, so never a state whose entry is not durable yet). The seq is
     * taken first: every entry up to it marked its invoice before, so this pass covers it.
     *
     * @return the seq up to which every entry is now in the state files; called under the checkpoint lock
     */
    private long writeChanged() throws IOException {
        long applied = appliedSeq();
        // In log order (by each invoice's latest entry), so the ledger takes its rows as a replay of the log does:
        // a period closes at the first row of the next, with every row before it in (see rowBeforeANewDay).
        List<Map.Entry<InvoiceKey, Pending>> due = new ArrayList<>(changed.entrySet());
        due.sort(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(Pending::seq)));
        for (Map.Entry<InvoiceKey, Pending> one : due) {
            InvoiceKey key = one.getKey();
            ReentrantLock stripe = stripe(key);
            stripe.lock();
            try {
                // A batch that failed its fsync left its entries in the book: nothing may be written from it now.
                requireHealthy();
                Pending pending = changed.remove(key);
                if (pending == null) {
                    continue;
                }
                InvoiceRecord record = book.record(key);
                writeFiles(record);
                if (pending.seq() <= applied) {
                    writeRows(record, pending.time());
                } else {
                    // Moved on by an entry after this pass began: its rows wait for the next pass, in their place.
                    changed.merge(key, pending, Pending::later);
                }
            } finally {
                stripe.unlock();
            }
        }
        writtenSeq = Math.max(writtenSeq, applied);
        return writtenSeq;
    }

    /**
     * Before an entry of a later day moves an invoice on, its rows as they are go to the ledger if they
     * still wait for a checkpoint: a period that ends between the two then closes with them, as in a
     * replay of the log, instead of with the invoice's next state. Called under the invoice's lock.
     */
    private void rowBeforeANewDay(LogEntry entry) {
        Pending pending = changed.get(entry.invoice());
        if (pending != null && !day(pending.time()).equals(day(entry.time()))) {
            writeRows(book.record(entry.invoice()), pending.time());
        }
    }

    /**
     * Every row still waiting for a checkpoint with an entry before {@code seq}, to the ledger in log order:
     * for an erasure, which writes its client's rows at once. Called under every invoice's lock.
     */
    private void rowsInLogOrderBefore(long seq) {
        changed.entrySet().stream().filter(one -> one.getValue().seq() < seq)
                .sorted(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(Pending::seq)))
                .forEach(one -> writeRows(book.record(one.getKey()), one.getValue().time()));
    }

    private LocalDate day(Instant time) {
        return LocalDate.ofInstant(time, settings.zone());
    }

    /** An invoice's files and ledger rows as its record now is, wherever its file was left. */
    private void writeCurrent(InvoiceRecord record, Instant time) throws IOException {
        writeFiles(record);
        writeRows(record, time);
    }

    /** Its state file and held-payment file as its record now is. */
    private void writeFiles(InvoiceRecord record) throws IOException {
        InvoiceKey key = record.key();
        if (record.invoice().isPresent()) {
            invoices.write(record.invoice().get(), invoices.locate(key));
        }
        Path held = UnappliedFiles.path(layout, key);
        if (!record.unapplied().isEmpty()) {
            derived.createDirectories(held.getParent());
            derived.writeAtomically(held, UnappliedFiles.encode(key, record.unapplied(), layout.keying()));
        } else if (derived.exists(held)) {
            derived.deleteIfExists(held);
        }
        writtenListener.accept(key);
    }

    /** Its ledger rows as its record now is; {@code time} is that of the latest entry in it. */
    private void writeRows(InvoiceRecord record, Instant time) {
        record.invoice().ifPresent(state -> ledgerProjection.update(LedgerRows.of(state, settings.zone()), time));
        ledgerProjection.updateUnapplied(record.key(), UnappliedRows.of(record), time);
    }

    private void markChanged(InvoiceKey key, LogEntry entry) {
        if (!key.isWholeClient()) {
            changed.merge(key, new Pending(entry.seq(), entry.time()), Pending::later);
        }
    }

    /**
     * Checkpoints in the caller's thread when the background one is a whole period late (a busy caller
     * may keep it from the locks it needs: an import's batches hold them all), or when the changes
     * waiting for one outgrow their bound, whatever the period.
     *
     * @param waitIfLate when late, wait for a checkpoint under way and then make one: for a batch, whose
     *                   locks starve the background one; concurrent writers must not queue up behind it
     */
    private void checkpointIfDue(boolean waitIfLate) throws IOException {
        if (changed.size() > MAX_WAITING_CHANGES || derived.pending() > MAX_UNSYNCED_PATHS) {
            checkpoint(); // waits for one under way: the bound holds back the writers
            return;
        }
        boolean overdue = System.nanoTime() - lastCheckpointNanos > 2 * settings.checkpointPeriod().toNanos();
        if (overdue && checkpointer != null && waitIfLate) {
            checkpoint();
            return;
        }
        // With one under way the writers go on, or they would queue up for checkpoints one by one.
        if (overdue && checkpointer != null && checkpointLock.tryLock()) {
            try {
                checkpoint();
            } finally {
                checkpointLock.unlock();
            }
        }
    }

    private void stopCheckpoints() throws IOException {
        if (checkpointer == null) {
            return;
        }
        checkpointer.shutdown();
        snapshotter.shutdown();
        try {
            if (!checkpointer.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IOException("a checkpoint did not finish within 60 s");
            }
            if (!snapshotter.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IOException("a snapshot did not finish within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a checkpoint", e);
        }
    }

    private long erasuresNow() {
        synchronized (snapshotLock) {
            return erasures;
        }
    }

    /** Fails the store, keeping the first cause: a later failure is most often this one seen again. */
    private void fail(Throwable cause) {
        synchronized (appendLock) {
            if (failure == null) {
                failure = cause;
            }
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
        closing = true;
        try {
            stopCheckpoints();
            if (failure == null) {
                synchronized (appendLock) {
                    if (!inFlight.isEmpty()) {
                        throw new IllegalStateException("close() while messages are being applied: " + inFlight);
                    }
                }
            }
            if (failure == null) {
                writeChangedNow();
            }
            ledger.close(failure == null);
            if (tmpSweep != null) {
                try {
                    tmpSweep.join(); // it stops at its next file, since closing is set
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // tmpSweepDone stays false: the next start sweeps again
                }
            }
            if (failure == null) {
                derived.syncChanged();
                // A sweep cut short leaves tmp files: not clean, so the next start sweeps again.
                new Checkpoint(log.lastSeq(), stateTreeSwept()).write(synced, layout.checkpoint());
                if (log.lastSeq() > 0 && (snapshotSeq < log.lastSeq() || !synced.exists(layout.snapshot()))) {
                    // What makes the next start read nothing of the log but its last line. Only that: the
                    // stop is clean without it (as for a background snapshot, a failure is said, not thrown).
                    try {
                        publishSnapshot(capture(), erasuresNow());
                    } catch (IOException e) {
                        notices.accept("snapshot not written at stop, the next start reads the whole log: " + e);
                    }
                }
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
