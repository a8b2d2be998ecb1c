package com.novotechno.collections.bench;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.MessageEnvelope;
import com.novotechno.collections.domain.MessageType;
import com.novotechno.collections.log.EventDraft;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * How long a start spends reading and verifying the event log: every line's JCS form, hash and
 * chain link is checked on open, so start-up time grows with the log.
 *
 * <p>{@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.novotechno.collections.bench.LogOpenBenchmark -Dexec.args="[ENTRIES]"}
 * (default 200000). Writes a log of that many entries to a temporary folder, opens it three
 * times (the first includes JIT warm-up), and deletes it.
 */
public final class LogOpenBenchmark {

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        FileSystemStorage storage = new FileSystemStorage();
        Path dir = Files.createTempDirectory("collections-log-bench");
        Path log = dir.resolve(EventLog.FILE_NAME);
        try {
            try (EventLog writer = EventLog.open(storage, log, entry -> { }, (seq, line) -> { }, report -> { })) {
                for (int i = 1; i <= entries; i++) {
                    String id = "bench-" + i;
                    writer.write(new EventDraft(Instant.now(),
                            new MessageEnvelope(MessageType.INVOICE_ESCALATED, id, new InvoiceKey("client" + (i % 50), "INV-" + i),
                                    Sha256.hex(id.getBytes(StandardCharsets.UTF_8))),
                            new Change.Escalated("no answer to the final notice")));
                }
                writer.awaitDurable(entries);
            }
            System.out.printf("log open benchmark: %,d entries, %,d MB%n", entries, Files.size(log) >> 20);
            for (int run = 1; run <= 3; run++) {
                long[] visited = {0};
                long started = System.nanoTime();
                try (EventLog opened = EventLog.open(storage, log, entry -> visited[0]++, (seq, line) -> { }, report -> { })) {
                    if (opened.lastSeq() != entries || visited[0] != entries) {
                        throw new IllegalStateException("read back " + visited[0] + " of " + entries + " entries");
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("open %d: %.2f s (%,.0f entries/s)%s%n", run, seconds, entries / seconds,
                        run == 1 ? ", with JIT warm-up" : "");
            }
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(dir);
        }
    }
}
