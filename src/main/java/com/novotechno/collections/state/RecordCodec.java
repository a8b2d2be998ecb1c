package com.novotechno.collections.state;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Money;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The book's records in a compact binary form, for the snapshot: a start decodes a million of them,
 * which the state files' JSON (with a checksum each) makes fourteen times slower. Field by field, in
 * declaration order, so every record's constructor checks its invariants again on the way in. Integrity
 * is the snapshot's (one SHA-256 over the file), not this form's.
 */
final class RecordCodec {

    /** Longer than any text the service accepts (a reason, 1,000 characters of up to 4 bytes): a bound, not a target. */
    private static final int MAX_TEXT_BYTES = 4 * Limits.MAX_REASON_CHARS + 16;
    /** Every list an invoice holds is bounded by its own limit; none beyond this. */
    private static final int MAX_LIST = Limits.MAX_PAYMENTS_PER_INVOICE;

    private final Map<String, Currency> currencies = new HashMap<>();

    static void write(DataOutput out, InvoiceRecord record) throws IOException {
        writeKey(out, record.key());
        out.writeLong(record.lastSeq());
        out.writeBoolean(record.invoice().isPresent());
        if (record.invoice().isPresent()) {
            writeState(out, record.invoice().get());
        }
        writeList(out, record.unapplied(), RecordCodec::writeHeld);
    }

    InvoiceRecord readRecord(DataInput in) throws IOException {
        InvoiceKey key = readKey(in);
        long lastSeq = in.readLong();
        Optional<InvoiceState> invoice = in.readBoolean() ? Optional.of(readState(in, key)) : Optional.empty();
        List<HeldPayment> unapplied = readList(in, this::readHeld);
        return new InvoiceRecord(key, invoice, unapplied, lastSeq);
    }

    static void writeHold(DataOutput out, DunningHold hold) throws IOException {
        writeText(out, hold.reason());
        writeOptional(out, hold.until(), (o, day) -> o.writeLong(day.toEpochDay()));
    }

    static DunningHold readHold(DataInput in) throws IOException {
        return new DunningHold(readText(in), readOptional(in, i -> LocalDate.ofEpochDay(i.readLong())));
    }

    static void writeKey(DataOutput out, InvoiceKey key) throws IOException {
        writeText(out, key.client());
        writeText(out, key.invoiceNumber());
    }

    static InvoiceKey readKey(DataInput in) throws IOException {
        return new InvoiceKey(readText(in), readText(in));
    }

    private static void writeState(DataOutput out, InvoiceState state) throws IOException {
        out.writeUTF(state.amount().currency().getCurrencyCode());
        writeAmount(out, state.amount());
        writeAmount(out, state.balance());
        out.writeUTF(state.status().wireName());
        out.writeLong(state.issuedOn().toEpochDay());
        out.writeLong(state.dueOn().toEpochDay());
        writeOptionalText(out, state.contactEmail());
        writeInstant(out, state.statusSince());
        writeOptionalText(out, state.escalationReason());
        writeList(out, state.payments(), (o, payment) -> {
            o.writeLong(payment.seq());
            writeText(o, payment.messageId());
            writeAmount(o, payment.amount());
            writeOptionalText(o, payment.method());
            writeOptionalText(o, payment.reference());
            o.writeLong(payment.receivedOn().toEpochDay());
            writeOptional(o, payment.reversal(), (p, reversal) -> {
                p.writeLong(reversal.seq());
                writeText(p, reversal.reason());
            });
        });
        writeList(out, state.reminders(), (o, reminder) -> {
            o.writeLong(reminder.seq());
            writeText(o, reminder.level());
            writeInstant(o, reminder.sentAt());
        });
        writeList(out, state.dunning(), RecordCodec::writeStep);
        writeOptional(out, state.pause(), RecordCodec::writeHold);
        writeList(out, state.credits(), (o, credit) -> {
            o.writeLong(credit.seq());
            writeText(o, credit.messageId());
            writeAmount(o, credit.amount());
            writeText(o, credit.reason());
        });
        writeOptional(out, state.writtenOff(), RecordCodec::writeAmount);
        writeOptionalText(out, state.closingReason());
        writeList(out, state.amendments(), (o, amendment) -> {
            o.writeLong(amendment.seq());
            writeList(o, amendment.fields(), RecordCodec::writeText);
            writeText(o, amendment.reason());
        });
        out.writeLong(state.lastSeq());
        writeInstant(out, state.updatedAt());
    }

    private InvoiceState readState(DataInput in, InvoiceKey key) throws IOException {
        Currency currency = currency(in.readUTF());
        Money amount = readAmount(in, currency);
        Money balance = readAmount(in, currency);
        InvoiceStatus status = InvoiceStatus.fromWireName(in.readUTF());
        LocalDate issuedOn = LocalDate.ofEpochDay(in.readLong());
        LocalDate dueOn = LocalDate.ofEpochDay(in.readLong());
        Optional<String> contactEmail = readOptionalText(in);
        Instant statusSince = readInstant(in);
        Optional<String> escalationReason = readOptionalText(in);
        List<InvoiceState.Payment> payments = readList(in, i -> new InvoiceState.Payment(i.readLong(), readText(i),
                readAmount(i, currency), readOptionalText(i), readOptionalText(i), LocalDate.ofEpochDay(i.readLong()),
                readOptional(i, r -> new InvoiceState.Reversal(r.readLong(), readText(r)))));
        List<InvoiceState.Reminder> reminders = readList(in,
                i -> new InvoiceState.Reminder(i.readLong(), readText(i), readInstant(i)));
        List<DunningStep> dunning = readList(in, i -> readStep(i, currency));
        Optional<DunningHold> pause = readOptional(in, RecordCodec::readHold);
        List<InvoiceState.Credit> credits = readList(in, i -> new InvoiceState.Credit(i.readLong(), readText(i),
                readAmount(i, currency), readText(i)));
        Optional<Money> writtenOff = readOptional(in, i -> readAmount(i, currency));
        Optional<String> closingReason = readOptionalText(in);
        List<InvoiceState.Amendment> amendments = readList(in, i -> new InvoiceState.Amendment(i.readLong(),
                readList(i, RecordCodec::readText), readText(i)));
        long lastSeq = in.readLong();
        Instant updatedAt = readInstant(in);
        return new InvoiceState(key, amount, balance, status, issuedOn, dueOn, contactEmail, statusSince,
                escalationReason, payments, reminders, dunning, pause, credits, writtenOff, closingReason, amendments,
                lastSeq, updatedAt);
    }

    private static void writeStep(DataOutput out, DunningStep step) throws IOException {
        out.writeLong(step.seq());
        writeText(out, step.requestId());
        writeText(out, step.requestType());
        writeText(out, step.level());
        writeOptionalText(out, step.contactEmail());
        writeAmount(out, step.balance());
        out.writeLong(step.dueOn().toEpochDay());
        out.writeInt(step.daysOverdue());
        out.writeInt(step.lateByDays());
        out.writeLong(step.asOf().toEpochDay());
        out.writeInt(step.emittedAttempts());
        writeOptional(out, step.emittedAt(), RecordCodec::writeInstant);
        writeOptional(out, step.acknowledgedAt(), RecordCodec::writeInstant);
        writeList(out, step.failures(), RecordCodec::writeText);
        writeOptional(out, step.revokedAt(), RecordCodec::writeInstant);
    }

    private static DunningStep readStep(DataInput in, Currency currency) throws IOException {
        return new DunningStep(in.readLong(), readText(in), readText(in), readText(in), readOptionalText(in),
                readAmount(in, currency), LocalDate.ofEpochDay(in.readLong()), in.readInt(), in.readInt(),
                LocalDate.ofEpochDay(in.readLong()), in.readInt(), readOptional(in, RecordCodec::readInstant),
                readOptional(in, RecordCodec::readInstant), readList(in, RecordCodec::readText),
                readOptional(in, RecordCodec::readInstant));
    }

    private static void writeHeld(DataOutput out, HeldPayment held) throws IOException {
        out.writeLong(held.seq());
        writeText(out, held.messageId());
        out.writeUTF(held.amount().currency().getCurrencyCode());
        writeAmount(out, held.amount());
        writeOptionalText(out, held.method());
        writeOptionalText(out, held.reference());
        out.writeLong(held.receivedOn().toEpochDay());
        writeInstant(out, held.heldAt());
        writeOptionalText(out, held.refundReason());
        out.writeLong(held.refundSeq());
    }

    private HeldPayment readHeld(DataInput in) throws IOException {
        long seq = in.readLong();
        String messageId = readText(in);
        Money amount = readAmount(in, currency(in.readUTF()));
        return new HeldPayment(seq, messageId, amount, readOptionalText(in), readOptionalText(in),
                LocalDate.ofEpochDay(in.readLong()), readInstant(in), readOptionalText(in), in.readLong());
    }

    /** Unscaled value and scale: exact, and {@link Money}'s constructor checks the scale against the currency. */
    private static void writeAmount(DataOutput out, Money money) throws IOException {
        byte[] unscaled = money.amount().unscaledValue().toByteArray();
        out.writeByte(unscaled.length);
        out.write(unscaled);
        out.writeByte(money.amount().scale());
    }

    private static Money readAmount(DataInput in, Currency currency) throws IOException {
        int length = in.readUnsignedByte();
        if (length < 1 || length > 32) {
            throw new IllegalArgumentException("an amount of " + length + " bytes");
        }
        byte[] unscaled = new byte[length];
        in.readFully(unscaled);
        return new Money(new BigDecimal(new BigInteger(unscaled), in.readByte()), currency);
    }

    private Currency currency(String code) {
        return currencies.computeIfAbsent(code, Currencies::parse);
    }

    private static void writeInstant(DataOutput out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInput in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    static void writeText(DataOutput out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("a text of " + bytes.length + " bytes in a record");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    static String readText(DataInput in) throws IOException {
        int length = in.readUnsignedShort();
        if (length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("a text of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeOptionalText(DataOutput out, Optional<String> text) throws IOException {
        writeOptional(out, text, RecordCodec::writeText);
    }

    private static Optional<String> readOptionalText(DataInput in) throws IOException {
        return readOptional(in, RecordCodec::readText);
    }

    @FunctionalInterface
    private interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private static <T> void writeOptional(DataOutput out, Optional<T> value, Writer<T> writer) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            writer.write(out, value.get());
        }
    }

    private static <T> Optional<T> readOptional(DataInput in, Reader<T> reader) throws IOException {
        return in.readBoolean() ? Optional.of(reader.read(in)) : Optional.empty();
    }

    private static <T> void writeList(DataOutput out, List<T> values, Writer<T> writer) throws IOException {
        if (values.size() > MAX_LIST) {
            throw new IllegalArgumentException("a list of " + values.size() + " in a record");
        }
        out.writeShort(values.size());
        for (T value : values) {
            writer.write(out, value);
        }
    }

    private static <T> List<T> readList(DataInput in, Reader<T> reader) throws IOException {
        int size = in.readUnsignedShort();
        if (size > MAX_LIST) {
            throw new IllegalArgumentException("a list of " + size);
        }
        List<T> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(reader.read(in));
        }
        return values;
    }
}
