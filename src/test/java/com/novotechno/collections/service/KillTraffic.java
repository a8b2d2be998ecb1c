package com.novotechno.collections.service;

import com.novotechno.collections.state.CrashStream;
import com.novotechno.collections.testing.Messages;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The seeded traffic of the service kill test, round by round (one round a run of the service, the
 * last one the run that finishes everything):
 * <ul>
 *   <li>{@link CrashStream}'s invoices (issued, partly and fully paid, paid before issued, escalated,
 *       reminded, charged back, credited, written off, redelivered), each invoice through one channel,
 *       the inbox or the queue, so that its messages keep their order;</li>
 *   <li>one invoice a round for dunning (a contact, long overdue), part paid the next round or not,
 *       paid off some rounds later or never;</li>
 *   <li>invalid messages through both channels, each with the reason it must be refused for: broken
 *       fields, a sender the broker user may not be, an id used before for other content, a symbolic link.</li>
 * </ul>
 */
final class KillTraffic {

    enum Channel { FILE, QUEUE }

    /**
     * One message as the test delivers it.
     *
     * @param number  its place in the whole traffic: files are named by it, so that files dropped together read in order
     * @param user    the broker user a queue message is sent as
     * @param reason  empty for a message that must be accepted; else a part of the reason it must be refused with
     * @param symlink a file that arrives as a symbolic link to its bytes, which the inbox must move aside unread
     */
    record Delivery(int number, Channel channel, String user, byte[] body, Optional<String> messageId,
                    Optional<String> reason, boolean symlink) {

        String fileName() {
            return String.format("m%07d.json", number);
        }

        boolean valid() {
            return reason.isEmpty();
        }
    }

    /** An invoice dunning takes up: due long ago, with a contact; what was paid on it, and its messages' ids. */
    record DunnedInvoice(String client, String invoice, String currency, BigDecimal amount, BigDecimal paid,
                         List<String> messageIds) {
        BigDecimal balance() {
            return amount.subtract(paid);
        }
    }

    /** Messages.issued's due date: CrashStream's invoices fell due then. */
    static final LocalDate CRASH_STREAM_DUE = LocalDate.of(2026, 2, 9);
    /** A week earlier: every level of {@link #dunningSchedule} is due for the dunned invoices, none for the others. */
    static final LocalDate DUNNED_DUE = LocalDate.of(2026, 2, 1);

    private record Draft(Channel channel, String user, byte[] body, String messageId, String reason, boolean symlink) {
    }

    private record Invalid(byte[] body, String messageId, String reason) {
    }

    /** Each refused for its own reason whatever came before it; n makes its id and invoice unique. */
    private static final List<IntFunction<Invalid>> INVALID = List.of(
            n -> invalid(n, "invoice.issued", "\"amout\":\"10.00\",\"currency\":\"USD\"", "amout: not a field of invoice.issued"),
            n -> invalid(n, "invoice.issued", "\"amount\":\"-5.00\",\"currency\":\"USD\"",
                    "amount: must be above zero, found '-5.00'"),
            n -> invalid(n, "invoice.issued", "\"amount\":\"10.00\",\"currency\":\"DEM\"",
                    "currency: 'DEM' is not a current ISO 4217 currency"),
            n -> invalid(n, "invoice.issued", "\"amount\":\"10.5\",\"currency\":\"JPY\"",
                    "amount: 10.5 has more decimals than JPY allows (0)"),
            n -> invalid(n, "invoice.paid", "\"amount\":\"10.00\",\"currency\":\"USD\"", "type: unknown type 'invoice.paid'"),
            n -> invalid(n, "invoice.issued", "\"amount\":\"1000000000000.01\",\"currency\":\"USD\"",
                    "amount: must be at most 10^12 (1000000000000), found '1000000000000.01'"),
            n -> invalid(n, "invoice.issued", "\"amount\":\"10.00\",\"currency\":\"USD\",\"issued_on\":\"2026-02-01\","
                    + "\"due_on\":\"2026-01-01\"", "due_on: 2026-01-01 is before issued_on 2026-02-01"),
            n -> invalid(n, "payment.received", "\"amount\":\"10.00\"", "currency: is required"),
            n -> invalid(n, "invoice.issued", "\"amount\":\"0.00\",\"currency\":\"USD\"", "amount: must be above zero, found '0.00'"),
            n -> new Invalid(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"bad %d!\",\"client\":\"bad\"}", n),
                    null, "message_id: must be 1-128 characters"),
            n -> new Invalid(Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"bad-%d\",\"client\":", n),
                    null, "message is not valid JSON"));

    final List<List<Delivery>> rounds;
    final List<CrashStream.InvoicePlan> invoices;
    final List<DunnedInvoice> dunned;

    private KillTraffic(List<List<Delivery>> rounds, List<CrashStream.InvoicePlan> invoices, List<DunnedInvoice> dunned) {
        this.rounds = rounds;
        this.invoices = invoices;
        this.dunned = dunned;
    }

    /**
     * Levels a day or more beyond CrashStream's invoices' days overdue today (they are never dunned, so
     * their plan holds), and due for the dunned ones: each run of the service moves those one level
     * (with no minimum gap), the last escalating. Without a contact only the last level is requested, so
     * CrashStream's invoices stay out of it for days after today.
     */
    static String dunningSchedule(LocalDate today) {
        long first = ChronoUnit.DAYS.between(CRASH_STREAM_DUE, today) + 1;
        return first + ":reminder," + (first + 2) + ":final_notice," + (first + 4) + ":escalate";
    }

    /** {@code rounds} runs of the service that are killed, then the one that finishes, each with its share. */
    static KillTraffic plan(long seed, int rounds, int invoicesPerRound) {
        Random random = new Random(seed);
        int runs = rounds + 1;
        List<CrashStream.InvoicePlan> invoices = CrashStream.plan(seed, runs * invoicesPerRound);
        List<List<Draft>> drafts = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            drafts.add(new ArrayList<>());
        }
        List<DunnedInvoice> dunned = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            addInvoices(drafts.get(r), invoices.subList(r * invoicesPerRound, (r + 1) * invoicesPerRound), random);
            dunned.add(addDunned(drafts, r, random));
            addInvalid(drafts.get(r), invoices.get(r * invoicesPerRound), r, random);
        }
        List<List<Delivery>> numbered = new ArrayList<>();
        int number = 0;
        for (List<Draft> round : drafts) {
            List<Delivery> deliveries = new ArrayList<>();
            for (Draft d : round) {
                deliveries.add(new Delivery(number++, d.channel(), d.user(), d.body(), Optional.ofNullable(d.messageId()),
                        Optional.ofNullable(d.reason()), d.symlink()));
            }
            numbered.add(List.copyOf(deliveries));
        }
        return new KillTraffic(List.copyOf(numbered), invoices, List.copyOf(dunned));
    }

    /** Every delivery of every round. */
    List<Delivery> all() {
        return rounds.stream().flatMap(List::stream).toList();
    }

    /** The round's invoices side by side, each one's messages in its order, each invoice through one channel. */
    private static void addInvoices(List<Draft> round, List<CrashStream.InvoicePlan> plans, Random random) {
        List<Channel> channels = plans.stream().map(p -> random.nextBoolean() ? Channel.FILE : Channel.QUEUE).toList();
        int longest = plans.stream().mapToInt(p -> p.messages().size()).max().orElse(0);
        for (int step = 0; step < longest; step++) {
            for (int i = 0; i < plans.size(); i++) {
                List<byte[]> messages = plans.get(i).messages();
                if (step < messages.size()) {
                    byte[] body = messages.get(step);
                    String id = idOf(body);
                    // Reminders are the emailer's to send: the broker's producer may not.
                    String user = text(body).contains("\"type\":\"reminder.sent\"") ? BrokerCredentials.EMAILER
                            : BrokerCredentials.PRODUCER;
                    round.add(new Draft(channels.get(i), user, body, id, null, false));
                }
            }
        }
    }

    /** An invoice for dunning, issued in round {@code r}: part paid the next round or not, paid off later or never. */
    private static DunnedInvoice addDunned(List<List<Draft>> drafts, int r, Random random) {
        String client = "dun" + (r % 3);
        String invoice = "D-" + r;
        String currency = CrashStream.CURRENCIES.get(random.nextInt(CrashStream.CURRENCIES.size()));
        int scale = Currency.getInstance(currency).getDefaultFractionDigits();
        BigDecimal amount = BigDecimal.valueOf(5_000 + random.nextInt(100_000), 2).setScale(scale, RoundingMode.DOWN);
        Channel channel = random.nextBoolean() ? Channel.FILE : Channel.QUEUE;
        int last = drafts.size() - 1;
        List<String> ids = new ArrayList<>();
        String prefix = client + "-" + invoice + "-";
        add(drafts.get(r), channel, ids, prefix + "issued", Messages.issuedDue(prefix + "issued", client, invoice,
                amount.toPlainString(), currency, DUNNED_DUE.minusDays(31), DUNNED_DUE, "ap@" + client + ".example"));
        BigDecimal paid = BigDecimal.ZERO;
        if (random.nextInt(3) == 0) {
            BigDecimal part = amount.divide(BigDecimal.valueOf(4), scale, RoundingMode.DOWN);
            paid = paid.add(part);
            add(drafts.get(Math.min(r + 1, last)), channel, ids, prefix + "pay-part",
                    Messages.payment(prefix + "pay-part", client, invoice, part.toPlainString(), currency));
        }
        if (random.nextBoolean()) {
            // Some rounds later: dunning has moved it a level or more by then, and revokes what is unanswered.
            BigDecimal rest = amount.subtract(paid);
            paid = amount;
            add(drafts.get(Math.min(r + 2 + random.nextInt(3), last)), channel, ids, prefix + "pay-off",
                    Messages.payment(prefix + "pay-off", client, invoice, rest.toPlainString(), currency));
        }
        return new DunnedInvoice(client, invoice, currency, amount, paid, List.copyOf(ids));
    }

    private static void add(List<Draft> round, Channel channel, List<String> ids, String id, byte[] body) {
        ids.add(id);
        round.add(new Draft(channel, BrokerCredentials.PRODUCER, body, id, null, false));
    }

    /**
     * One invalid message of the list in turn, through a random channel; every third round a sender the
     * broker user may not be; every fourth an id the round's first invoice used for its issue, with other
     * content, after it in its channel; every sixth a symbolic link in the inbox.
     */
    private static void addInvalid(List<Draft> round, CrashStream.InvoicePlan first, int r, Random random) {
        Invalid bad = INVALID.get(r % INVALID.size()).apply(r);
        round.add(new Draft(random.nextBoolean() ? Channel.FILE : Channel.QUEUE, BrokerCredentials.PRODUCER, bad.body(),
                bad.messageId(), bad.reason(), false));
        if (r % 3 == 0) {
            boolean emailer = r % 2 == 0;
            String id = "bad-sender-" + r;
            round.add(emailer
                    ? new Draft(Channel.QUEUE, BrokerCredentials.EMAILER, Messages.payment(id, "bad", "B-" + r, "1.00", "USD"),
                            id, "the emailer may send only reminder.sent and reminder.failed, not payment.received", false)
                    : new Draft(Channel.QUEUE, BrokerCredentials.PRODUCER, Messages.reminder(id, "bad", "B-" + r, "reminder"),
                            id, "only the emailer may send reminder.sent", false));
        }
        if (r % 4 == 1) {
            String id = first.client() + "-" + first.invoice() + "-issued";
            Channel channel = round.stream().filter(d -> id.equals(d.messageId())).findFirst().orElseThrow().channel();
            byte[] other = Messages.issued(id, first.client(), first.invoice(), first.amount().add(BigDecimal.ONE).toPlainString(),
                    first.currency());
            round.add(new Draft(channel, BrokerCredentials.PRODUCER, other, id, "message_id was used before", false));
        }
        if (r % 6 == 2) {
            String id = "bad-link-" + r;
            // Valid bytes behind the link: were it followed, the invoice would show up in the log.
            round.add(new Draft(Channel.FILE, null, Messages.issued(id, "bad", "L-" + r, "10.00", "USD"), id,
                    "not a regular file but a symbolic link; it was not followed", true));
        }
    }

    /** A message of client "bad", invoice B-n, id bad-n, with these fields besides: refused for {@code reason}. */
    private static Invalid invalid(int n, String type, String fields, String reason) {
        String id = "bad-" + n;
        return new Invalid(Messages.json("{\"type\":\"%s\",\"message_id\":\"%s\",\"client\":\"bad\",\"invoice_number\":\"B-%d\",%s}",
                type, id, n, fields), id, reason);
    }

    private static String idOf(byte[] body) {
        String text = text(body);
        int start = text.indexOf("\"message_id\":\"") + "\"message_id\":\"".length();
        return text.substring(start, text.indexOf('"', start));
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
