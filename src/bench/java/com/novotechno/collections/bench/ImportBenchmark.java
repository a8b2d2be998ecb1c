package com.novotechno.collections.bench;

import com.novotechno.collections.cli.CollectionsCommand;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bulk load: the project's {@code import} command, run in this JVM as a user types it, on a
 * fresh data folder, against SQLite loading the same messages 100 to a transaction
 * ({@link SqlitePeer#applyBatch}: WAL, synchronous=FULL, the same per-message steps), and against
 * the disk's floor ({@link DiskFloor}). The messages are N / 3 invoices, each issued, partly
 * paid and paid off, one after the other, as a JSON Lines file.
 *
 * <p>{@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.novotechno.collections.bench.ImportBenchmark -Dexec.args="[MESSAGES]"}
 * (default 30000, also settable as {@code -Dbench.messages=N}). Both sides time everything from
 * reading the file to the last commit; a warm-up run of each on 600 messages comes first.
 * Everything goes to one temporary folder in {@code java.io.tmpdir}, deleted afterwards.
 */
public final class ImportBenchmark {

    private static final int SQLITE_BATCH = 100;

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("bench.messages", 30_000);
        int invoices = messages / Workload.MESSAGES_PER_INVOICE;
        messages = invoices * Workload.MESSAGES_PER_INVOICE;
        Path root = Files.createTempDirectory("collections-import-bench");
        try {
            System.out.printf("import benchmark: %,d messages (%,d invoices: issued, partial payment, final payment), fsync on,"
                    + " %d cores, in %s%n", messages, invoices, Runtime.getRuntime().availableProcessors(), root);
            Path warmUpFile = writeMessages(root.resolve("warm-up.jsonl"), Math.min(invoices, 200));
            importWithProject(root, warmUpFile, Math.min(invoices, 200) * Workload.MESSAGES_PER_INVOICE);
            importWithSqlite(root, warmUpFile);
            Files.delete(warmUpFile);

            Path file = writeMessages(root.resolve("messages.jsonl"), invoices);
            System.out.printf("messages file: %,d bytes%n", Files.size(file));

            // The files the import must leave: one state file an invoice. Before the fsync loop: see ApplyBenchmark.
            Workload.Figures files = DiskFloor.createAndRename(root, invoices);
            double floorMessages = files.perSecond() * Workload.MESSAGES_PER_INVOICE;
            Workload.Figures fsync = DiskFloor.fsyncs(root, 1);
            System.out.println("the disk's floor, in the same folder:");
            System.out.printf("  fsyncs, 1 thread:  %s   (append 120 bytes + fdatasync, one file)%n", fsync.describe("fsyncs"));
            System.out.printf("  state-file floor:  %s   (create + rename a 300-byte file, no fsync; one an invoice)%n",
                    files.describe("files"));
            System.out.printf("  so at most %,.0f messages/s for the state files alone%n", floorMessages);

            double project = importWithProject(root, file, messages);
            double sqlite = importWithSqlite(root, file);
            System.out.printf("project import:         %,10.0f messages/s%n", project);
            System.out.printf("SQLite, %d a transaction: %,9.0f messages/s%n", SQLITE_BATCH, sqlite);
            System.out.printf("project/SQLite %.3fx; project %.3fx the state-file floor's %,.0f messages/s%n",
                    project / sqlite, project / floorMessages, floorMessages);
            System.out.println("| messages | project messages/s | SQLite batched messages/s | project/SQLite | disk fsyncs/s | state-file floor files/s (messages/s) | project/floor |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            System.out.printf("| %,d | %,.0f | %,.0f | %.3fx | %,.0f | %,.0f (%,.0f) | %.3fx |%n", messages, project, sqlite,
                    project / sqlite, fsync.perSecond(), files.perSecond(), floorMessages, project / floorMessages);
        } finally {
            Workload.deleteTree(root);
        }
    }

    private static Path writeMessages(Path file, int invoices) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < invoices; i++) {
                for (String message : Workload.invoice(i)) {
                    out.write(message);
                    out.write('\n');
                }
            }
        }
        return file;
    }

    /** Runs {@code import --data-dir FRESH FILE} in this JVM; messages/s. */
    private static double importWithProject(Path root, Path file, int messages) throws Exception {
        Path data = root.resolve("project-data");
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long started = System.nanoTime();
            int exit = CollectionsCommand.execute(new String[] {"import", "--create", "--data-dir", data.toString(), file.toString()},
                    Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
            long elapsed = System.nanoTime() - started;
            String expected = "import: " + messages + " applied, 0 duplicates, 0 rejected";
            if (exit != 0 || !out.toString().trim().equals(expected)) {
                throw new IllegalStateException("import exited " + exit + ": " + out + err);
            }
            return messages / (elapsed / 1e9);
        } finally {
            Workload.deleteTree(data);
        }
    }

    /** Reads the same file and applies it to a fresh SQLite database, 100 messages a transaction; messages/s. */
    private static double importWithSqlite(Path root, Path file) throws Exception {
        Path dir = Files.createDirectories(root.resolve("sqlite-data"));
        try (SqlitePeer sqlite = SqlitePeer.open(dir.resolve("collections.db"))) {
            long started = System.nanoTime();
            int applied = 0;
            int total = 0;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                List<String> batch = new ArrayList<>(SQLITE_BATCH);
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    batch.add(line);
                    if (batch.size() == SQLITE_BATCH) {
                        applied += sqlite.applyBatch(batch);
                        total += batch.size();
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    applied += sqlite.applyBatch(batch);
                    total += batch.size();
                }
            }
            long elapsed = System.nanoTime() - started;
            if (applied != total) {
                throw new IllegalStateException("SQLite applied " + applied + " of " + total);
            }
            return total / (elapsed / 1e9);
        } finally {
            Workload.deleteTree(dir);
        }
    }
}
