package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The snapshot's binary records: every field of every kind survives, and a short or bent record is refused. */
class RecordCodecTest {

    private static final Currency JPY = Currencies.parse("JPY");
    private static final Currency EUR = Currencies.parse("EUR");
    private static final Instant T = Instant.parse("2026-11-30T23:59:59.123456789Z");

    @Test
    void aRecordWithEveryFieldSetComesBackEqual() throws Exception {
        InvoiceRecord record = everyFieldSet();
        assertThat(roundTrip(record)).isEqualTo(record);
        InvoiceKey key = record.key();
        InvoiceRecord heldOnly = new InvoiceRecord(new InvoiceKey("x", "y"), Optional.empty(),
                List.of(new HeldPayment(1, "p", Money.parsePositive("1.00", EUR), Optional.empty(), Optional.empty(),
                        LocalDate.parse("2026-01-01"), T, Optional.empty(), 0)), 1);
        assertThat(roundTrip(heldOnly)).isEqualTo(heldOnly);
        InvoiceRecord wholeClient = new InvoiceRecord(InvoiceKey.wholeClient(key.client()), Optional.empty(), List.of(), 12);
        assertThat(roundTrip(wholeClient)).isEqualTo(wholeClient);
    }

    /** A written-off invoice with every optional field present, a refund held under its key. */
    private static InvoiceRecord everyFieldSet() {
        InvoiceKey key = new InvoiceKey("acme-corp", "INV-2026-0001");
        Money amount = Money.parsePositive("1000000", JPY);
        DunningStep step = new DunningStep(4, "req-1", "reminder", "final_notice", Optional.of("ap@acme.example"),
                Money.parsePositive("800000", JPY), LocalDate.parse("2026-10-01"), 45, 3, LocalDate.parse("2026-11-15"), 2,
                Optional.of(T.minusSeconds(60)), Optional.of(T.minusSeconds(30)), List.of("mailbox full", "bounced"),
                Optional.of(T));
        InvoiceState state = new InvoiceState(key, amount, Money.zero(JPY), InvoiceStatus.WRITTEN_OFF,
                LocalDate.parse("2026-09-01"), LocalDate.parse("2026-10-01"), Optional.of("ap@acme.example"),
                T, Optional.of("45 days overdue"),
                List.of(new InvoiceState.Payment(2, "p1", Money.parsePositive("300000", JPY), Optional.of("wire"),
                                Optional.of("BANK-1"), LocalDate.parse("2026-10-02"),
                                Optional.of(new InvoiceState.Reversal(3, "chargeback"))),
                        new InvoiceState.Payment(5, "p2", Money.parsePositive("200000", JPY), Optional.empty(),
                                Optional.empty(), LocalDate.parse("2026-10-05"))),
                List.of(new InvoiceState.Reminder(6, "reminder", T.minusSeconds(3600))), List.of(step),
                Optional.of(new DunningHold("disputed", Optional.of(LocalDate.parse("2026-12-31")))),
                List.of(new InvoiceState.Credit(7, "c1", Money.parsePositive("100000", JPY), "goodwill, crédit 払い")),
                Optional.of(Money.parsePositive("700000", JPY)), Optional.of("bad debt"),
                List.of(new InvoiceState.Amendment(8, List.of("due_on", "contact_email"), "typo")), 9, T);
        HeldPayment refund = new HeldPayment(10, "p9", Money.parsePositive("5.50", EUR), Optional.of("card"),
                Optional.of("REF"), LocalDate.parse("2026-11-01"), T, Optional.of("no such invoice"), 11);
        return new InvoiceRecord(key, Optional.of(state), List.of(refund), 11);
    }

    @Test
    void theBookPacksAClosedInvoiceUnlessARequestOfItIsInTroubleAndGivesItBackEqual() throws Exception {
        InvoiceRecord troubled = everyFieldSet(); // written off, its one request emitted twice: what an operator must hear of
        InvoiceRecord quiet = new InvoiceRecord(troubled.key(), troubled.invoice().map(state -> new InvoiceState(state.key(),
                state.amount(), state.balance(), state.status(), state.issuedOn(), state.dueOn(), state.contactEmail(),
                state.statusSince(), state.escalationReason(), state.payments(), state.reminders(), List.of(), state.pause(),
                state.credits(), state.writtenOff(), state.closingReason(), state.amendments(), state.lastSeq(),
                state.updatedAt())), List.of(), 11);
        assertThat(PackedRecords.packable(quiet)).isTrue();
        assertThat(PackedRecords.packable(troubled)).as("held payments, and a troubled request").isFalse();
        assertThat(PackedRecords.packable(new InvoiceRecord(troubled.key(), troubled.invoice(), List.of(), 11)))
                .as("a troubled request alone").isFalse();

        InvoiceBook book = new InvoiceBook();
        book.load(quiet);
        List<InvoiceRecord> seen = new java.util.ArrayList<>();
        book.forEachUnpacked(seen::add);
        assertThat(seen).as("kept packed").isEmpty();
        assertThat(book.record(quiet.key())).isEqualTo(quiet);
        InvoiceBook other = new InvoiceBook();
        other.load(troubled);
        other.forEachUnpacked(seen::add);
        assertThat(seen).containsExactly(troubled);
    }

    @Test
    void aShortOrBentRecordIsRefusedNotMisread() throws Exception {
        InvoiceRecord record = new InvoiceRecord(new InvoiceKey("x", "y"), Optional.empty(),
                List.of(new HeldPayment(1, "p", Money.parsePositive("1.00", EUR), Optional.empty(), Optional.empty(),
                        LocalDate.parse("2026-01-01"), T, Optional.empty(), 0)), 1);
        byte[] bytes = encode(record);
        assertThatThrownBy(() -> decode(Arrays.copyOf(bytes, bytes.length - 1))).isInstanceOf(EOFException.class);
        // The amount's scale bent from 2 to 3: EUR has two decimals, so the money refuses it.
        byte[] bent = bytes.clone();
        int scaleAt = indexOfScale(bent);
        bent[scaleAt] = 3;
        assertThatThrownBy(() -> decode(bent)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
    }

    /** The amount's unscaled 100 (one byte, 0x64) is followed by its scale: find that pair. */
    private static int indexOfScale(byte[] bytes) {
        for (int i = 1; i + 1 < bytes.length; i++) {
            if (bytes[i - 1] == 1 && bytes[i] == 100 && bytes[i + 1] == 2) {
                return i + 1;
            }
        }
        throw new AssertionError("no amount found");
    }

    private static InvoiceRecord roundTrip(InvoiceRecord record) throws Exception {
        return decode(encode(record));
    }

    private static byte[] encode(InvoiceRecord record) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        RecordCodec.write(out, record);
        out.flush();
        return bytes.toByteArray();
    }

    private static InvoiceRecord decode(byte[] bytes) throws Exception {
        BytesInput in = new BytesInput(bytes, 0, bytes.length);
        InvoiceRecord record = new RecordCodec().readRecord(in);
        assertThat(in.atEnd()).isTrue();
        return record;
    }
}
