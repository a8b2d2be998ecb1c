package com.novotechno.collections.service.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.InvoiceMessage;
import com.novotechno.collections.domain.MessageParser;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.domain.Printable;
import com.novotechno.collections.ledger.LedgerRow;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.service.hostile.CorpusRun.InboxOutcome;
import com.novotechno.collections.service.hostile.CorpusRun.QueueOutcome;
import com.novotechno.collections.service.hostile.Expectation.Kind;
import com.novotechno.collections.state.HeldPayment;
import com.novotechno.collections.state.InvoiceRecord;
import com.novotechno.collections.state.InvoiceState;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.RunningService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus (src/test/resources/hostile/cases.tsv) through both routes of one real
 * running service: each case on each route is a test of its own, judged by the outcome cases.tsv
 * states beside it. The service runs once for them all, every case at once, so the corpus costs
 * seconds, not a service start a case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest extends CommandLineRunner {

    private static final int MINIMUM_CASES = 80;
    /** A how of the form "see Class#method" names a test of the service package that covers the case further. */
    private static final Pattern SEE = Pattern.compile("see (\\w+)#(\\w+)");

    @TempDir
    static Path data;

    /** Where links in the inbox point: outside the data folder, which the service must never read. */
    @TempDir
    static Path outside;

    private final HostileCorpus corpus = HostileCorpus.load();
    private final MessageParser parser = new MessageParser(Currency.getInstance("USD"));
    private RunningService running;
    private CorpusRun run;

    @BeforeAll
    void runEveryCaseThroughBothRoutes() throws Exception {
        // One queue consumer, the default: the run's fence relies on the queue being answered in order.
        running = RunningService.start(data, new FileSystemStorage(), Map.of(Settings.QUEUE_CONSUMERS, "1"));
        run = new CorpusRun(running, data, outside, corpus);
        run.run();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (run != null) {
                run.close();
            }
        } finally {
            if (running != null) {
                running.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> throughTheInbox() {
        return cases(Route.INBOX);
    }

    @TestFactory
    Stream<DynamicTest> throughTheQueue() {
        return cases(Route.QUEUE);
    }

    @Test
    void theCorpusHoldsAtLeast80CasesThroughBothRoutes() {
        assertThat(corpus.cases().stream().filter(hostile -> hostile.runsOn(Route.INBOX) && hostile.runsOn(Route.QUEUE)))
                .hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
    }

    @Test
    void theCasesThatChangeNothingLeftTheLogStateKeysAndLedgersByteForByte() {
        assertThat(run.beforeQuietRound().digests()).as("events.log, ledger.qmd, state/, keys/ and ledger/").isNotEmpty();
        assertThat(run.beforeQuietRound().differences(run.afterQuietRound()))
                .as("files changed by the rejected, duplicate and made-safe cases").isEmpty();
    }

    @Test
    void theAppliedCasesAddedALogLineEachAndLeftAFolderThatVerifiesAndReconciles() {
        long applied = Arrays.stream(Route.values()).mapToLong(route -> corpus.cases().stream()
                .filter(hostile -> hostile.runsOn(route) && hostile.expected(route).kind() == Kind.ACCEPTED).count()).sum();
        assertThat(run.afterAppliedRound().logLines()).hasSize(run.afterQuietRound().logLines().size() + (int) applied);
        assertThat(run("verify", "--data-dir", data.toString())).as(out + err).isZero();
        assertThat(run("reconcile", "--data-dir", data.toString())).as(out + err).isZero();
    }

    @Test
    void theTestsTheCorpusRefersToExist() throws Exception {
        for (HostileCase hostile : corpus.cases()) {
            for (Route route : Route.values()) {
                Optional<Matcher> see = hostile.expected(route).how().map(SEE::matcher).filter(Matcher::find);
                if (see.isPresent()) {
                    Class<?> test = Class.forName("com.novotechno.collections.service." + see.get().group(1));
                    assertThat(Arrays.stream(test.getDeclaredMethods()).map(java.lang.reflect.Method::getName))
                            .as(hostile + " refers to " + see.get().group()).contains(see.get().group(2));
                }
            }
        }
    }

    private Stream<DynamicTest> cases(Route route) {
        return corpus.cases().stream().filter(hostile -> hostile.runsOn(route))
                .map(hostile -> DynamicTest.dynamicTest(hostile.name(), () -> judgeNamed(hostile, route)));
    }

    /** The report lists dynamic tests by number: a failure names its case and route itself. */
    private void judgeNamed(HostileCase hostile, Route route) throws Exception {
        try {
            judge(hostile, route);
        } catch (AssertionError failure) {
            throw new AssertionError(hostile + " [" + route + "] (" + hostile.why() + "): " + failure.getMessage(), failure);
        }
    }

    private void judge(HostileCase hostile, Route route) throws Exception {
        Expectation expected = hostile.expected(route);
        switch (expected.kind()) {
            case REJECTED -> {
                String reason = route == Route.INBOX ? inboxRejection(hostile) : queueRejection(hostile);
                assertThat(reason).as("the reason").contains(route.substitute(hostile.name(), expected.reason()));
                assertThat(reason.codePoints().filter(Printable::isUnsafe)).as("control or format characters in " + reason)
                        .isEmpty();
                assertChangedNothing(hostile, route);
            }
            case DUPLICATE -> {
                assertTaken(hostile, route);
                assertChangedNothing(hostile, route);
            }
            case ACCEPTED -> {
                assertTaken(hostile, route);
                assertEffect(hostile, route, expected.effect());
            }
            case LEFT_UNREAD -> {
                InboxOutcome outcome = run.inbox(hostile);
                assertThat(outcome.placed().entry()).as("left in the inbox").hasBinaryContent(corpus.body(hostile, route));
                assertThat(outcome.report()).isEmpty();
                assertThat(outcome.processed()).isFalse();
                assertChangedNothing(hostile, route);
            }
            case REFUSED_AT_SEND -> {
                QueueOutcome outcome = run.queue(hostile);
                assertThat(outcome.refusedAtSend()).as("the broker's refusal").isPresent();
                assertThat(outcome.deadLetter()).isEmpty();
                assertChangedNothing(hostile, route);
            }
            case NOT_APPLICABLE -> throw new AssertionError("not run on " + route);
        }
        if (expected.how().isPresent()) {
            assertMadeSafe(hostile, expected.how().get());
        }
    }

    /** The reason in rejected/&lt;file&gt;.error.json, beside the file moved there. */
    private String inboxRejection(HostileCase hostile) throws java.io.IOException {
        InboxOutcome outcome = run.inbox(hostile);
        assertThat(outcome.report()).as("rejected/" + hostile.fileName() + ".error.json"
                + (outcome.processed() ? ", but it was applied" : "")).isPresent();
        assertThat(outcome.rejected()).as("the file in rejected/").isPresent();
        assertThat(outcome.report().get().get("file").asText()).isEqualTo(hostile.fileName());
        if (hostile.delivery().equals(HostileCase.PLAIN)) {
            assertThat(Files.readAllBytes(outcome.rejected().get())).as("the rejected file, as sent")
                    .isEqualTo(corpus.body(hostile, Route.INBOX));
        }
        return outcome.report().get().get("reason").asText();
    }

    /** The reason on the dead letter, which the route sent on the first delivery with the body as it came. */
    private String queueRejection(HostileCase hostile) {
        QueueOutcome outcome = run.queue(hostile);
        assertThat(outcome.refusedAtSend()).as("refused at send").isEmpty();
        assertThat(outcome.deadLetter()).as("a dead letter").isPresent();
        QueueDeliveries.DeadLetter dead = outcome.deadLetter().get();
        assertThat(dead.reason()).as("CollectionsRejectReason: rejected by the service, not dead-lettered after the broker's"
                + " retries (delivery " + dead.deliveryCount() + ")").isNotNull();
        assertThat(dead.deliveryCount()).as("dead-lettered on its first delivery").isEqualTo(1);
        if (hostile.delivery().equals(HostileCase.PLAIN) || hostile.delivery().startsWith("stomp")) {
            assertThat(dead.body()).as("the body, unchanged").isEqualTo(corpus.body(hostile, Route.QUEUE));
        }
        return dead.reason();
    }

    private void assertTaken(HostileCase hostile, Route route) {
        if (route == Route.INBOX) {
            InboxOutcome outcome = run.inbox(hostile);
            assertThat(outcome.report()).as("a rejection").isEmpty();
            assertThat(outcome.processed()).as("processed/" + hostile.fileName()).isTrue();
        } else {
            QueueOutcome outcome = run.queue(hostile);
            assertThat(outcome.refusedAtSend()).as("refused at send").isEmpty();
            assertThat(outcome.deadLetter()).as("a dead letter").isEmpty();
        }
    }

    /** The case's own files and log lines as they were before it, and (checked once for all) everything else too. */
    private void assertChangedNothing(HostileCase hostile, Route route) {
        String client = route.client(hostile.name());
        assertThat(run.afterQuietRound().filesOf(client)).as("the files of " + client)
                .isEqualTo(run.beforeQuietRound().filesOf(client));
        assertThat(run.afterQuietRound().logLinesOf(client)).as("the log lines of " + client)
                .isEqualTo(run.beforeQuietRound().logLinesOf(client));
    }

    /** status, balance and currency as stated, the other keys where stated; one log line; the ledger row to match. */
    private void assertEffect(HostileCase hostile, Route route, Map<String, String> effect) throws Exception {
        InvoiceMessage message = parser.parse(corpus.body(hostile, route));
        InvoiceKey key = message.invoice().isWholeClient() ? new InvoiceKey(message.invoice().client(), "INV-1") : message.invoice();
        assertThat(run.afterAppliedRound().logLines().stream()
                .filter(line -> line.contains("\"message_id\":\"" + message.messageId() + "\""))).as("its log lines").hasSize(1);
        Optional<InvoiceState> state = running.service.store().find(key);
        String status = effect.get("status");
        if ("none".equals(status)) {
            assertThat(state).as(key + ", no invoice").isEmpty();
        } else if (status != null) {
            assertThat(state).as(key.toString()).isPresent();
            assertThat(state.get().status().wireName()).as("status").isEqualTo(status);
            assertThat(state.get().balance().toPlainString()).as("balance").isEqualTo(effect.get("balance"));
            assertThat(state.get().balance().currency().getCurrencyCode()).as("currency").isEqualTo(effect.get("currency"));
            assertLedgerRow(state.get());
        }
        if (effect.containsKey("held")) {
            assertThat(heldSum(key, false)).as("held for it").isEqualTo(effect.get("held") + " " + effect.get("currency"));
        }
        if (effect.containsKey("to_refund")) {
            assertThat(heldSum(key, true)).as("held to refund").isEqualTo(effect.get("to_refund") + " " + effect.get("currency"));
        }
        if (effect.containsKey("reminders")) {
            assertThat(state.orElseThrow().reminders()).as("reminders").hasSize(Integer.parseInt(effect.get("reminders")));
        }
        if (effect.containsKey("erased")) {
            String client = key.client();
            assertThat(data.resolve("keys").resolve(client + ".erased")).as("the erasure's mark").exists();
            assertThat(DataFolders.filesContaining(data, "ap@" + client + ".example")).as("files with the address").isEmpty();
        }
    }

    /** The ledger, written at the end of the run, parses back with the invoice in its status's section, as the state has it. */
    private void assertLedgerRow(InvoiceState state) throws Exception {
        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.checksumFaults()).as("ledger.qmd's checksums").isEmpty();
        LedgerSection section = LedgerSection.valueOf(state.status().name());
        Optional<LedgerRow> row = ledger.content().rows().get(section).stream().filter(r -> r.key().equals(state.key())).findFirst();
        assertThat(row).as(state.key() + " in " + section).isPresent();
        assertThat(row.get().balance()).isEqualTo(state.balance());
        if (state.escalationReason().isPresent() && section == LedgerSection.ESCALATED) {
            assertThat(row.get().reason()).as("its reason, whole in one row").isEqualTo(state.escalationReason());
        }
    }

    private String heldSum(InvoiceKey key, boolean toRefund) {
        List<HeldPayment> held = running.service.store().unapplied().stream().filter(record -> record.key().equals(key))
                .map(InvoiceRecord::unapplied).flatMap(List::stream).filter(payment -> payment.toRefund() == toRefund).toList();
        return held.stream().map(HeldPayment::amount).reduce(Money::plus).map(Money::toString).orElse("none");
    }

    /** The hows that say more than their outcome; any other is prose beside an outcome checked already. */
    private void assertMadeSafe(HostileCase hostile, String how) throws Exception {
        switch (how) {
            case Expectation.MOVED_ASIDE -> {
                InboxOutcome outcome = run.inbox(hostile);
                Path entry = outcome.rejected().orElseThrow();
                assertThat(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)).as(entry + " is the entry itself, not a copy")
                        .isFalse();
                if (outcome.placed().outside().isPresent()) {
                    assertOutsideUntouched(outcome.placed());
                    String firstLine = new String(outcome.placed().outsideBytes(), StandardCharsets.UTF_8).lines().findFirst()
                            .orElseThrow();
                    assertThat(DataFolders.filesContaining(data, firstLine)).as("files in the data folder holding the target")
                            .isEmpty();
                }
            }
            case Expectation.OTHER_NAME_KEPT -> assertOutsideUntouched(run.inbox(hostile).placed());
            case Expectation.NOT_DESERIALISED -> assertThat(QueueDeliveries.Tripwire.deserialised)
                    .as("the object was read back").isFalse();
            default -> {
                // prose: the outcome after it says what is checked
            }
        }
    }

    /** A link's target, or a hard link's other name: where it was, with the bytes it had. */
    private static void assertOutsideUntouched(InboxDeliveries.Placed placed) {
        assertThat(placed.outside()).as("a file outside the data folder").isPresent();
        assertThat(placed.outside().get()).as("the file outside").hasBinaryContent(placed.outsideBytes());
    }

}
