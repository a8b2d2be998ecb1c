package com.novotechno.collections.bench;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The large benchmarks' invoices: each one's fate drawn from a mix of plans (paid off in one, two or
 * three payments, left part paid, escalated, or only issued), so that most end paid and archived and
 * a realistic share stays open. An invoice's plan and amounts are a pure function of the seed and its
 * number, so any run can tell which invoices of a filled folder are open without reading it.
 *
 * <p>The mix is written {@code paid1=8,paid2=55,paid3=20,partial=10,escalated=4,issued=3} (weights,
 * any sum): the default averages 2.96 messages an invoice and leaves 17 % open.
 */
record InvoiceMix(Map<Plan, Integer> weights) {

    static final String DEFAULT = "paid1=8,paid2=55,paid3=20,partial=10,escalated=4,issued=3";
    /** Clients share the invoices; a client folder of 500 state files at 1M invoices is what a large user has. */
    static final int CLIENTS = 2000;

    /** What happens to one invoice after it is issued. */
    enum Plan {
        PAID1(1, true), PAID2(2, true), PAID3(3, true), PARTIAL(1, false), ESCALATED(1, false), ISSUED(0, false);

        final int payments;
        final boolean paidOff;

        Plan(int payments, boolean paidOff) {
            this.payments = payments;
            this.paidOff = paidOff;
        }

        int messages() {
            return 1 + payments + (this == ESCALATED ? 1 : 0);
        }
    }

    InvoiceMix {
        weights = Map.copyOf(weights);
        if (weights.values().stream().anyMatch(w -> w < 0) || weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            throw new IllegalArgumentException("weights must be at least 0 and not all 0: " + weights);
        }
    }

    static InvoiceMix parse(String text) {
        Map<Plan, Integer> weights = new EnumMap<>(Plan.class);
        for (String part : text.split(",")) {
            String[] pair = part.split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("a mix is plan=weight,...: " + text);
            }
            weights.put(Plan.valueOf(pair[0].trim().toUpperCase()), Integer.parseInt(pair[1].trim()));
        }
        return new InvoiceMix(weights);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Plan plan : Plan.values()) {
            if (weights.getOrDefault(plan, 0) > 0) {
                out.append(out.length() == 0 ? "" : ",").append(plan.name().toLowerCase()).append('=').append(weights.get(plan));
            }
        }
        return out.toString();
    }

    double messagesPerInvoice() {
        int sum = weights.values().stream().mapToInt(Integer::intValue).sum();
        return weights.entrySet().stream().mapToDouble(e -> e.getKey().messages() * (double) e.getValue()).sum() / sum;
    }

    double openShare() {
        int sum = weights.values().stream().mapToInt(Integer::intValue).sum();
        return weights.entrySet().stream().filter(e -> !e.getKey().paidOff).mapToDouble(Map.Entry::getValue).sum() / sum;
    }

    /** Invoice {@code i}'s plan: the same for the same seed, whatever was generated before it. */
    Plan plan(long seed, int i) {
        int sum = weights.values().stream().mapToInt(Integer::intValue).sum();
        int draw = random(seed, i).nextInt(sum);
        for (Plan plan : Plan.values()) {
            draw -= weights.getOrDefault(plan, 0);
            if (draw < 0) {
                return plan;
            }
        }
        throw new AssertionError("the draw is below the sum of the weights");
    }

    static String client(int i) {
        return "client" + (int) ((i * 7919L) % CLIENTS);
    }

    static String invoiceNumber(int i) {
        return "INV-" + i;
    }

    /**
     * Invoice {@code i}'s messages in the order they are sent; {@code dayOf} gives the day of the
     * message's turn (issued_on, received_on), as a producer would stamp it.
     */
    List<Message> messages(long seed, int i) {
        SplittableRandom random = random(seed, i);
        Plan plan = plan(seed, i);
        random.nextInt(); // the plan's draw
        boolean euro = random.nextInt(10) == 0;
        long cents = 10_000 + random.nextLong(490_000); // 100.00 to 5,000.00
        String currency = euro ? "EUR" : "USD";
        String head = "\"client\":\"" + client(i) + "\",\"invoice_number\":\"" + invoiceNumber(i) + "\",";
        String id = client(i) + "-" + invoiceNumber(i);
        List<Message> out = new ArrayList<>(plan.messages());
        out.add(new Message(day -> "{\"type\":\"invoice.issued\",\"message_id\":\"" + id + "-issued\"," + head
                + "\"amount\":\"" + amount(cents) + "\",\"currency\":\"" + currency + "\",\"issued_on\":\"" + day
                + "\",\"due_on\":\"" + day.plusDays(30) + "\",\"contact_email\":\"ap@" + client(i) + ".example\"}"));
        long left = cents;
        for (int p = 1; p <= plan.payments; p++) {
            boolean last = p == plan.payments && plan.paidOff;
            long paid = last ? left : Math.max(1, left * (20 + random.nextInt(50)) / 100);
            left -= paid;
            String amount = amount(paid);
            String reference = "WIRE-" + i + "-" + p;
            String paymentId = id + "-p" + p;
            out.add(new Message(day -> "{\"type\":\"payment.received\",\"message_id\":\"" + paymentId + "\"," + head
                    + "\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\",\"method\":\"bank_transfer\","
                    + "\"reference\":\"" + reference + "\",\"received_on\":\"" + day + "\"}"));
        }
        if (plan == Plan.ESCALATED) {
            out.add(new Message(day -> "{\"type\":\"invoice.escalated\",\"message_id\":\"" + id + "-escalated\"," + head
                    + "\"reason\":\"no answer to the final notice\"}"));
        }
        return out;
    }

    /** A payment of 0.01 towards invoice {@code i}, in its currency: what the per-message benchmark sends to open invoices. */
    static byte[] smallPayment(long seed, int i, String messageId) {
        SplittableRandom random = random(seed, i);
        random.nextInt(); // the plan's draw
        String currency = random.nextInt(10) == 0 ? "EUR" : "USD";
        return ("{\"type\":\"payment.received\",\"message_id\":\"" + messageId + "\",\"client\":\"" + client(i)
                + "\",\"invoice_number\":\"" + invoiceNumber(i) + "\",\"amount\":\"0.01\",\"currency\":\"" + currency
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** One message, whose dates are those of the day it is sent on. */
    record Message(java.util.function.Function<LocalDate, String> json) {
        byte[] bytes(LocalDate day) {
            return json.apply(day).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String amount(long cents) {
        return cents / 100 + "." + String.format("%02d", cents % 100);
    }

    private static SplittableRandom random(long seed, int i) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    }
}
