package com.novotechno.collections.testing;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.service.CollectionsService;
import com.novotechno.collections.service.EmbeddedBroker;
import com.novotechno.collections.service.ServiceSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.util.function.ThrowingConsumer;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * The real service (camel-main, the YAML routes from the jar's class path, the embedded broker on
 * a free port) on a test folder, and a JMS client to talk to its broker as another program would.
 */
public final class RunningService implements AutoCloseable {

    public final DataLayout layout;
    public final int port;
    /** The health and metrics HTTP server's port: a free one unless the test set its own. */
    public final int httpPort;
    public final CollectionsService service;
    /** The broker's users, read from the data folder as a client on this machine does. */
    public final BrokerCredentials credentials;
    private final Map<String, Connection> connections = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();

    private RunningService(Path dataDir, int port, int httpPort, CollectionsService service) throws IOException {
        this.layout = new DataLayout(dataDir);
        this.port = port;
        this.httpPort = httpPort;
        this.service = service;
        this.credentials = BrokerCredentials.read(dataDir);
    }

    /** The embedded broker alone on a data folder, with its credentials made as the service makes them. */
    public static EmbeddedBroker brokerAlone(Path dataDir, int port) throws Exception {
        BrokerCredentials credentials = BrokerCredentials.loadOrCreate(new FileSystemStorage(), dataDir);
        return EmbeddedBroker.start(new DataLayout(dataDir).broker(), EmbeddedBroker.Options.of(port, credentials));
    }

    /** A connection to the broker on the port as one of the users in the folder's credentials file. */
    public static Connection connect(Path dataDir, int port, String user) throws IOException, JMSException {
        return new JmsConnectionFactory("amqp://127.0.0.1:" + port)
                .createConnection(user, BrokerCredentials.read(dataDir).password(user));
    }

    /** The configured default, for the tests about dunning. */
    public static final String DUNNING_SCHEDULE = "7:reminder,14:final_notice,30:escalate";
    /** One level ten years past due: no test invoice reaches it. */
    public static final String NO_DUNNING_SCHEDULE = "3650:escalate";

    public static RunningService start(Path dataDir) throws Exception {
        return start(dataDir, new FileSystemStorage(), Map.of());
    }

    /**
     * Reconciliation is hourly unless the test asks otherwise, so that it runs only when a test wants it.
     * Dunning too stays out of the tests not about it: their invoices fell due early in 2026, and a run at
     * start would escalate them into the log they count; {@link #DUNNING_SCHEDULE} is the default one.
     */
    public static RunningService start(Path dataDir, Storage storage, Map<String, String> overrides) throws Exception {
        return start(dataDir, storage, overrides, () -> { });
    }

    public static RunningService start(Path dataDir, Storage storage, Map<String, String> overrides,
                                       Runnable afterFatalStop) throws Exception {
        return start(dataDir, storage, overrides, afterFatalStop, context -> { });
    }

    /**
     * The service with its routes advised before any of them starts: {@code advice} calls
     * {@code AdviceWith.adviceWith(context, routeId, ...)} on the steps it changes, by their id.
     */
    public static RunningService startAdvised(Path dataDir, Map<String, String> overrides,
                                              ThrowingConsumer<CamelContext, Exception> advice) throws Exception {
        return start(dataDir, new FileSystemStorage(), overrides, () -> { }, advice);
    }

    private static RunningService start(Path dataDir, Storage storage, Map<String, String> overrides,
                                        Runnable afterFatalStop, ThrowingConsumer<CamelContext, Exception> advice)
            throws Exception {
        int port = freePort();
        Map<String, String> keys = new HashMap<>();
        keys.put(Settings.DATA_DIR, dataDir.toString());
        keys.put(Settings.BROKER_PORT, Integer.toString(port));
        keys.put(Settings.RECONCILE_PERIOD, "1h");
        // Services of many tests start in one JVM and beside other builds: never on the default port 9090.
        keys.put(Settings.HTTP_PORT, Integer.toString(freePort()));
        if (overrides.keySet().stream().noneMatch(key -> key.startsWith("collections.dunning."))) {
            // The fixtures fell due early in 2026: on a working day after that, the dunning run at start would
            // decide requests (and escalations) among a test's messages. A test of dunning configures it.
            keys.put(Settings.DUNNING_SCHEDULE, NO_DUNNING_SCHEDULE);
        }
        keys.putAll(overrides);
        Settings settings = Settings.load(Map.of(), keys);
        return new RunningService(dataDir, port, Integer.parseInt(keys.get(Settings.HTTP_PORT)), CollectionsService.start(settings, ServiceSettings.of(settings), storage, Stores.NOTICES::add,
                afterFatalStop, advice));
    }

    /** The service's Camel context, for a NotifyBuilder that waits for a route's exchanges rather than a fixed time. */
    public CamelContext camel() {
        return service.camelContext();
    }

    /**
     * Whether that many exchanges of the route (timer ticks, messages) begun after this call have finished
     * within the wait. One in flight at the call is not counted: a tick counted saw everything done before.
     */
    public boolean routeDone(String routeId, int exchanges, Duration wait) {
        long since = System.currentTimeMillis();
        NotifyBuilder done = new NotifyBuilder(camel()).fromRoute(routeId)
                .filter(exchange -> exchange.getClock().getCreated() > since)
                .whenDone(exchanges).create();
        try {
            return done.matches(wait.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            done.destroy(); // no longer told of every exchange of the context
        }
    }

    /**
     * Ports for test services: below Linux's ephemeral range (32768 and up), which bind(0) and every
     * outgoing connection draw from, so no other socket takes one between the pick and the service's bind.
     */
    private static final int PORTS_FROM = 20_000;
    private static final int PORTS_COUNT = 10_000;
    /** The last ports handed out in this JVM: not again soon, since a service binds its ports a while after the pick. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                    return size() > PORTS_COUNT / 4;
                }
            }));

    /**
     * The shipped routes but the files named, copied to {@code folder}, for {@code collections.routes}: a
     * test that wants its messages kept on a queue leaves out the route that takes them.
     */
    public static Path shippedRoutesBut(Path folder, String... leftOut) throws IOException {
        java.util.Set<String> left = java.util.Set.of(leftOut);
        try (java.util.stream.Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path route : shipped.filter(path -> !left.contains(path.getFileName().toString())).toList()) {
                Files.copy(route, folder.resolve(route.getFileName()));
            }
        }
        return folder;
    }

    /** A port free now, for a service to bind soon: see {@link #PORTS_FROM}. */
    public static int freePort() {
        for (int tries = 0; tries < 1_000; tries++) {
            int port = PORTS_FROM + java.util.concurrent.ThreadLocalRandom.current().nextInt(PORTS_COUNT);
            if (!HANDED_OUT.add(port)) {
                continue; // one of this JVM's services may not have bound it yet
            }
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (java.net.BindException taken) {
                // another program's: try another
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port in " + PORTS_FROM + "-" + (PORTS_FROM + PORTS_COUNT - 1));
    }

    /** Drops a file the way a careful producer does: written under a .tmp name, then renamed into place. */
    public Path drop(String name, byte[] content) throws IOException {
        return drop(layout.inbox(), name, content);
    }

    /** The same into an inbox whose service may not be running (or may be dying). */
    public static Path drop(Path inbox, String name, byte[] content) throws IOException {
        Path tmp = inbox.resolve(name + ".tmp");
        Files.write(tmp, content);
        return Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    public void send(byte[] body) throws JMSException {
        send(body, Map.of());
    }

    /** Sends as text, as most clients send JSON, with the given string properties. */
    public void send(byte[] body, Map<String, String> properties) throws JMSException {
        send(body, properties, null);
    }

    /** As {@link #send(byte[], Map)}, asking for replies on a queue, as request-reply clients do. */
    public void send(byte[] body, Map<String, String> properties, String replyTo) throws JMSException {
        Session session = session(BrokerCredentials.PRODUCER);
        MessageProducer producer = session.createProducer(session.createQueue("collections.invoices"));
        TextMessage message = session.createTextMessage(new String(body, StandardCharsets.UTF_8));
        for (Map.Entry<String, String> property : properties.entrySet()) {
            message.setStringProperty(property.getKey(), property.getValue());
        }
        if (replyTo != null) {
            message.setJMSReplyTo(session.createQueue(replyTo));
        }
        producer.send(message);
        producer.close();
    }

    /** The next message on a queue, if one comes within the wait, taken as the user whose queue it is. */
    public Optional<Message> receive(String queue, Duration wait) throws JMSException {
        Session session = session(reader(queue));
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector(queue))) {
            return Optional.ofNullable(consumer.receive(wait.toMillis()));
        }
    }

    /** The next head of the log the service published on collections.alerts, if one comes within the wait. */
    public Optional<Message> receiveLogHead(Duration wait) throws JMSException {
        Session session = session(BrokerCredentials.OPERATOR);
        try (MessageConsumer consumer = session.createConsumer(session.createQueue("collections.alerts"), LOG_HEADS)) {
            return Optional.ofNullable(consumer.receive(wait.toMillis()));
        }
    }

    /** How many messages wait on a queue, looked at without taking any. */
    public int waiting(String queue) throws JMSException {
        Session session = session(reader(queue));
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector(queue))) {
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    private static final String LOG_HEADS = "CollectionsType = 'log.head'";

    /** On collections.alerts, the alerts only: the log's heads published beside them are read by {@link #receiveLogHead}. */
    private static String selector(String queue) {
        return queue.equals("collections.alerts") ? "CollectionsType IS NULL OR NOT (" + LOG_HEADS + ")" : null;
    }

    /** Dead letters and alerts are the operator's to read, requests the emailer's; everything else the service's. */
    private static String reader(String queue) {
        if (queue.equals("collections.emailer")) {
            return BrokerCredentials.EMAILER;
        }
        return queue.equals("collections.invoices.DLQ") || queue.equals("collections.alerts")
                ? BrokerCredentials.OPERATOR : BrokerCredentials.SERVICE;
    }

    /** Sends as the emailer does its feedback. */
    public void sendAsEmailer(byte[] body) throws JMSException {
        sendAs(BrokerCredentials.EMAILER, body);
    }

    /** Sends to collections.invoices as the given broker user. */
    public void sendAs(String user, byte[] body) throws JMSException {
        Session session = session(user);
        try (MessageProducer producer = session.createProducer(session.createQueue("collections.invoices"))) {
            producer.send(session.createTextMessage(new String(body, StandardCharsets.UTF_8)));
        }
    }

    public static String bodyOf(Message message) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            return new String(bytes.getBody(byte[].class), StandardCharsets.UTF_8);
        }
        return message.getBody(String.class);
    }

    private Session session(String user) throws JMSException {
        Session session = sessions.get(user);
        if (session == null) {
            Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + port)
                    .createConnection(user, credentials.password(user));
            connections.put(user, connection);
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            sessions.put(user, session);
        }
        return session;
    }

    @Override
    public void close() throws Exception {
        try {
            for (Connection connection : connections.values()) {
                connection.close();
            }
        } finally {
            service.close();
        }
    }
}
