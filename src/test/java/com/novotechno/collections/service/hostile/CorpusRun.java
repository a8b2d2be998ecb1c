package com.novotechno.collections.service.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.service.hostile.QueueDeliveries.DeadLetter;
import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs the corpus through one running service, all cases at once on both routes, in two rounds:
 * first every case that must change nothing (rejected, duplicates, made safe without an effect),
 * with the folder's state taken before and after, then the cases that are applied. It records what
 * became of each case; HostileCorpusTest judges it.
 */
final class CorpusRun implements AutoCloseable {

    /** The longest a round may take on a loaded machine; a round takes a few seconds. */
    private static final Duration ROUND = Duration.ofSeconds(90);
    private static final long POLL_MILLIS = 100;

    /** What became of a case in the inbox: its report and entry in rejected/, or its file in processed/, or neither. */
    record InboxOutcome(InboxDeliveries.Placed placed, Optional<JsonNode> report, Optional<Path> rejected, boolean processed) {
    }

    /** What became of a case on the queue: refused at send, dead-lettered, or neither (taken). */
    record QueueOutcome(Optional<String> refusedAtSend, Optional<DeadLetter> deadLetter) {
    }

    private final RunningService running;
    private final Path data;
    private final HostileCorpus corpus;
    private final InboxDeliveries inbox;
    private final QueueDeliveries queue;
    private final Map<String, InboxOutcome> inboxOutcomes = new HashMap<>();
    private final Map<String, QueueOutcome> queueOutcomes = new HashMap<>();
    private FolderState beforeQuietRound;
    private FolderState afterQuietRound;
    private FolderState afterAppliedRound;

    CorpusRun(RunningService running, Path data, Path outside, HostileCorpus corpus) throws Exception {
        this.running = running;
        this.data = data;
        this.corpus = corpus;
        this.inbox = new InboxDeliveries(running, outside);
        this.queue = new QueueDeliveries(running, data);
    }

    void run() throws Exception {
        applySetups();
        beforeQuietRound = settledState();
        round("quiet", expectation -> expectation.changesNothing());
        afterQuietRound = settledState();
        round("applied", expectation -> !expectation.changesNothing());
        afterAppliedRound = settledState();
    }

    /**
     * Each route's copy of each case gets its prior state through the store, as earlier messages
     * would have made it: in one batch, under one fsync, in order.
     */
    private void applySetups() throws Exception {
        List<String> owners = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        for (HostileCase hostile : corpus.cases()) {
            for (Route route : Route.values()) {
                for (byte[] message : hostile.runsOn(route) ? corpus.setup(hostile, route) : List.<byte[]>of()) {
                    owners.add(hostile + " [" + route + "]");
                    messages.add(message);
                }
            }
        }
        List<CollectionsStore.BatchOutcome> outcomes = running.service.store().applyBatch(messages);
        for (int i = 0; i < outcomes.size(); i++) {
            CollectionsStore.BatchOutcome outcome = outcomes.get(i);
            if (outcome.rejection() != null || outcome.result().outcome() != ApplyResult.Outcome.APPLIED) {
                throw new AssertionError(owners.get(i) + ": a setup message was not applied: "
                        + (outcome.rejection() != null ? outcome.rejection().getMessage() : "a duplicate"));
            }
        }
    }

    private void round(String name, Predicate<Expectation> inRound) throws Exception {
        List<HostileCase> toInbox = casesOf(Route.INBOX, inRound);
        List<HostileCase> toQueue = casesOf(Route.QUEUE, inRound);
        Map<String, InboxDeliveries.Placed> placed = new HashMap<>();
        for (HostileCase hostile : toInbox) {
            placed.put(hostile.name(), inbox.deliver(hostile, body(hostile, Route.INBOX)));
        }
        Map<String, Optional<String>> refused = new HashMap<>();
        for (HostileCase hostile : toQueue) {
            refused.put(hostile.name(), queue.deliver(hostile, body(hostile, Route.QUEUE)));
        }
        Map<String, DeadLetter> deadLetters = queue.fenceAndTakeDeadLetters("fence-" + name, ROUND);
        for (HostileCase hostile : toQueue) {
            queueOutcomes.put(hostile.name(), new QueueOutcome(refused.get(hostile.name()),
                    Optional.ofNullable(deadLetters.get(hostile.name()))));
        }
        inbox.finishWriting();
        awaitInbox(toInbox);
        for (HostileCase hostile : toInbox) {
            inboxOutcomes.put(hostile.name(), inboxOutcome(hostile, placed.get(hostile.name())));
        }
    }

    private List<HostileCase> casesOf(Route route, Predicate<Expectation> inRound) {
        return corpus.cases().stream().filter(hostile -> hostile.runsOn(route) && inRound.test(hostile.expected(route))).toList();
    }

    private byte[] body(HostileCase hostile, Route route) {
        return corpus.hasBody(hostile) ? corpus.body(hostile, route) : new byte[0];
    }

    /** Until every file the route is to read has left the inbox for processed/ or rejected/ (with its report). */
    private void awaitInbox(List<HostileCase> cases) throws InterruptedException {
        Instant deadline = Instant.now().plus(ROUND);
        List<HostileCase> read = cases.stream()
                .filter(hostile -> hostile.expected(Route.INBOX).kind() != Expectation.Kind.LEFT_UNREAD).toList();
        while (Instant.now().isBefore(deadline) && !read.stream().allMatch(this::answered)) {
            Thread.sleep(POLL_MILLIS);
        }
        // A file still unanswered then is recorded as such: its case fails, the others are judged.
    }

    private boolean answered(HostileCase hostile) {
        return Files.exists(running.layout.processed().resolve(hostile.fileName()))
                || (Files.exists(report(hostile)) && Files.exists(rejected(hostile), LinkOption.NOFOLLOW_LINKS));
    }

    private InboxOutcome inboxOutcome(HostileCase hostile, InboxDeliveries.Placed placed) throws Exception {
        Optional<JsonNode> report = Files.exists(report(hostile))
                ? Optional.of(new ObjectMapper().readTree(report(hostile).toFile())) : Optional.empty();
        Optional<Path> rejected = Optional.of(rejected(hostile)).filter(path -> Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        return new InboxOutcome(placed, report, rejected, Files.exists(running.layout.processed().resolve(hostile.fileName())));
    }

    private Path report(HostileCase hostile) {
        return running.layout.rejected().resolve(hostile.fileName() + ".error.json");
    }

    private Path rejected(HostileCase hostile) {
        return running.layout.rejected().resolve(hostile.fileName());
    }

    /** State files and ledger.qmd follow the log at checkpoints: written now, so that they show every case so far. */
    private FolderState settledState() throws Exception {
        running.service.store().checkpointNow();
        running.service.store().flushLedger();
        return FolderState.of(data);
    }

    InboxOutcome inbox(HostileCase hostile) {
        return inboxOutcomes.get(hostile.name());
    }

    QueueOutcome queue(HostileCase hostile) {
        return queueOutcomes.get(hostile.name());
    }

    FolderState beforeQuietRound() {
        return beforeQuietRound;
    }

    FolderState afterQuietRound() {
        return afterQuietRound;
    }

    FolderState afterAppliedRound() {
        return afterAppliedRound;
    }

    @Override
    public void close() throws java.io.IOException, jakarta.jms.JMSException {
        queue.close();
    }
}
