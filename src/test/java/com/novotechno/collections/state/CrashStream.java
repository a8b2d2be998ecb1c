package com.novotechno.collections.state;

import com.novotechno.collections.testing.Messages;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Random;

/**
 * A seeded stream of messages for the crash tests: invoices in three currencies, partial and
 * full payments (some before their invoice), reminders, escalations, chargebacks, credit notes,
 * write-offs and redelivered duplicates. The worker (or the service) applies it; the test computes
 * from the same stream what the state must be.
 */
public final class CrashStream {

    public static final List<String> CURRENCIES = List.of("USD", "EUR", "JPY");

    /**
     * One invoice's messages in order, and what they must add up to.
     *
     * @param settled what payments (not reversed), a credit note or a write-off took off the balance
     * @param closedAs the status a credit note or write-off closed it as; null when it did not
     */
    public record InvoicePlan(String client, String invoice, String currency, BigDecimal amount, BigDecimal settled,
                       boolean escalated, int reminders, InvoiceStatus closedAs, List<String> messageIds,
                       List<byte[]> messages) {
        public BigDecimal balance() {
            return amount.subtract(settled);
        }

        public InvoiceStatus status() {
            if (closedAs != null) {
                return closedAs;
            }
            return balance().signum() == 0 ? InvoiceStatus.PAID : escalated ? InvoiceStatus.ESCALATED : InvoiceStatus.UNPAID;
        }
    }

    private CrashStream() {
    }

    public static List<InvoicePlan> plan(long seed, int invoices) {
        Random random = new Random(seed);
        List<InvoicePlan> plans = new ArrayList<>();
        for (int i = 0; i < invoices; i++) {
            String client = "client" + (i % 7);
            String invoice = "INV-" + i;
            String currency = CURRENCIES.get(i % CURRENCIES.size());
            int scale = Currency.getInstance(currency).getDefaultFractionDigits();
            BigDecimal amount = BigDecimal.valueOf(1000 + random.nextInt(500_000), 2).setScale(scale, RoundingMode.DOWN)
                    .max(BigDecimal.TEN);
            List<byte[]> messages = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            String prefix = client + "-" + invoice + "-";
            add(messages, ids, prefix + "issued", Messages.issued(prefix + "issued", client, invoice, amount.toPlainString(), currency));
            boolean escalated = false;
            int reminders = 0;
            if (random.nextInt(3) == 0) {
                reminders++;
                add(messages, ids, prefix + "reminder", Messages.reminder(prefix + "reminder", client, invoice, "reminder"));
            }
            if (random.nextInt(5) == 0) {
                escalated = true;
                add(messages, ids, prefix + "escalated", Messages.escalated(prefix + "escalated", client, invoice, "no reply"));
            }
            BigDecimal paid = BigDecimal.ZERO.setScale(scale);
            int partials = random.nextInt(4);
            for (int p = 0; p < partials; p++) {
                BigDecimal part = amount.subtract(paid).divide(BigDecimal.valueOf(3), scale, RoundingMode.DOWN);
                if (part.signum() <= 0) {
                    break;
                }
                paid = paid.add(part);
                String id = prefix + "pay-" + p;
                add(messages, ids, id, Messages.payment(id, client, invoice, part.toPlainString(), currency));
            }
            if (partials > 0 && messages.size() > 1 && random.nextInt(4) == 0) {
                // The bank feed was faster than the invoice's producer: the first payment comes first, and is held.
                int first = ids.indexOf(prefix + "pay-0");
                if (first > 0) {
                    messages.add(0, messages.remove(first));
                }
            }
            InvoiceStatus closedAs = null;
            if (random.nextBoolean()) {
                BigDecimal rest = amount.subtract(paid);
                paid = amount;
                String id = prefix + "pay-final";
                add(messages, ids, id, Messages.payment(id, client, invoice, rest.toPlainString(), currency));
                if (random.nextInt(4) == 0) {
                    // A chargeback: the invoice moves back out of the archive, and is perhaps paid again.
                    paid = paid.subtract(rest);
                    add(messages, ids, prefix + "reversed", Messages.reversed(prefix + "reversed", client, invoice, id));
                    if (random.nextBoolean()) {
                        paid = amount;
                        add(messages, ids, prefix + "pay-again",
                                Messages.payment(prefix + "pay-again", client, invoice, rest.toPlainString(), currency));
                    }
                }
            } else if (random.nextInt(4) == 0) {
                closedAs = random.nextBoolean() ? InvoiceStatus.CREDITED : InvoiceStatus.WRITTEN_OFF;
                String id = prefix + closedAs.wireName();
                add(messages, ids, id, closedAs == InvoiceStatus.CREDITED
                        ? Messages.credit(id, client, invoice, amount.subtract(paid).toPlainString(), currency)
                        : Messages.writtenOff(id, client, invoice));
                paid = amount;
            }
            // Redeliveries: the same bytes again, later, as a queue or a re-dropped file would bring them.
            int duplicates = random.nextInt(3);
            for (int d = 0; d < duplicates; d++) {
                messages.add(messages.get(random.nextInt(messages.size())));
            }
            plans.add(new InvoicePlan(client, invoice, currency, amount, paid, escalated, reminders, closedAs,
                    List.copyOf(ids), List.copyOf(messages)));
        }
        return plans;
    }

    private static void add(List<byte[]> messages, List<String> ids, String id, byte[] message) {
        ids.add(id);
        messages.add(message);
    }
}
