package com.novotechno.collections.service;

import com.novotechno.collections.camel.ReplyAddresses;
import com.novotechno.collections.config.Settings;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default broker (CONTRACT section 4): ActiveMQ Artemis in this JVM, its persistent journal
 * under the data folder, listening on 127.0.0.1 for CORE, AMQP, STOMP and OpenWire clients.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String INVOICES = "collections.invoices";
    public static final String INVOICES_DLQ = "collections.invoices.DLQ";
    private static final String EMAILER = "collections.emailer";
    private static final String ALERTS = "collections.alerts";
    /** Where messages that expire or fail on any other address end up, so none is dropped silently. */
    private static final String DEAD_LETTERS = "DLQ";
    private static final String EXPIRED = "ExpiryQueue";

    /** A message that keeps failing for a transient reason is retried this often, then dead-lettered. */
    private static final int MAX_DELIVERY_ATTEMPTS = 6;
    private static final long FIRST_REDELIVERY_DELAY_MILLIS = 1000;
    private static final long MAX_REDELIVERY_DELAY_MILLIS = 60_000;

    /** Message groups (one per invoice) share this many buckets, so the broker's group table stays bounded. */
    private static final int GROUP_BUCKETS = 4096;
    private static final String ACCEPTOR = "clients";
    /** The plain acceptor's address: this machine's clients only; others use the TLS acceptor. */
    private static final String HOST = "127.0.0.1";
    private static final String PROTOCOLS = "CORE,AMQP,STOMP,OPENWIRE";
    private static final String TLS_ACCEPTOR = "tls-clients";
    /**
     * No AMQP message is stored as a large one: a large AMQP message is delivered from the bytes its
     * client sent, so the sender SenderStamp writes would be lost and a producer's own CollectionsSender
     * kept. Every message the service takes is under 64 KiB; a larger one stays a message in memory,
     * and one beyond a journal record is refused at send.
     */
    private static final String AMQP_MIN_LARGE_MESSAGE_SIZE = "amqpMinLargeMessageSize";
    private static final String NEVER = "-1";
    /** See {@link #configuration}: how long the journal may gather records from all sessions into one sync. */
    static final int JOURNAL_BUFFER_TIMEOUT_NANOS = 500_000;
    static final int JOURNAL_POOL_FILES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedActiveMQ server;
    private final TemporaryQueueSecurity security;

    private EmbeddedBroker(EmbeddedActiveMQ server, TemporaryQueueSecurity security) {
        this.server = server;
        this.security = security;
    }

    /** Artemis' own default share of the disk. */
    public static final int DEFAULT_MAX_DISK_USAGE_PERCENT = 90;

    /**
     * @param port the plain acceptor's, on 127.0.0.1
     * @param credentials the users; every connection must log in as one of them
     */
    public record Options(int port, int maxDiskUsagePercent, BrokerCredentials credentials, Optional<Tls> tls) {
        public static Options of(int port, BrokerCredentials credentials) {
            return new Options(port, DEFAULT_MAX_DISK_USAGE_PERCENT, credentials, Optional.empty());
        }
    }

    /** A second acceptor, TLS only, for producers on other machines; the plain one stays on 127.0.0.1. */
    public record Tls(Path keystore, String keystorePassword, String host, int port) {
    }

    /** @throws BrokerPortTaken when a port of its acceptors cannot be listened on, naming the option to change */
    public static EmbeddedBroker start(Path dataDir, Options options) throws Exception {
        int port = options.port();
        BrokerPortTaken.requireFree(HOST, port, Settings.BROKER_PORT);
        if (options.tls().isPresent()) {
            BrokerPortTaken.requireFree(options.tls().get().host(), options.tls().get().port(), Settings.BROKER_TLS_PORT);
        }
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(configuration(dataDir, options));
        TemporaryQueueSecurity security = BrokerSecurity.securityManager(options.credentials());
        server.setSecurityManager(security);
        server.createActiveMQServer();
        ActiveMQServer active = server.getActiveMQServer();
        security.attach(active);
        // Artemis logs a failure to start and returns from start() all the same; these keep its cause.
        AtomicReference<Throwable> journalFailure = new AtomicReference<>();
        AtomicReference<Throwable> activationFailure = new AtomicReference<>();
        active.registerIOCriticalErrorListener((cause, message, file) -> journalFailure.compareAndSet(null, cause));
        active.registerActivationFailureListener(cause -> activationFailure.compareAndSet(null, cause));
        server.start();
        Acceptor acceptor = active.getRemotingService().getAcceptor(ACCEPTOR);
        Acceptor tlsAcceptor = options.tls().isPresent() ? active.getRemotingService().getAcceptor(TLS_ACCEPTOR) : acceptor;
        if (!active.isActive() || acceptor == null || !acceptor.isStarted() || tlsAcceptor == null || !tlsAcceptor.isStarted()) {
            server.stop();
            throw startFailure(dataDir, port, journalFailure.get(), activationFailure.get());
        }
        // The disk is first measured a scan period after the start; a disk already full must refuse the first send.
        if (active instanceof ActiveMQServerImpl impl && impl.getMonitor() != null) {
            impl.getMonitor().tick();
        }
        return new EmbeddedBroker(server, security);
    }

    /** Where the queue route may answer a message's sender: a temporary queue that sender made, nothing else. */
    public ReplyAddresses replyAddresses() {
        return security;
    }

    /**
     * Why the broker did not start, named from what failed: a journal that cannot be written (a
     * full disk, a read-only folder) also leaves the acceptor unstarted, so the port is blamed
     * only when binding it is what failed.
     */
    private static IOException startFailure(Path dataDir, int port, Throwable journalFailure, Throwable activationFailure) {
        // The broker's own errors for this are left out of the jar's logging configurations: its trace is here.
        LOG.debug("the embedded broker did not start", journalFailure != null ? journalFailure : activationFailure);
        if (journalFailure != null) {
            return new IOException("the embedded broker could not start: its journal in " + dataDir
                    + " cannot be written: " + Causes.rootMessage(journalFailure), journalFailure);
        }
        if (activationFailure == null || bindFailed(activationFailure)) {
            // Taken since the check in start. Going on would have the routes connect to whatever holds the port:
            // another broker, another service's queue.
            return activationFailure == null
                    ? new BrokerPortTaken(HOST, port, Settings.BROKER_PORT, "is taken by another program", null)
                    : BrokerPortTaken.taken(HOST, port, Settings.BROKER_PORT, activationFailure);
        }
        return new IOException("the embedded broker could not start: " + Causes.rootMessage(activationFailure), activationFailure);
    }

    private static boolean bindFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // AMQ229230 is Artemis' "Failed to bind acceptor"; Netty's native transport throws no BindException.
            if (t instanceof BindException || String.valueOf(t.getMessage()).startsWith("AMQ229230")) {
                return true;
            }
        }
        return false;
    }

    private static Configuration configuration(Path dataDir, Options options) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("novotechno-collections")
                .setPersistenceEnabled(true)
                // Every connection logs in; what each user may do per address is in BrokerSecurity.
                .setSecurityEnabled(true)
                .setPopulateValidatedUser(true)
                // NIO works everywhere; the native AIO journal would only add a start-up warning where libaio is missing.
                .setJournalType(JournalType.NIO)
                // Every send and acknowledgement is on disk before the broker confirms it (these are the defaults, stated),
                // with fdatasync, not just written to the page cache: they survive kill -9 and power loss.
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true)
                .setJournalDatasync(true)
                // Syncs are shared: every session's records that arrive while the journal syncs go to disk with the next
                // sync, one for all of them. After a sync the journal waits out the rest of this timeout before the next,
                // so it caps the syncs a second, and a commit waits up to that long after the previous sync. NIO's default,
                // 3.33 ms (300 a second), is as long as a whole apply of the store here; 0.5 ms is Artemis' own for AIO, a
                // little more than this disk's sync (about 0.3 ms on the development machine). On a slower disk a sync
                // takes longer than the timeout and the next follows at once, batching what came meanwhile.
                .setJournalBufferTimeout_NIO(JOURNAL_BUFFER_TIMEOUT_NANOS)
                // Files are recycled as consumers acknowledge; after a backlog the journal shrinks back to this many
                // instead of keeping every file it ever made (Artemis' default, -1). The rest are Artemis' defaults, kept:
                // 10 MiB files (thousands of messages of a few KiB), 2 made at the first start (more would cost every
                // start of a new folder, the tests' too, 10 MiB of zeros a file), a 490 KiB write buffer (a sync, not the
                // buffer filling, ends a batch of messages this small), and compaction once 10 files are under 30% live
                // (dead letters, alerts and emailer requests nobody takes would otherwise pin old files).
                .setJournalPoolFiles(JOURNAL_POOL_FILES)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .setNodeManagerLockDirectory(dataDir.toString())
                // Over this share of its disk the broker holds every producer (AMQP ones get no credit) until
                // there is room; the service's own sends give up after BrokerClients.SEND_TIMEOUT_MILLIS.
                .setMaxDiskUsage(options.maxDiskUsagePercent())
                .setJMXManagementEnabled(false);
        // Confirmed means on disk for the messages the service promises to keep (CONTRACT section 4).
        config.registerBrokerPlugin(new DurableAddresses(Set.of(INVOICES, INVOICES_DLQ, EMAILER)));
        // Broker permissions are per address; the service checks each message's type against its sender.
        config.registerBrokerPlugin(new SenderStamp(INVOICES));
        // collections.retention.dlq counts from a dead letter's arrival, which no sender can date.
        config.registerBrokerPlugin(new DeadLetterArrival(Set.of(INVOICES_DLQ, DEAD_LETTERS), java.time.Clock.systemUTC()));
        // The one queue a client makes, for the service's answers, is temporary: gone with its connection.
        config.registerBrokerPlugin(new TemporaryQueuesOnly());
        config.addAcceptorConfiguration(ACCEPTOR, "tcp://" + HOST + ":" + options.port() + "?protocols=" + PROTOCOLS + ";"
                + AMQP_MIN_LARGE_MESSAGE_SIZE + "=" + NEVER);
        if (options.tls().isPresent()) {
            Tls tls = options.tls().get();
            // As a map, not a URL: a password need not be URL-safe.
            Map<String, Object> params = new HashMap<>();
            params.put(TransportConstants.HOST_PROP_NAME, tls.host());
            params.put(TransportConstants.PORT_PROP_NAME, tls.port());
            params.put(TransportConstants.PROTOCOLS_PROP_NAME, PROTOCOLS);
            params.put(AMQP_MIN_LARGE_MESSAGE_SIZE, NEVER); // a string, as the URL above gives it
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, tls.keystore().toAbsolutePath().toString());
            params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, tls.keystorePassword());
            params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, "PKCS12");
            config.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, TLS_ACCEPTOR));
        }
        BrokerSecurity.roles(INVOICES, INVOICES_DLQ, EMAILER, ALERTS, List.of(DEAD_LETTERS, EXPIRED))
                .forEach(config::putSecurityRoles);

        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTERS))
                .setExpiryAddress(SimpleString.of(EXPIRED)));
        config.addAddressSetting(INVOICES, new AddressSettings()
                // A send that finds no queue anyway is confirmed by the broker all the same: it goes to the
                // dead letters, where an operator sees it, instead of nowhere.
                .setSendToDLAOnNoRoute(true)
                .setDeadLetterAddress(SimpleString.of(INVOICES_DLQ))
                .setExpiryAddress(SimpleString.of(INVOICES_DLQ))
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
                .setRedeliveryDelay(FIRST_REDELIVERY_DELAY_MILLIS)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(MAX_REDELIVERY_DELAY_MILLIS)
                .setDefaultGroupBuckets(GROUP_BUCKETS));
        for (String queue : List.of(INVOICES, INVOICES_DLQ, EMAILER, ALERTS, DEAD_LETTERS, EXPIRED)) {
            config.addQueueConfiguration(QueueConfiguration.of(queue).setAddress(queue)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        return config;
    }

    /**
     * Removes the messages on both dead-letter queues that arrived there before {@code before} ({@link DeadLetterArrival}), through
     * the broker's own management of its queues: the retention's, which no client user may do.
     *
     * @return how many were removed
     */
    public int removeDeadLettersOlderThan(java.time.Instant before) throws Exception {
        // By the arrival the broker stamped; a letter from before that stamp existed by its JMSTimestamp, unless it has
        // none (0): such a one is kept, since its age cannot be told.
        long cut = before.toEpochMilli();
        org.apache.activemq.artemis.core.filter.Filter sentBefore =
                org.apache.activemq.artemis.core.filter.impl.FilterImpl.createFilter(DeadLetterArrival.PROPERTY + " < " + cut
                        + " OR (" + DeadLetterArrival.PROPERTY + " IS NULL AND AMQTimestamp > 0 AND AMQTimestamp < " + cut + ")");
        int removed = 0;
        for (String name : List.of(INVOICES_DLQ, DEAD_LETTERS)) {
            org.apache.activemq.artemis.core.server.Queue queue = server.getActiveMQServer().locateQueue(name);
            if (queue != null) {
                removed += queue.deleteMatchingReferences(sentBefore);
            }
        }
        return removed;
    }

    /** True while the broker is started and serving (not stopping, not failed). */
    public boolean isActive() {
        ActiveMQServer active = server.getActiveMQServer();
        return active != null && active.isActive();
    }

    /** The messages on one of the service's queues now (delivering and scheduled ones included); -1 if it has none such. */
    public long messageCount(String queue) {
        ActiveMQServer active = server.getActiveMQServer();
        org.apache.activemq.artemis.core.server.Queue found = active == null ? null : active.locateQueue(SimpleString.of(queue));
        return found == null ? -1 : found.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
