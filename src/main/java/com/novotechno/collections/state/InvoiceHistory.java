package com.novotechno.collections.state;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.domain.PersonalData;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.log.LogEntry;
import com.novotechno.collections.privacy.ClientKeys;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One invoice's life as the log tells it: every entry under its key, and those for its whole client
 * (a pause, an erasure), in order, each with the invoice as it stood after it. What {@code show}
 * prints. Read without the folder's lock and without writing, so it may run beside the service; a
 * half-written last line is left out, as the service has not accepted it yet either. Only this
 * invoice's record is kept, so memory does not grow with the book.
 *
 * @param key     the invoice
 * @param steps   its entries in log order, at most {@link #MAX_STEPS}
 * @param omitted entries beyond {@link #MAX_STEPS}, counted but not kept
 * @param record  where the whole log leaves it: the invoice once issued, and its held payments
 */
public record InvoiceHistory(InvoiceKey key, List<Step> steps, long omitted, InvoiceRecord record) {

    /**
     * Entries kept for one invoice. Its payments, credits, amendments and reminders are bounded
     * (Limits), but the service's dunning entries are not, so the list is cut rather than let grow.
     */
    public static final int MAX_STEPS = 10_000;

    /**
     * One entry, its personal values as the log opens them ({@link PersonalData#ERASED} once erased).
     *
     * @param entry the entry
     * @param after the invoice after it; empty while it is not issued yet (a payment held for it)
     */
    public record Step(LogEntry entry, Optional<InvoiceState> after) {

        /** The balance after this entry, once the invoice is issued. */
        public Optional<Money> balanceAfter() {
            return after.map(InvoiceState::balance);
        }

        /** The service's own entries (dunning, expiry of held payments) came from no message. */
        public String source() {
            return entry.change().type().isMessage() ? "message" : "service";
        }

        /** The money the entry moves or records, if any. */
        public Optional<Money> amount() {
            return amountOf(entry.change());
        }
    }

    /**
     * Replays the folder's log for one invoice; writes nothing.
     *
     * @return empty when the log never names the invoice
     * @throws LogCorruptionException when the log is damaged before its end, or an entry of this invoice cannot
     *                                apply: a history from part of it would mislead ({@code verify} names the damage)
     */
    public static Optional<InvoiceHistory> fromLog(Storage storage, DataLayout layout, InvoiceKey key) throws IOException {
        if (key.isWholeClient()) {
            throw new IllegalArgumentException("a history is of one invoice, not of " + key);
        }
        SealedChanges sealed = SealedChanges.reader(() -> ClientKeys.open(storage, layout.keys()));
        InvoiceKey client = InvoiceKey.wholeClient(key.client());
        List<Step> steps = new ArrayList<>();
        long[] omitted = {0};
        long[] erasedAtSeq = {0};
        InvoiceRecord[] record = {InvoiceRecord.empty(key)};
        String[] unappliable = {null};
        EventLog.Inspection log = EventLog.inspect(storage, layout.eventLog(), entry -> {
            boolean own = entry.invoice().equals(key);
            if (unappliable[0] != null || !(own || entry.invoice().equals(client))) {
                return;
            }
            try {
                LogEntry opened = sealed.open(entry);
                if (opened.change() instanceof Change.ClientErased erasure) {
                    sealed.explain(erasure, key.client());
                    erasedAtSeq[0] = entry.seq();
                    record[0] = Erasure.of(record[0]);
                } else if (own) {
                    record[0] = Transitions.apply(record[0], opened);
                }
                if (steps.size() < MAX_STEPS) {
                    steps.add(new Step(opened, record[0].invoice()));
                } else {
                    omitted[0]++;
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                unappliable[0] = e.getMessage();
            }
        }, layout.keying());
        if (log.blocksOpen() || unappliable[0] != null) {
            String first = log.blocksOpen() ? log.faults().get(0) : unappliable[0];
            throw new LogCorruptionException(layout.eventLog().getFileName() + " is damaged (" + first + "): run verify");
        }
        if (steps.stream().noneMatch(step -> step.entry().invoice().equals(key))) {
            return Optional.empty();
        }
        // The erasure's key may not be destroyed yet (the service does that after logging it): what came
        // before the erasure is shown erased all the same, as the state files show it.
        List<Step> shown = erasedAtSeq[0] == 0 ? steps : steps.stream().map(step -> erasedBefore(step, erasedAtSeq[0])).toList();
        return Optional.of(new InvoiceHistory(key, List.copyOf(shown), omitted[0], record[0]));
    }

    private static Step erasedBefore(Step step, long erasureSeq) {
        LogEntry entry = step.entry();
        if (entry.seq() >= erasureSeq) {
            return step;
        }
        Change erased = PersonalData.map(entry.change(), (field, value) -> PersonalData.ERASED);
        LogEntry shown = new LogEntry(entry.seq(), entry.time(), entry.messageId(), entry.messageSha256(), entry.invoice(),
                erased, entry.prev(), entry.hash());
        return new Step(shown, step.after().map(state -> Erasure.of(new InvoiceRecord(state.key(), Optional.of(state),
                List.of(), state.lastSeq())).invoice().orElseThrow()));
    }

    /** The money a change moves or records: an invoice's amount, a payment, a credit, a write-off, a reversal. */
    static Optional<Money> amountOf(Change change) {
        // Java 17 has no pattern switch; the changes without an amount fall through to empty.
        if (change instanceof Change.Issued c) {
            return Optional.of(c.amount());
        }
        if (change instanceof Change.PaymentApplied c) {
            return Optional.of(c.amount());
        }
        if (change instanceof Change.PaymentHeld c) {
            return Optional.of(c.payment().amount());
        }
        if (change instanceof Change.CreditIssued c) {
            return Optional.of(c.amount());
        }
        if (change instanceof Change.WrittenOff c) {
            return Optional.of(c.amount());
        }
        if (change instanceof Change.PaymentReversed c) {
            return Optional.of(c.amount());
        }
        if (change instanceof Change.DunningRequested c) {
            return Optional.of(c.balance());
        }
        return Optional.empty();
    }
}
