package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.novotechno.collections.integrity.FolderKeying;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceProcess;
import com.novotechno.collections.testing.Stores;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service process ({@code run}, the embedded broker, the routes) killed with SIGKILL at
 * random moments, again and again, while the test feeds it mixed traffic through the inbox and the
 * queue and plays the emailer: during start-up (recovery), mid-traffic (in applies, checkpoints and
 * the routes' ticks), and in the stop a SIGTERM began (its flush, clean checkpoint and snapshot).
 * After the last kill one more run finishes everything; then every accepted message must be in the
 * log exactly once, every invalid one refused with its reason, every dunning request taken by the
 * emailer once, and the folder must verify, reconcile and replay.
 */
class ServiceKillTest {

    private static final long SEED = Long.getLong("collections.service.seed", 20261203L);
    /** A few in the regular suite; the long run: -Dcollections.service.kills=1000 (see the README). */
    private static final int KILLS = Integer.getInteger("collections.service.kills", 12);
    private static final int INVOICES_PER_ROUND = 5;
    /** Every so many kills the killed folder is checked, and a long run says how far it got. */
    private static final int PROGRESS_EVERY = Math.max(1, Math.min(50, KILLS / 2));
    /**
     * A kill this long after "running" at most: the files dropped then are read once a second old, so
     * most kills find traffic in flight.
     */
    private static final int RUNNING_MILLIS = 2_000;
    private static final int START_UP_MILLIS = 3_500;
    private static final int STOP_MILLIS = 1_000;
    /** How long a kill waits for a checkpoint or snapshot to begin before it comes anyway. */
    private static final long WRITE_WAIT_MILLIS = 3_000;
    /** The relay ticks every 5 s: a log quiet for longer has nothing left to emit. */
    private static final Duration QUIET = Duration.ofSeconds(7);

    @TempDir
    Path work;

    @Test
    void killedAtRandomMomentsTheServiceAppliesEveryAcceptedMessageOnceAndRefusesEveryInvalidOne() throws Exception {
        long started = System.nanoTime();
        Path data = work.resolve("data");
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        Path linked = Files.createDirectories(work.resolve("linked"));
        Random random = new Random(SEED);
        KillTraffic traffic = KillTraffic.plan(SEED, KILLS, INVOICES_PER_ROUND);
        String[] settings = {
                "--collections.dunning.schedule=" + KillTraffic.dunningSchedule(LocalDate.now(ZoneOffset.UTC)),
                "--collections.dunning.min-gap-days=0",
                "--collections.dunning.skip-days=",
                // The reconcile and state-audit routes tick within a round, so kills land in them too.
                "--collections.reconcile.period=2s",
                "--collections.reconcile.full-period=1m",
                // The folder's MAC key beside it in the test's folder, not in the user's configuration directory.
                keyFileSetting()};
        Set<String> validIds = traffic.all().stream().filter(KillTraffic.Delivery::valid)
                .map(d -> d.messageId().orElseThrow()).collect(Collectors.toSet());
        KillTally tally = new KillTally();
        Set<String> dropped = new HashSet<>();

        try (QueueFeeder feeder = new QueueFeeder(data); EmailerRole emailer = new EmailerRole(data)) {
            feeder.start();
            emailer.start();
            for (int round = 0; round < KILLS; round++) {
                List<KillTraffic.Delivery> share = traffic.rounds.get(round);
                feeder.add(share);
                int port = RunningService.freePort();
                String name = "run-" + round;
                Process service = ServiceProcess.launch(work, name, data, port, settings);
                // Half the files wait in the inbox for the start, half come while the service runs (or starts).
                int half = share.size() / 2;
                drop(inbox, linked, share.subList(0, half), dropped);
                KillMoment moment = KillMoment.pick(random);
                if (moment == KillMoment.START_UP) {
                    Thread.sleep(random.nextInt(START_UP_MILLIS));
                    drop(inbox, linked, share.subList(half, share.size()), dropped);
                } else {
                    ServiceProcess.awaitRunning(work, name, service);
                    feeder.up(round, port);
                    emailer.up(round, port);
                    drop(inbox, linked, share.subList(half, share.size()), dropped);
                    awaitTheMoment(moment, data, service, random);
                }
                tally.count(moment, !ServiceProcess.saysRunning(work, name));
                Set<String> delivered = delivered(traffic, dropped, feeder);
                service.destroyForcibly(); // SIGKILL: no hook, no flush
                assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
                feeder.down();
                emailer.down();
                assertThat(service.exitValue()).as("run %d's exit: %s", round, ServiceProcess.errorOutput(work, name))
                        .isIn(0, 137);
                countCutWrites(data, tally);
                if (!loggedIds(data).containsAll(delivered)) {
                    tally.midTraffic++;
                }
                if ((round + 1) % PROGRESS_EVERY == 0) {
                    assertKilledFolderSoundSoFar(data, tally, started);
                }
            }

            // One more run, not killed: it finishes the traffic, the last round's share with it.
            List<KillTraffic.Delivery> last = traffic.rounds.get(KILLS);
            feeder.add(last);
            drop(inbox, linked, last, dropped);
            int port = RunningService.freePort();
            Process service = ServiceProcess.start(work, "final", data, port, settings);
            feeder.up(KILLS, port);
            emailer.up(KILLS, port);
            List<Message> deadLetters;
            try (Connection operator = RunningService.connect(data, port, BrokerCredentials.OPERATOR)) {
                operator.start();
                Session session = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
                awaitSettled(data, inbox, session, feeder, emailer, validIds);
                deadLetters = takeAll(session, "collections.invoices.DLQ");
            }
            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(service.exitValue()).as(ServiceProcess.errorOutput(work, "final")).isZero();
            feeder.down();
            emailer.down();
            feeder.close();
            emailer.close();

            assertTheOutcome(data, traffic, validIds, feeder, emailer, deadLetters, tally,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Path keyFile() {
        return work.resolve("mac.key");
    }

    private String keyFileSetting() {
        return "--collections.mac.key-file=" + keyFile();
    }

    /** The folder as verify sees it: its files checked under its MAC key too. */
    private DataLayout keyedLayout(Path data) throws IOException {
        return new DataLayout(data).withKeying(FolderKeying.forReader(keyFile(), notice -> { }));
    }

    /** Where in a run the kill comes, and how often (weights out of 20). */
    enum KillMoment {
        /** In recovery, the broker's start or the routes' start. */
        START_UP(3),
        /** At a random moment of the traffic, the routes' ticks and the background checkpoints. */
        RUNNING(9),
        /** As soon as a background checkpoint is seen writing its file. */
        CHECKPOINT(3),
        /** At a random moment after a SIGTERM: in the drain, the ledger's flush, the clean checkpoint or snapshot. */
        STOP(2),
        /** As soon as the snapshot a SIGTERM's stop writes is seen being written. */
        SNAPSHOT(3);

        private final int weight;

        KillMoment(int weight) {
            this.weight = weight;
        }

        static KillMoment pick(Random random) {
            int ticket = random.nextInt(Arrays.stream(values()).mapToInt(m -> m.weight).sum());
            for (KillMoment moment : values()) {
                ticket -= moment.weight;
                if (ticket < 0) {
                    return moment;
                }
            }
            throw new AssertionError("weights add up");
        }
    }

    /** Waits, with the service running, for the moment to kill it. */
    private static void awaitTheMoment(KillMoment moment, Path data, Process service, Random random) throws Exception {
        switch (moment) {
            case START_UP -> throw new IllegalArgumentException("a start-up kill does not wait for the service to run");
            case RUNNING -> Thread.sleep(random.nextInt(RUNNING_MILLIS));
            case CHECKPOINT -> awaitWriteOf(data, ".checkpoint.json.");
            case STOP -> {
                service.destroy(); // SIGTERM: the kill lands in the stop, or after it
                Thread.sleep(random.nextInt(STOP_MILLIS));
            }
            case SNAPSHOT -> {
                Thread.sleep(random.nextInt(RUNNING_MILLIS));
                service.destroy();
                awaitWriteOf(data, ".snapshot.bin.");
            }
        }
    }

    /** Until a temporary file of that name shows in the data folder (an atomic write under way), or the wait is over. */
    private static void awaitWriteOf(Path data, String tmpPrefix) throws Exception {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITE_WAIT_MILLIS);
        while (System.nanoTime() < until) {
            try (Stream<Path> files = Files.list(data)) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith(tmpPrefix))) {
                    return;
                }
            }
            Thread.sleep(1);
        }
    }

    /**
     * What holds of a killed folder at any moment: no message id twice in the log, and nothing verify
     * finds (it leaves what came after the last checkpoint to the next start). Printed, so that a long
     * run stopped before its end still says how far it got, and that all was sound that far.
     */
    private void assertKilledFolderSoundSoFar(Path data, KillTally tally, long started) throws IOException {
        List<String> twice = loggedIdCounts(data).entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        List<String> faults = new StoreVerifier(new FileSystemStorage(), keyedLayout(data)).verify().faults();
        System.out.printf("service kills: %,d of %,d, %,d mid-traffic, %ds; so far twice %d, corrupt %d%n", tally.kills, KILLS,
                tally.midTraffic, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), twice.size(), faults.size());
        assertThat(twice).as("message ids twice in the log after kill %d", tally.kills).isEmpty();
        assertThat(faults).as("verify after kill %d", tally.kills).isEmpty();
    }

    /** Drops the round's files into the inbox, each written whole under another name first; a link as a link. */
    private static void drop(Path inbox, Path linked, List<KillTraffic.Delivery> share, Set<String> dropped)
            throws IOException {
        for (KillTraffic.Delivery delivery : share) {
            if (delivery.channel() != KillTraffic.Channel.FILE) {
                continue;
            }
            if (delivery.symlink()) {
                Path target = Files.write(linked.resolve(delivery.fileName()), delivery.body());
                Files.createSymbolicLink(inbox.resolve(delivery.fileName()), target);
            } else {
                RunningService.drop(inbox, delivery.fileName(), delivery.body());
            }
            delivery.messageId().filter(id -> delivery.valid()).ifPresent(dropped::add);
        }
    }

    /** The accepted messages delivered so far: their files dropped, or their sends confirmed by the broker. */
    private static Set<String> delivered(KillTraffic traffic, Set<String> dropped, QueueFeeder feeder) {
        Set<String> delivered = new HashSet<>(dropped);
        traffic.all().stream().filter(d -> d.valid() && feeder.confirmed(d))
                .forEach(d -> delivered.add(d.messageId().orElseThrow()));
        return delivered;
    }

    /** An atomic write the kill cut short leaves its temporary file until the next start sweeps it. */
    private static void countCutWrites(Path data, KillTally tally) throws IOException {
        boolean checkpoint = false;
        boolean snapshot = false;
        boolean other = false;
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(FileSystemStorage.TMP_SUFFIX) || file.startsWith(data.resolve("broker"))
                        || file.startsWith(data.resolve("inbox"))) {
                    continue;
                }
                checkpoint |= name.startsWith(".checkpoint.json.");
                snapshot |= name.startsWith(".snapshot.bin.");
                other |= !name.startsWith(".checkpoint.json.") && !name.startsWith(".snapshot.bin.");
            }
        }
        tally.inCheckpointWrite += checkpoint ? 1 : 0;
        tally.inSnapshotWrite += snapshot ? 1 : 0;
        tally.inOtherWrite += other ? 1 : 0;
    }

    private static Set<String> loggedIds(Path data) throws IOException {
        return loggedIdCounts(data).keySet();
    }

    /** The message ids of the log's whole lines, each with how often, read as the file is (a kill may leave half a line). */
    private static Map<String, Integer> loggedIdCounts(Path data) throws IOException {
        Path log = data.resolve("events.log");
        Map<String, Integer> ids = new HashMap<>();
        if (!Files.exists(log)) {
            return ids;
        }
        String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
        String key = "\"message_id\":\"";
        int lineStart = 0;
        for (int end = text.indexOf('\n'); end >= 0; lineStart = end + 1, end = text.indexOf('\n', lineStart)) {
            int at = text.indexOf(key, lineStart);
            if (at >= 0 && at < end) {
                int from = at + key.length();
                ids.merge(text.substring(from, text.indexOf('"', from)), 1, Integer::sum);
            }
        }
        return ids;
    }

    /**
     * Waits until the last run has done everything: nothing left to send or in the inbox or on either
     * queue, every accepted message and every answer of the emailer in the log, and the log quiet for
     * longer than the relay's tick.
     */
    private static void awaitSettled(Path data, Path inbox, Session operator, QueueFeeder feeder, EmailerRole emailer,
                                     Set<String> validIds) {
        long[] lastLength = {-1};
        long[] quietSince = {System.nanoTime()};
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long length = Files.size(data.resolve("events.log"));
            if (length != lastLength[0]) {
                lastLength[0] = length;
                quietSince[0] = System.nanoTime();
                return false;
            }
            Set<String> logged = loggedIds(data);
            return feeder.idle() && DataFolders.filesUnder(inbox).isEmpty() && logged.containsAll(validIds)
                    && logged.containsAll(emailer.answered()) && emailer.idleNanos() > QUIET.toNanos()
                    && System.nanoTime() - quietSince[0] > QUIET.toNanos()
                    && waiting(operator, "collections.invoices") == 0;
        });
    }

    private static int waiting(Session session, String queue) throws Exception {
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    private static List<Message> takeAll(Session session, String queue) throws Exception {
        List<Message> taken = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            Message message;
            while ((message = consumer.receive(2_000)) != null) {
                taken.add(message);
            }
        }
        return taken;
    }

    private void assertTheOutcome(Path data, KillTraffic traffic, Set<String> validIds, QueueFeeder feeder,
                                  EmailerRole emailer, List<Message> deadLetters, KillTally tally, Duration elapsed)
            throws Exception {
        FileSystemStorage storage = new FileSystemStorage();
        DataLayout layout = keyedLayout(data);
        List<LogEntry> entries = new ArrayList<>();
        EventLog.replay(storage, layout.eventLog(), 0, entries::add);
        List<String> messageIds = entries.stream().map(LogEntry::messageId).filter(id -> !id.startsWith("@")).toList();
        Set<String> expected = new HashSet<>(validIds);
        expected.addAll(emailer.answered());
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(messageIds);
        Map<String, Long> counts = entries.stream().collect(Collectors.groupingBy(LogEntry::messageId, Collectors.counting()));
        List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        StoreVerifier.Report verified = new StoreVerifier(storage, layout).verify();
        var differences = new Reconciler(storage, layout).reconcile(Reconciler.Mode.AT_REST).differences();
        List<Path> temporary = Stores.temporaryFiles(data);
        int corrupt = verified.faults().size() + differences.size() + temporary.size();
        List<KillTraffic.Delivery> all = traffic.all();
        int invalid = (int) all.stream().filter(d -> !d.valid()).count();
        int duplicates = all.size() - invalid - validIds.size();
        Map<String, JsonNode> requests = emailer.requests();
        long revocations = requests.keySet().stream().filter(key -> key.endsWith(":reminder.revoked")).count();
        System.out.println(tally.figures(all.size(), invalid, duplicates, requests.size() - (int) revocations,
                (int) revocations, emailer.repeatsAfterCommit().size(), lost.size(), twice.size(), corrupt, elapsed));

        assertThat(lost).as("accepted messages missing from the log").isEmpty();
        assertThat(twice).as("messages applied twice").isEmpty();
        assertThat(verified.faults()).as("verify").isEmpty();
        assertThat(differences).as("reconcile").isEmpty();
        assertThat(temporary).as("temporary files left").isEmpty();
        // An answer whose commit a kill cut off may have reached the broker or not: it may be in the log, once.
        Set<String> allowed = new HashSet<>(validIds);
        allowed.addAll(emailer.answersSent());
        assertThat(allowed).as("the log holds the accepted messages and the emailer's answers, nothing else")
                .containsAll(messageIds);
        assertThat(ServiceProcess.exitOf(work, "verify", data, keyFileSetting())).as(Files.readString(work.resolve("verify.out")))
                .isZero();
        assertThat(ServiceProcess.exitOf(work, "reconcile", data, keyFileSetting()))
                .as(Files.readString(work.resolve("reconcile.out"))).isZero();
        assertThat(tally.midTraffic).as("kills that hit traffic in flight").isGreaterThan(KILLS / 4);

        // Recovery leaves nothing for the audits to find: every difference they raise is an alert file.
        assertThat(DataFolders.filesUnder(layout.alerts())).as("alerts").noneMatch(alert -> alert.toString().startsWith("reconcile.")
                || alert.toString().startsWith("state-audit."));
        KillOutcome.assertInvalidRefusedWithTheirReasons(data, all, feeder, deadLetters);
        KillOutcome.assertStateFiles(data, traffic, requests, Set.copyOf(messageIds));
        int unrecorded = KillOutcome.assertDunningEmittedOnce(layout, entries, emailer);
        System.out.printf("dunning: %,d emissions taken by the emailer that the log never recorded (a kill between the"
                + " send and its record)%n", unrecorded);
        KillOutcome.assertLedgerTotals(data, traffic);
        assertThat(verified.stateFiles()).isEqualTo(traffic.invoices.size() + traffic.dunned.size());
        // Under the same key: the state files, snapshot and period files carry its MACs.
        assertThat(Stores.assertReplayReproducesState(data, work.resolve("replayed"), Stores.SETTINGS.withMacKeyFile(keyFile())))
                .isEqualTo(entries.size());
    }
}
