package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.CorruptFileException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a snapshot's length-prefixed records in batches and decodes the batches on every core: at a
 * start, decoding a million records is most of the work, and the file is read faster than one core
 * decodes it. Memory is bounded by the batches in flight.
 */
final class RecordBatches {

    private static final int RECORDS_A_BATCH = 4096;
    private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final int BATCHES_IN_FLIGHT = 2 * THREADS;

    private RecordBatches() {
    }

    /**
     * @return every record, each checked by decoding it; a closed invoice's kept as its bytes ({@link PackedRecords})
     */
    static List<InvoiceRecord> read(DataInputStream in, long count, int maxRecordBytes, long maxSeq, Path file)
            throws IOException {
        // Sized by what is read, not by the count: a count bent by damage must not allocate first.
        List<InvoiceKey> keys = new ArrayList<>((int) Math.min(count, RECORDS_A_BATCH));
        List<Object> values = new ArrayList<>((int) Math.min(count, RECORDS_A_BATCH));
        ExecutorService decoders = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "collections-snapshot-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Future<List<Object[]>>> inFlight = new ArrayDeque<>();
            for (long done = 0; done < count; ) {
                int n = (int) Math.min(RECORDS_A_BATCH, count - done);
                List<byte[]> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int length = in.readInt();
                    if (length < 1 || length > maxRecordBytes) {
                        throw new CorruptFileException(file, "a record of " + length + " bytes");
                    }
                    byte[] bytes = new byte[length];
                    in.readFully(bytes);
                    batch.add(bytes);
                }
                done += n;
                inFlight.add(decoders.submit(() -> decode(batch, maxSeq)));
                if (inFlight.size() >= BATCHES_IN_FLIGHT) {
                    add(take(inFlight.poll(), file), keys, values);
                }
            }
            while (!inFlight.isEmpty()) {
                add(take(inFlight.poll(), file), keys, values);
            }
            return new PackedRecords(keys, values);
        } finally {
            decoders.shutdownNow();
        }
    }

    private static void add(List<Object[]> batch, List<InvoiceKey> keys, List<Object> values) {
        for (Object[] keyAndValue : batch) {
            keys.add((InvoiceKey) keyAndValue[0]);
            values.add(keyAndValue[1]);
        }
    }

    /** Each record decoded (every invariant checked), and kept as the book will: closed ones as their bytes. */
    private static List<Object[]> decode(List<byte[]> batch, long maxSeq) {
        RecordCodec codec = new RecordCodec();
        List<Object[]> records = new ArrayList<>(batch.size());
        for (byte[] bytes : batch) {
            BytesInput in = new BytesInput(bytes, 0, bytes.length);
            try {
                InvoiceRecord record = codec.readRecord(in);
                if (!in.atEnd()) {
                    throw new IllegalArgumentException("a record with bytes after its end");
                }
                if (record.lastSeq() > maxSeq) {
                    throw new IllegalArgumentException(record.key() + " is at seq " + record.lastSeq()
                            + ", after the snapshot's " + maxSeq);
                }
                records.add(new Object[] {record.key(), PackedRecords.packable(record) ? bytes : record});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return records;
    }

    private static List<Object[]> take(Future<List<Object[]>> batch, Path file) throws IOException {
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + file, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String problem = cause instanceof UncheckedIOException io ? io.getCause().getMessage() : cause.getMessage();
            if (cause instanceof UncheckedIOException || cause instanceof IllegalArgumentException
                    || cause instanceof IllegalStateException || cause instanceof java.time.DateTimeException
                    || cause instanceof ArithmeticException) {
                throw new CorruptFileException(file, "a record that cannot be read: " + problem);
            }
            throw new IllegalStateException("decoding " + file, cause);
        }
    }
}
