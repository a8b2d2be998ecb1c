package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Closed invoices kept packed: a record in memory costs about 1.3 KB with two payments (objects for
 * every amount, date, text and optional), its {@link RecordCodec} bytes a sixth of that. Most of a
 * book is closed invoices that no message touches again, so the book keeps those as bytes and
 * unpacks one when it is read (a few microseconds, against a log fsync per message).
 *
 * <p>Also a list of records that holds each value as the book does (a record, or its bytes) and
 * unpacks it when read: what a snapshot captures under every lock (a pointer copy) and writes
 * later, packed ones as they are.
 */
final class PackedRecords extends AbstractList<InvoiceRecord> implements RandomAccess {

    private final List<InvoiceKey> keys;
    private final List<Object> values;

    /** Each key with its value as the book holds it: a record, or its bytes. */
    PackedRecords(List<InvoiceKey> keys, List<Object> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys for " + values.size() + " records");
        }
        this.keys = List.copyOf(keys);
        this.values = List.copyOf(values);
    }

    /**
     * Whether the book keeps this record packed: a closed invoice with nothing held for its key and no
     * dunning request in trouble. So the walks that look for open invoices and troubled requests (the
     * dunning run, its alert) skip packed records without unpacking them.
     */
    static boolean packable(InvoiceRecord record) {
        return record.invoice().isPresent() && !record.invoice().get().status().isOpen() && record.unapplied().isEmpty()
                && record.invoice().get().dunning().stream().noneMatch(PackedRecords::troubled);
    }

    /** A request the emailer could not deliver or did not acknowledge in time (emitted twice). */
    static boolean troubled(DunningStep step) {
        return !step.failures().isEmpty() || step.emittedAttempts() == DunningStep.MAX_ATTEMPTS;
    }

    /** The record, or its bytes if it is kept packed. */
    static Object packIfClosed(InvoiceRecord record) {
        return packable(record) ? pack(record) : record;
    }

    static byte[] pack(InvoiceRecord record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            RecordCodec.write(out, record);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
    }

    /** A value as the book holds it, as a record. */
    static InvoiceRecord unpack(Object value) {
        if (value instanceof InvoiceRecord record) {
            return record;
        }
        byte[] bytes = (byte[]) value;
        BytesInput in = new BytesInput(bytes, 0, bytes.length);
        try {
            InvoiceRecord record = new RecordCodec().readRecord(in);
            if (!in.atEnd()) {
                throw new IllegalStateException("a packed record with bytes after its end: " + record.key());
            }
            return record;
        } catch (IOException e) {
            // Packed by this process from a record it held: unreadable means memory itself is wrong.
            throw new IllegalStateException("a packed record cannot be read", e);
        }
    }

    InvoiceKey key(int index) {
        return keys.get(index);
    }

    /** The value at {@code index} as the book held it: a record, or its bytes. */
    Object value(int index) {
        return values.get(index);
    }

    /** The record's bytes as a snapshot stores them. */
    byte[] bytes(int index) {
        Object value = values.get(index);
        return value instanceof byte[] bytes ? bytes : pack((InvoiceRecord) value);
    }

    @Override
    public InvoiceRecord get(int index) {
        return unpack(values.get(index));
    }

    @Override
    public int size() {
        return values.size();
    }
}
