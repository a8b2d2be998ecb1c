package com.novotechno.collections.service;

import com.novotechno.collections.testing.RunningService;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A broker client of a service that the test keeps killing: a thread of its own that connects to
 * each new run of the service (each on its own port) once the test says it is up, works in steps,
 * and, when a step fails because the service died under it, drops the connection and connects
 * again. What a cut-off step did or did not do is the subclass's to remember.
 */
abstract class KilledServiceClient implements AutoCloseable {

    private record Run(int number, int port) {
    }

    private static final long IDLE_MILLIS = 20;
    private static final long RETRY_MILLIS = 100;

    private final Path data;
    private final boolean transacted;
    private final Thread thread;
    private final Map<String, Connection> connections = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private volatile Run run;
    private volatile boolean stopped;
    private volatile int connectedTo = -1;
    private volatile Throwable crash;

    KilledServiceClient(Path data, boolean transacted, String name) {
        this.data = data;
        this.transacted = transacted;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The service's run {@code number} is up, its broker on {@code port}. */
    void up(int number, int port) {
        run = new Run(number, port);
    }

    /** The service is dead (or about to be): no more steps until the next run is up. */
    void down() {
        run = null;
    }

    /** The run the client now works against; -1 while none. */
    int runNumber() {
        Run now = run;
        return now == null ? -1 : now.number();
    }

    /** One step of work against the running service; false when there was nothing to do. */
    abstract boolean step(int runNumber) throws JMSException, IOException;

    /** The connection was lost: producers and consumers made on it are gone. */
    abstract void disconnected();

    /** A session as {@code user} on the current run's broker, opened on first use. */
    Session session(String user) throws JMSException, IOException {
        Session session = sessions.get(user);
        if (session == null) {
            Connection connection = RunningService.connect(data, run.port(), user);
            connections.put(user, connection);
            connection.start();
            session = connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
            sessions.put(user, session);
        }
        return session;
    }

    private void loop() {
        try {
            while (!stopped) {
                Run now = run;
                if (now == null || now.number() != connectedTo) {
                    disconnect();
                }
                if (now == null) {
                    Thread.sleep(IDLE_MILLIS);
                    continue;
                }
                connectedTo = now.number();
                try {
                    if (!step(now.number())) {
                        Thread.sleep(IDLE_MILLIS);
                    }
                } catch (JMSException | IOException cutOff) {
                    // The service died under the step, or is dying: connect again, to this run or the next.
                    disconnect();
                    Thread.sleep(RETRY_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            crash = e;
        } finally {
            disconnect();
        }
    }

    private void disconnect() {
        if (sessions.isEmpty() && connections.isEmpty()) {
            return;
        }
        sessions.clear();
        for (Connection connection : connections.values()) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException gone) {
                // the broker died with the service: nothing to close cleanly
            }
        }
        connections.clear();
        connectedTo = -1;
        disconnected();
    }

    /** Stops the thread; a failure of the client's own (not of the service) fails the test here. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (crash != null) {
            throw new AssertionError(thread.getName() + " failed", crash);
        }
    }
}
