package com.novotechno.collections.bench;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.InvoiceMessage;
import com.novotechno.collections.domain.MessageParser;
import com.novotechno.collections.log.EventDraft;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.state.ChangeDecider;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.InvoiceRecord;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.state.Transitions;
import com.novotechno.collections.storage.DataLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Fills a data folder's event log fast: each message is parsed, decided against its invoice's record
 * and appended by {@link EventLog} itself (its encoding, hash chain and read-back check), exactly the
 * line the service writes for it, but without fsyncs and without the store's state files and ledger,
 * which {@code rebuild} derives afterwards. Personal values (contact addresses, payment references)
 * stay unsealed: the log reads such a value as written before sealing existed.
 *
 * <p>Invoices are interleaved as a producer's would be: {@value #IN_FLIGHT} invoices are under way at
 * a time, the next message drawn from a random one of them, so that a payment rarely follows its
 * invoice's issue directly. Only those invoices' records are kept, so memory does not grow with the log.
 */
final class LogFiller {

    static final int IN_FLIGHT = 512;
    /** Entries are 10 s apart from this instant: 3 million span 347 days, so the ledger's ageing has every bucket. */
    static final Instant FIRST_ENTRY = Instant.parse("2025-01-01T08:00:00Z");
    static final Duration ENTRY_SPACING = Duration.ofSeconds(10);

    private LogFiller() {
    }

    /** How many invoices and entries were written. */
    record Filled(int invoices, long entries, int openInvoices) {
    }

    /** Writes every message of invoices 0 to {@code invoices - 1} to the (empty) folder's log. */
    static Filled fill(Path dir, int invoices, InvoiceMix mix, long seed, StoreSettings settings) throws Exception {
        NoFsyncStorage storage = new NoFsyncStorage();
        // An open and a clean close make the folder the service's own (its format file, an empty log).
        CollectionsStore.open(storage, dir, settings, notice -> { }).close();
        DataLayout layout = new DataLayout(dir);
        MessageParser parser = new MessageParser(settings.defaultCurrency());
        ChangeDecider decider = new ChangeDecider(settings.termsDays());
        SplittableRandom order = new SplittableRandom(seed);
        List<Cursor> active = new ArrayList<>(IN_FLIGHT);
        int next = 0;
        int open = 0;
        try (EventLog log = EventLog.open(storage, layout.eventLog(), entry -> { }, (seq, line) -> { }, report -> { })) {
            if (log.lastSeq() != 0) {
                throw new IllegalStateException(layout.eventLog() + " is not empty: fill a new folder");
            }
            long seq = 0;
            while (next < invoices || !active.isEmpty()) {
                while (active.size() < IN_FLIGHT && next < invoices) {
                    active.add(new Cursor(next, mix.messages(seed, next)));
                    open += mix.plan(seed, next).paidOff ? 0 : 1;
                    next++;
                }
                int pick = order.nextInt(active.size());
                Cursor cursor = active.get(pick);
                Instant time = FIRST_ENTRY.plus(ENTRY_SPACING.multipliedBy(seq));
                LocalDate day = LocalDate.ofInstant(time, ZoneOffset.UTC);
                InvoiceMessage message = parser.parse(cursor.messages.get(cursor.sent).bytes(day));
                if (cursor.record == null) {
                    cursor.record = new InvoiceRecord(message.invoice(), Optional.empty(), List.of(), 0);
                }
                EventDraft draft = new EventDraft(time, message.envelope(), decider.decide(message, cursor.record, day));
                LogEntry entry = log.write(draft);
                seq = entry.seq();
                cursor.record = Transitions.apply(cursor.record, entry);
                if (++cursor.sent == cursor.messages.size()) {
                    active.set(pick, active.get(active.size() - 1));
                    active.remove(active.size() - 1);
                }
            }
            return new Filled(invoices, log.lastSeq(), open);
        }
    }

    /** An invoice under way: its messages, how many were sent, and its record after them. */
    private static final class Cursor {
        final int invoice;
        final List<InvoiceMix.Message> messages;
        int sent;
        InvoiceRecord record;

        Cursor(int invoice, List<InvoiceMix.Message> messages) {
            this.invoice = invoice;
            this.messages = messages;
        }

        @Override
        public String toString() {
            return new InvoiceKey(InvoiceMix.client(invoice), InvoiceMix.invoiceNumber(invoice)) + " at message " + sent;
        }
    }
}
