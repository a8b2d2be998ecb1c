package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.log.LogPosition;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a snapshot costs at a given size, alone: writing it, reading and checking it, and loading the
 * book and message table from it (what a start after a clean stop does before it reads the log's
 * tail). The records are one paid invoice (two payments) copied under distinct keys; three messages each.
 *
 * <p>{@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.novotechno.collections.state.SnapshotBenchmark -Dexec.args="1000000"}
 */
public final class SnapshotBenchmark {

    public static void main(String[] args) throws Exception {
        int invoices = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        InvoiceState sample = sample();
        List<InvoiceRecord> records = new ArrayList<>(invoices);
        MessageLocations locations = new MessageLocations();
        long offset = 0;
        for (int i = 0; i < invoices; i++) {
            InvoiceKey key = new InvoiceKey("client" + (i % 5000), "INV-" + i);
            InvoiceState state = new InvoiceState(key, sample.amount(), sample.balance(), sample.status(), sample.issuedOn(),
                    sample.dueOn(), sample.contactEmail(), sample.statusSince(), sample.escalationReason(), sample.payments(),
                    sample.reminders(), sample.dunning(), sample.pause(), sample.credits(), sample.writtenOff(),
                    sample.closingReason(), sample.amendments(), sample.lastSeq(), sample.updatedAt());
            records.add(new InvoiceRecord(key, Optional.of(state), List.of(), sample.lastSeq()));
            for (int m = 0; m < 3; m++) {
                locations.add("message-" + i + "-" + m, offset);
                offset += 400;
            }
        }
        StoreSnapshot.Contents contents = new StoreSnapshot.Contents(new LogPosition(3L * invoices, Sha256.ZERO, offset, offset + 400),
                Optional.of(Instant.now()), Optional.of(Instant.now()), List.of(), records, Map.of(), locations.copy());
        Path dir = Files.createTempDirectory("collections-snapshot-bench");
        Path target = dir.resolve("snapshot.bin");
        FileSystemStorage disk = new FileSystemStorage();
        try {
            long t0 = System.nanoTime();
            StoreSnapshot.publish(disk, StoreSnapshot.writeTemporary(disk, target, contents), target);
            System.out.printf("%,d invoices, %,d messages: snapshot of %,d MB written and fsynced in %.2f s%n", invoices,
                    3L * invoices, Files.size(target) >> 20, (System.nanoTime() - t0) / 1e9);
            contents = null; // the start measured below holds one book, as a real start does
            records.clear();
            for (int round = 0; round < 3; round++) {
                System.gc();
                long t1 = System.nanoTime();
                StoreSnapshot.Contents read = StoreSnapshot.read(disk, target);
                long t2 = System.nanoTime();
                InvoiceBook book = new InvoiceBook();
                book.loadAll(read.records());
                MessageLocations loaded = MessageLocations.of(read.locations());
                long t3 = System.nanoTime();
                read = null;
                System.gc();
                Runtime runtime = Runtime.getRuntime();
                System.out.printf("  read and check %.2f s, load into the book and table %.2f s: %.2f s (book %,d, table %,d;"
                                + " heap after %,d MB)%n", (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t1) / 1e9, book.size(),
                        loaded.size(), (runtime.totalMemory() - runtime.freeMemory()) >> 20);
            }
        } finally {
            Files.deleteIfExists(target);
            Files.deleteIfExists(dir);
        }
    }

    private static InvoiceState sample() throws Exception {
        String json = "{\"amount\":\"1250.00\",\"balance\":\"0.00\",\"client\":\"acme-corp\",\"contact_email\":\"ap@acme.example\","
                + "\"currency\":\"USD\",\"due_on\":\"2026-03-01\",\"invoice_number\":\"INV-1\",\"issued_on\":\"2026-01-30\","
                + "\"last_seq\":3,\"payments\":[{\"amount\":\"250.00\",\"message_id\":\"m2\",\"received_on\":\"2026-02-01\","
                + "\"reference\":\"BANK-123456\",\"seq\":2},{\"amount\":\"1000.00\",\"message_id\":\"m3\","
                + "\"received_on\":\"2026-02-20\",\"reference\":\"BANK-123457\",\"seq\":3}],\"reminders\":[],\"status\":\"paid\","
                + "\"status_since\":\"2026-02-20T10:00:00Z\",\"updated_at\":\"2026-02-20T10:00:00Z\"}";
        com.fasterxml.jackson.databind.node.ObjectNode node =
                (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        return StateCodec.decode(com.novotechno.collections.storage.ChecksummedJson.encode(node), Path.of("sample.json"));
    }
}
