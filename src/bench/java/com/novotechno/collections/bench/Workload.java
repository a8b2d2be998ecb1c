package com.novotechno.collections.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The benchmarks' workload, the same for the project and its SQLite peer: per invoice three
 * messages, issued (1000.00 USD), a partial payment (400.00) and the final payment (600.00),
 * which pays it off (and, in the project, moves its state file to the archive).
 */
final class Workload {

    static final int MESSAGES_PER_INVOICE = 3;

    private Workload() {
    }

    /** The three messages of invoice {@code i}, in the order they are sent. */
    static String[] invoice(int i) {
        String invoice = "INV-" + i;
        String client = "client" + (i % 50);
        return new String[] {
            "{\"type\":\"invoice.issued\",\"message_id\":\"" + invoice + "-issued\",\"client\":\"" + client
                    + "\",\"invoice_number\":\"" + invoice + "\",\"amount\":\"1000.00\",\"currency\":\"USD\"}",
            "{\"type\":\"payment.received\",\"message_id\":\"" + invoice + "-p1\",\"client\":\"" + client
                    + "\",\"invoice_number\":\"" + invoice + "\",\"amount\":\"400.00\",\"currency\":\"USD\"}",
            "{\"type\":\"payment.received\",\"message_id\":\"" + invoice + "-p2\",\"client\":\"" + client
                    + "\",\"invoice_number\":\"" + invoice + "\",\"amount\":\"600.00\",\"currency\":\"USD\"}",
        };
    }

    /** Throughput and latency of one measured run. */
    record Figures(int operations, long elapsedNanos, long p50Nanos, long p99Nanos) {

        static Figures of(long[] latenciesNanos, long elapsedNanos) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return new Figures(n, elapsedNanos, n == 0 ? 0 : sorted[n / 2], n == 0 ? 0 : sorted[Math.min(n - 1, (int) (n * 0.99))]);
        }

        double perSecond() {
            return operations / (elapsedNanos / 1e9);
        }

        String describe(String unit) {
            return String.format("%,8.0f %s/s  (%,d in %.2f s; p50 %.2f ms, p99 %.2f ms)", perSecond(), unit, operations,
                    elapsedNanos / 1e9, p50Nanos / 1e6, p99Nanos / 1e6);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
