package com.novotechno.collections.bench;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.service.CollectionsService;
import com.novotechno.collections.service.EmbeddedBroker;
import com.novotechno.collections.service.InvoiceGroup;
import com.novotechno.collections.service.ServiceSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.ForwardingStorage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * Throughput of the running service, through its real routes, broker and store with fsync on:
 * the queue with one consumer and with eight, and the inbox with one consumer and with
 * {@code collections.inbox.consumers}' default, four. Each run pre-loads the messages
 * (into the broker's journal, or as files in the inbox) with the service stopped, starts it, and
 * times from the first applied message to the last. It also counts the event log's fsyncs per
 * message, which fall below one when concurrent messages share them.
 *
 * <p>{@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.novotechno.collections.bench.ServiceBenchmark -Dexec.args="[INVOICES]"}
 * (default 600 invoices, 3 messages each: issued, a partial payment, the final payment).
 */
public final class ServiceBenchmark {

    public static void main(String[] args) throws Exception {
        int invoices = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        System.out.printf("service benchmark: %d invoices x 3 messages, fsync on, %d cores%n", invoices,
                Runtime.getRuntime().availableProcessors());
        Path floorDir = Files.createTempDirectory("collections-service-floor");
        try {
            // The disk's floor in the same run: what one message's log fsync and its state file could cost at best.
            Workload.Figures files = DiskFloor.createAndRename(floorDir, invoices);
            Workload.Figures fsyncs = DiskFloor.fsyncs(floorDir, 1);
            Workload.Figures fsyncs8 = DiskFloor.fsyncs(floorDir, 8);
            System.out.printf("the disk's floor: %s (1 thread), %s (8 threads), state files %s%n",
                    fsyncs.describe("fsyncs"), fsyncs8.describe("fsyncs"), files.describe("files"));
        } finally {
            Workload.deleteTree(floorDir);
        }
        run("warm-up (not measured)", invoices / 3, Source.QUEUE, 4, false);
        run("queue, 1 consumer", invoices, Source.QUEUE, 1, true);
        run("queue, 8 consumers", invoices, Source.QUEUE, 8, true);
        run("inbox, 1 consumer", invoices, Source.INBOX, 1, true);
        run("inbox, 4 consumers", invoices, Source.INBOX, 4, true);
    }

    private enum Source { QUEUE, INBOX }

    private static void run(String name, int invoices, Source source, int consumers, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("collections-service-bench");
        try {
            List<byte[]> messages = messages(invoices);
            int port = freePort();
            if (source == Source.QUEUE) {
                preloadQueue(dir, port, messages);
            } else {
                preloadInbox(dir, messages);
            }
            Settings settings = Settings.load(Map.of(), Map.of(Settings.DATA_DIR, dir.toString(),
                    Settings.BROKER_PORT, Integer.toString(port), Settings.QUEUE_CONSUMERS, Integer.toString(consumers),
                    Settings.INBOX_CONSUMERS, Integer.toString(consumers), Settings.RECONCILE_PERIOD, "1h",
                    Settings.HTTP_ENABLED, "false"));
            CountingStorage storage = new CountingStorage();
            long first = 0;
            long last;
            try (CollectionsService service = CollectionsService.start(settings, ServiceSettings.of(settings), storage,
                    notice -> { }, () -> { })) {
                while (true) {
                    long applied = service.store().lastSeq();
                    long now = System.nanoTime();
                    if (applied >= 1 && first == 0) {
                        first = now;
                    }
                    if (applied >= messages.size()) {
                        last = now;
                        break;
                    }
                    Thread.sleep(2);
                }
            }
            if (print) {
                double seconds = (last - first) / 1e9;
                System.out.printf("%-20s %7.0f messages/s  %6.2f ms a message  %5.2f log fsyncs a message%n", name,
                        (messages.size() - 1) / seconds, seconds * 1000 / (messages.size() - 1),
                        (double) storage.logForces.get() / messages.size());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** Per invoice, in order: issued, a partial payment, the final payment (which archives it). */
    private static List<byte[]> messages(int invoices) {
        List<byte[]> messages = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < invoices; i++) {
                String invoice = "INV-" + i;
                String json = switch (step) {
                    case 0 -> "{\"type\":\"invoice.issued\",\"message_id\":\"" + invoice + "-i\",\"client\":\"ACME\","
                            + "\"invoice_number\":\"" + invoice + "\",\"amount\":\"100.00\",\"currency\":\"USD\"}";
                    case 1 -> payment(invoice + "-p1", invoice, "40.00");
                    default -> payment(invoice + "-p2", invoice, "60.00");
                };
                messages.add(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        return messages;
    }

    private static String payment(String id, String invoice, String amount) {
        return "{\"type\":\"payment.received\",\"message_id\":\"" + id + "\",\"client\":\"ACME\",\"invoice_number\":\""
                + invoice + "\",\"amount\":\"" + amount + "\",\"currency\":\"USD\"}";
    }

    private static void preloadQueue(Path dir, int port, List<byte[]> messages) throws Exception {
        DataLayout layout = new DataLayout(dir);
        Files.createDirectories(layout.broker());
        // As the service would: its credentials made in the folder, the producer's used to send.
        BrokerCredentials credentials = BrokerCredentials.loadOrCreate(new FileSystemStorage(), dir);
        try (EmbeddedBroker broker = EmbeddedBroker.start(layout.broker(), EmbeddedBroker.Options.of(port, credentials));
             Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection(
                     BrokerCredentials.PRODUCER, credentials.password(BrokerCredentials.PRODUCER))) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(EmbeddedBroker.INVOICES));
            for (byte[] message : messages) {
                TextMessage text = session.createTextMessage(new String(message, StandardCharsets.UTF_8));
                text.setStringProperty(InvoiceGroup.PROPERTY, InvoiceGroup.of(message).orElseThrow());
                producer.send(text);
            }
            session.commit();
        }
    }

    /** Names in order, and modification times a second apart per step, so the inbox reads them in order. */
    private static void preloadInbox(Path dir, List<byte[]> messages) throws IOException {
        Path inbox = Files.createDirectories(new DataLayout(dir).inbox());
        long start = System.currentTimeMillis() - 3_600_000;
        for (int i = 0; i < messages.size(); i++) {
            Path file = inbox.resolve(String.format("m%06d.json", i));
            Files.write(file, messages.get(i));
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(start + i));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The real disk, counting the fsyncs of appended files: the event log is the only one. */
    private static final class CountingStorage extends ForwardingStorage {
        final AtomicLong logForces = new AtomicLong();

        CountingStorage() {
            super(new FileSystemStorage());
        }

        @Override
        public AppendFile openAppend(Path file) throws IOException {
            return new ForwardingAppendFile(delegate.openAppend(file)) {
                @Override
                public void force() throws IOException {
                    logForces.incrementAndGet();
                    delegate.force();
                }
            };
        }
    }
}
