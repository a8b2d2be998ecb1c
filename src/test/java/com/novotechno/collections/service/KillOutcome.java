package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.camel.QueueIntake;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningRequest;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.LedgerSnapshot;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.state.CrashStream;
import com.novotechno.collections.state.DunningStep;
import com.novotechno.collections.state.InvoiceFiles;
import com.novotechno.collections.state.InvoiceState;
import com.novotechno.collections.state.InvoiceStatus;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.RunningService;
import jakarta.jms.Message;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the service kill test's folder, dead-letter queue and emailer must show once the last run has
 * finished the traffic: the invalid messages refused with their reasons, every state file and the
 * ledger's totals as the plan adds them up, and every dunning emission taken once.
 */
final class KillOutcome {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KillOutcome() {
    }

    /** Files in rejected/ with their reports, queue messages in the dead-letter queue with theirs, and nothing else there. */
    static void assertInvalidRefusedWithTheirReasons(Path data, List<KillTraffic.Delivery> all, QueueFeeder feeder,
                                                     List<Message> deadLetters) throws Exception {
        Map<String, List<String>> rejected = byDeliveredName(data.resolve("rejected"));
        Map<String, List<String>> processed = byDeliveredName(data.resolve("processed"));
        Map<String, List<String>> deadReasons = new HashMap<>();
        for (Message message : deadLetters) {
            deadReasons.computeIfAbsent(RunningService.bodyOf(message), body -> new ArrayList<>())
                    .add(message.getStringProperty(QueueIntake.REJECT_REASON));
        }
        int invalidOnQueue = 0;
        for (KillTraffic.Delivery delivery : all) {
            String body = new String(delivery.body(), StandardCharsets.UTF_8);
            if (delivery.channel() == KillTraffic.Channel.FILE) {
                if (delivery.valid()) {
                    assertThat(processed).as("processed/").containsKey(delivery.fileName());
                    assertThat(rejected).as("rejected/").doesNotContainKey(delivery.fileName());
                    continue;
                }
                assertThat(processed).as("processed/").doesNotContainKey(delivery.fileName());
                assertThat(rejected).as("rejected/").containsKey(delivery.fileName());
                for (String moved : rejected.get(delivery.fileName())) {
                    JsonNode report = JSON.readTree(data.resolve("rejected").resolve(moved + ".error.json").toFile());
                    assertThat(report.path("reason").asText()).as(moved).contains(delivery.reason().orElseThrow());
                }
            } else if (delivery.valid()) {
                assertThat(deadReasons).as("a dead letter of an accepted message").doesNotContainKey(body);
            } else {
                invalidOnQueue++;
                assertThat(deadReasons).as("dead letters").containsKey(body);
                assertThat(deadReasons.get(body)).allSatisfy(reason -> assertThat(reason).contains(delivery.reason().orElseThrow()));
            }
        }
        // A send a kill cut off was sent again: a refused one may be dead-lettered twice, no more.
        assertThat(deadLetters.size()).isBetween(invalidOnQueue, invalidOnQueue + feeder.resent());
    }

    /**
     * Files of a folder by the name they were delivered under: a name taken there gets the time and maybe a counter
     * ({@code a.20261127T150102.345Z.json}, {@code a.20261127T150102.345Z-2.json}; see FreeName).
     */
    private static Map<String, List<String>> byDeliveredName(Path folder) throws IOException {
        Map<String, List<String>> names = new TreeMap<>();
        for (Path file : DataFolders.filesUnder(folder)) {
            String name = file.toString();
            if (!name.endsWith(".error.json")) {
                names.computeIfAbsent(name.replaceFirst("\\.\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?\\.json$", ".json"), n -> new ArrayList<>()).add(name);
            }
        }
        return names;
    }

    static void assertStateFiles(Path data, KillTraffic traffic, Map<String, JsonNode> requests, Set<String> logged)
            throws IOException {
        InvoiceFiles files = new InvoiceFiles(new FileSystemStorage(), new DataLayout(data));
        for (CrashStream.InvoicePlan plan : traffic.invoices) {
            InvoiceKey key = new InvoiceKey(plan.client(), plan.invoice());
            InvoiceFiles.Stored stored = storedWithAmounts(files, key, plan.amount(), plan.balance());
            InvoiceState state = stored.state();
            assertThat(state.status()).as("%s status", key).isEqualTo(plan.status());
            assertThat(stored.location() == InvoiceFiles.Location.ARCHIVE).as("%s archived", key).isEqualTo(!plan.status().isOpen());
            assertThat(state.reminders()).as("%s reminders", key).hasSize(plan.reminders());
            assertThat(state.dunning()).as("%s is not dunned", key).isEmpty();
        }
        List<String> ladder = List.of("reminder", "final_notice", "escalate");
        for (KillTraffic.DunnedInvoice plan : traffic.dunned) {
            InvoiceKey key = new InvoiceKey(plan.client(), plan.invoice());
            InvoiceFiles.Stored stored = storedWithAmounts(files, key, plan.amount(), plan.balance());
            InvoiceState state = stored.state();
            List<String> levels = state.dunning().stream().map(DunningStep::level).toList();
            assertThat(ladder.subList(0, levels.size())).as("%s climbs the ladder in order", key).isEqualTo(levels);
            boolean paidOff = plan.balance().signum() == 0;
            InvoiceStatus status = paidOff ? InvoiceStatus.PAID
                    : levels.contains("escalate") ? InvoiceStatus.ESCALATED : InvoiceStatus.UNPAID;
            assertThat(state.status()).as("%s status", key).isEqualTo(status);
            assertThat(stored.location() == InvoiceFiles.Location.ARCHIVE).as("%s archived", key).isEqualTo(paidOff);
            for (DunningStep step : state.dunning()) {
                assertThat(step.requestId()).isEqualTo(DunningRequest.idFor(key, step.level()));
                boolean taken = requests.containsKey(step.requestId() + ":" + step.requestType());
                assertThat(taken || step.emittedAttempts() == 0).as("%s's emitted request %s taken", key, step.level()).isTrue();
                // The emailer answers the requests it takes (but a third), and the answer acknowledges it, closed
                // invoice or not.
                assertThat(step.acknowledged()).as("%s's request %s acknowledged", key, step.level())
                        .isEqualTo(taken && !EmailerRole.leavesUnanswered(step.requestId()));
            }
            assertThat(state.reminders()).as("%s's reminders are the emailer's answers", key).hasSize((int) state.dunning()
                    .stream().filter(step -> logged.contains(EmailerRole.answerId(step.requestId()))).count());
        }
    }

    /** The invoice's state file, which must be there, with the amount and balance the plan adds up to. */
    private static InvoiceFiles.Stored storedWithAmounts(InvoiceFiles files, InvoiceKey key, BigDecimal amount, BigDecimal balance)
            throws IOException {
        InvoiceFiles.Stored stored = files.read(key).orElseThrow(() -> new AssertionError(key + " has no state file"));
        assertThat(stored.state().amount().amount()).as("%s amount", key).isEqualByComparingTo(amount);
        assertThat(stored.state().balance().amount()).as("%s balance", key).isEqualByComparingTo(balance);
        return stored;
    }

    /**
     * Each emission in the log was its first attempt (none for want of an answer) and reached the
     * emailer, which took nothing again once its take was committed, and nothing the log did not
     * decide; each request it took has its outbox file. The emailer may hold a request whose emission
     * the log never recorded: the kill came between the broker's confirmation and the record, and the
     * emailer's answer came before the next relay tick. Returns how many.
     */
    static int assertDunningEmittedOnce(DataLayout layout, List<LogEntry> entries, EmailerRole emailer) {
        Set<String> decided = new HashSet<>();
        Set<String> emitted = new HashSet<>();
        for (LogEntry entry : entries) {
            if (entry.messageId().startsWith("@dunning:")) {
                decided.add(entry.messageId().substring("@dunning:".length()));
            } else if (entry.messageId().startsWith("@emitted:")) {
                String duplicateId = entry.messageId().substring("@emitted:".length());
                assertThat(duplicateId).as("emitted once, not again for want of an answer").endsWith(":1");
                emitted.add(duplicateId.substring(0, duplicateId.length() - ":1".length()));
            }
        }
        Set<String> taken = emailer.taken();
        assertThat(taken).as("emissions the emailer took").containsAll(emitted);
        assertThat(emailer.repeatsAfterCommit()).as("requests that came again after their take was committed").isEmpty();
        for (String key : taken) {
            String requestId = key.substring(0, key.indexOf(':'));
            assertThat(decided).as("the log decided what the emailer took").contains(requestId);
            String file = key.endsWith(":reminder.revoked") ? requestId + ".revoked.json" : requestId + ".json";
            assertThat(layout.outbox().resolve(file)).as("outbox file of " + key).exists();
        }
        assertThat(emitted).as("the dunned invoices were dunned").isNotEmpty();
        assertNoReminderHeldForAClosedInvoice(layout, emailer);
        Set<String> unrecorded = new HashSet<>(taken);
        unrecorded.removeAll(emitted);
        return unrecorded.size();
    }

    /**
     * The emailer holds no request for an invoice that closed before it answered, unless it also took the
     * revocation: a customer who paid is not reminded (CONTRACT section 3, "Revocation"), also when a kill
     * came between a request's send and its record.
     */
    private static void assertNoReminderHeldForAClosedInvoice(DataLayout layout, EmailerRole emailer) {
        InvoiceFiles files = new InvoiceFiles(new FileSystemStorage(), layout);
        Set<String> taken = emailer.taken();
        emailer.requests().forEach((key, request) -> {
            String requestId = request.path("request_id").asText();
            if (key.endsWith(":reminder.revoked")) {
                return;
            }
            InvoiceState state = read(files, new InvoiceKey(request.path("client").asText(),
                    request.path("invoice_number").asText()));
            DunningStep step = state.dunningStep(requestId).orElseThrow();
            if (!state.status().isOpen() && !step.acknowledged()) {
                assertThat(taken).as("%s, taken, unanswered, its invoice %s: revoked", key, state.status())
                        .contains(requestId + ":reminder.revoked");
            }
        });
    }

    private static InvoiceState read(InvoiceFiles files, InvoiceKey key) {
        try {
            return files.read(key).orElseThrow().state();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each section's totals per currency as the plan adds them up (the dunned invoices' open section as dunning left it). */
    static void assertLedgerTotals(Path data, KillTraffic traffic) throws IOException {
        LedgerSnapshot ledger = Ledgers.parse(data).content();
        Map<LedgerSection, Map<Currency, BigDecimal[]>> expected = new EnumMap<>(LedgerSection.class);
        for (CrashStream.InvoicePlan plan : traffic.invoices) {
            add(expected, plan.status(), plan.currency(), plan.amount(), plan.balance());
        }
        InvoiceFiles files = new InvoiceFiles(new FileSystemStorage(), new DataLayout(data));
        for (KillTraffic.DunnedInvoice plan : traffic.dunned) {
            InvoiceStatus status = files.read(new InvoiceKey(plan.client(), plan.invoice())).orElseThrow().state().status();
            add(expected, status, plan.currency(), plan.amount(), plan.balance());
        }
        for (LedgerSection section : LedgerSection.values()) {
            Map<Currency, CurrencyTotals> totals = ledger.totals().get(section);
            Map<Currency, BigDecimal[]> sums = expected.getOrDefault(section, Map.of());
            assertThat(totals.keySet()).as("%s currencies", section).isEqualTo(sums.keySet());
            sums.forEach((currency, sum) -> {
                CurrencyTotals total = totals.get(currency);
                assertThat(total.invoices()).as("%s %s invoices", section, currency).isEqualTo(sum[0].longValueExact());
                assertThat(total.amount().amount()).as("%s %s amount", section, currency).isEqualByComparingTo(sum[1]);
                assertThat(total.balance().amount()).as("%s %s balance", section, currency).isEqualByComparingTo(sum[2]);
            });
        }
        assertThat(ledger.unapplied()).as("held payments left").isEmpty();
    }

    private static void add(Map<LedgerSection, Map<Currency, BigDecimal[]>> sums, InvoiceStatus status, String currency,
                            BigDecimal amount, BigDecimal balance) {
        LedgerSection section = LedgerSection.valueOf(status.name());
        BigDecimal[] sum = sums.computeIfAbsent(section, s -> new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode)))
                .computeIfAbsent(Currency.getInstance(currency), c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
        sum[0] = sum[0].add(BigDecimal.ONE);
        sum[1] = sum[1].add(amount);
        sum[2] = sum[2].add(balance);
    }
}
