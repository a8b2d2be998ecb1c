package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.BrokerQueues;
import com.novotechno.collections.testing.ProbeClient;
import com.novotechno.collections.testing.ProbeClient.Protocol;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.ServiceTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's proof that an anonymous or wrongly-authorised client can neither send nor receive:
 * on every protocol the embedded broker speaks, each principal may do on each address exactly
 * what the README's table allows, cell by cell. A refused send must not arrive, a refused consume
 * or browse must leave the message where it was, and every refusal is the protocol's own error.
 */
class BrokerRolesTest extends ServiceTestSupport {

    /**
     * The README's table ("Who can reach the embedded broker"): S send, C consume, B browse, - none;
     * T, a topic subscription of one's own (a queue the broker would make to copy the address' messages
     * to), nobody. The last address is one nobody configured: naming it must not bring it into being.
     */
    private static final List<String> TABLE = List.of(
            "principal  collections.invoices  collections.emailer  collections.invoices.DLQ  collections.alerts  DLQ  ExpiryQueue  collections.unknown",
            "anonymous  -                     -                    -                         -                   -    -            -",
            "wrong      -                     -                    -                         -                   -    -            -",
            "producer   S                     -                    -                         -                   -    -            -",
            "emailer    S                     CB                   -                         -                   -    -            -",
            "operator   SB                    -                    CB                        CB                  CB   CB           -");

    private static final String UNCONFIGURED = "collections.unknown";

    /** A probe an allowed consumer must get within this; a consumer the broker neither refuses nor feeds waits it out. */
    private static final Duration WAIT = Duration.ofSeconds(2);

    @TempDir
    Path routes;

    /** The service's view of the queues, the yardstick of every cell. */
    private BrokerQueues queues;

    @AfterEach
    void closeTheYardstick() throws Exception {
        if (queues != null) {
            queues.close();
        }
    }

    enum Operation {
        SEND('S'), CONSUME('C'), BROWSE('B'), SUBSCRIBE('T');

        final char letter;

        Operation(char letter) {
            this.letter = letter;
        }
    }

    /** Who tries: a broker user with its password, a wrong password, or no login at all. */
    record Principal(String name, String user, boolean validPassword) {
        /** A name of the table's first column. */
        static Principal named(String name) {
            return switch (name) {
                case "anonymous" -> new Principal(name, null, false);
                // The operator may do the most: its name with a wrong password must get none of it.
                case "wrong" -> new Principal("operator with a wrong password", BrokerCredentials.OPERATOR, false);
                default -> new Principal(name, name, true);
            };
        }
    }

    record Cell(Protocol protocol, Principal principal, Operation operation, String queue, boolean allowed) {
        /** The queues the broker makes at its start; the others a client could only bring into being by naming them. */
        boolean configured() {
            return !queue.equals(UNCONFIGURED);
        }

        /** A consume or a browse has a probe to find: put there first, as the service. */
        boolean seeded() {
            return configured() && (operation == Operation.CONSUME || operation == Operation.BROWSE);
        }

        @Override
        public String toString() {
            return protocol + ": " + principal.name() + (allowed ? " may " : " may not ") + operation + " " + queue;
        }
    }

    /**
     * What a try did: where the broker refused it, if it did; whether the probe reached the client; how
     * many probes the queue holds after it; how many queues the address had while the client was
     * connected; whether the address exists after it.
     */
    record Observed(Exception refusedAtLogin, Exception refused, boolean reached, int left, int queuesOn, boolean exists) {
    }

    @TestFactory
    Stream<DynamicNode> eachPrincipalMayDoOnEachQueueExactlyWhatItsRoleAllowsOnEveryProtocol() throws Exception {
        running = RunningService.start(data, new FileSystemStorage(), Map.of(Settings.ROUTES, routesWithoutQueueIntake().toString()));
        // Without the service's consumer a probe stays on collections.invoices, where its fate can be seen.
        assertThat(running.service.routeIds()).doesNotContain("queue-intake").contains("dunning-relay");
        queues = BrokerQueues.open(running.port, BrokerCredentials.SERVICE, running.credentials.password(BrokerCredentials.SERVICE));
        assertThat(queues.exists(UNCONFIGURED)).isFalse();
        return Arrays.stream(Protocol.values()).map(protocol -> dynamicContainer(protocol.name(),
                cells(protocol).map(cell -> dynamicTest(cell.toString(), () -> check(cell)))));
    }

    /** Every shipped route but the one that takes collections.invoices. */
    private Path routesWithoutQueueIntake() throws Exception {
        return RunningService.shippedRoutesBut(routes, "queue-intake.yaml");
    }

    private static Stream<Cell> cells(Protocol protocol) {
        String[] queues = TABLE.get(0).split("\\s+");
        List<Cell> cells = new ArrayList<>();
        for (String row : TABLE.subList(1, TABLE.size())) {
            String[] columns = row.split("\\s+");
            assert columns.length == queues.length : "a row of the table misses a column: " + row;
            Principal principal = Principal.named(columns[0]);
            for (int column = 1; column < queues.length; column++) {
                for (Operation operation : Operation.values()) {
                    if (operation == Operation.BROWSE && !protocol.browses()) {
                        continue;
                    }
                    boolean allowed = columns[column].indexOf(operation.letter) >= 0
                            // Artemis' STOMP takes a topic subscription to an address of one anycast queue as a
                            // consumer of that queue: allowed as consuming is, and still no queue of its own.
                            || operation == Operation.SUBSCRIBE && protocol == Protocol.STOMP && columns[column].contains("C");
                    assert !allowed || principal.validPassword() : "a principal without a valid login may do nothing";
                    cells.add(new Cell(protocol, principal, operation, queues[column], allowed));
                }
            }
        }
        return cells.stream();
    }

    private void check(Cell cell) throws Exception {
        Observed observed = tryIt(cell, "p-" + UUID.randomUUID());
        boolean allowed = cell.allowed();
        if (!cell.principal().validPassword()) {
            assertThat(observed.refusedAtLogin()).as("%s: the login is refused with the protocol's error", cell)
                    .isInstanceOf(cell.protocol().refusal());
        } else {
            assertThat(observed.refusedAtLogin()).as("%s: the login", cell).isNull();
            if (allowed) {
                assertThat(observed.refused()).as("%s: the %s", cell, cell.operation()).isNull();
            } else {
                // Where the broker's security decides, its refusal; a queue nobody configured or a subscription of one's
                // own may be refused earlier, as a queue that does not exist or as an address that takes no subscriptions.
                boolean security = cell.configured() && cell.operation() != Operation.SUBSCRIBE;
                assertThat(observed.refused()).as("%s: the %s is refused with the protocol's error", cell, cell.operation())
                        .isInstanceOf(security ? cell.protocol().refusal() : cell.protocol().failure());
            }
        }
        switch (cell.operation()) {
            case SEND -> assertThat(observed.left()).as("%s: the probe on the queue after the send", cell).isEqualTo(allowed ? 1 : 0);
            case CONSUME -> {
                assertThat(observed.reached()).as("%s: the probe reached the consumer", cell).isEqualTo(allowed);
                assertThat(observed.left()).as("%s: the probe still on the queue", cell).isEqualTo(cell.seeded() && !allowed ? 1 : 0);
            }
            case BROWSE -> {
                assertThat(observed.reached()).as("%s: the browser saw the probe", cell).isEqualTo(allowed);
                assertThat(observed.left()).as("%s: the probe still on the queue", cell).isEqualTo(cell.seeded() ? 1 : 0);
            }
            case SUBSCRIBE -> assertThat(observed.left()).as("%s: a probe on the queue", cell).isZero();
        }
        assertThat(observed.queuesOn()).as("%s: the queues on the address while the client was connected", cell)
                .isEqualTo(cell.configured() ? 1 : 0);
        assertThat(observed.exists()).as("%s: the address exists after the try", cell).isEqualTo(cell.configured());
    }

    /** Puts the probe on the queue first for a consume or browse; tries; then counts the probe there, and removes it. */
    private Observed tryIt(Cell cell, String probe) throws Exception {
        if (cell.seeded()) {
            queues.put(cell.queue(), probe);
        }
        Exception refusedAtLogin = null;
        Exception refused = null;
        boolean reached = false;
        ProbeClient client = null;
        try {
            client = cell.protocol().open(running.port, cell.principal().user(), password(cell.principal()));
        } catch (Exception e) {
            refusedAtLogin = e;
        }
        int queuesOn;
        if (client == null) {
            queuesOn = queues.queuesOn(cell.queue());
        } else {
            try (ProbeClient connected = client) {
                try {
                    reached = switch (cell.operation()) {
                        case SEND -> {
                            connected.send(cell.queue(), probe);
                            yield false;
                        }
                        case CONSUME -> connected.consume(cell.queue(), probe, WAIT);
                        case BROWSE -> connected.browse(cell.queue(), probe, WAIT);
                        case SUBSCRIBE -> {
                            connected.subscribe(cell.queue());
                            yield false;
                        }
                    };
                } catch (Exception e) {
                    refused = e;
                }
                // While the client is connected: a subscription queue of its own lives as long as it does.
                queuesOn = queues.queuesOn(cell.queue());
            }
        }
        // Counted once the client is gone: whatever it sent or acknowledged has reached the broker by then.
        int left = queues.count(cell.queue(), probe);
        // Removed, so that the queues stay as small as they began.
        assertThat(queues.remove(cell.queue(), probe)).isEqualTo(left);
        return new Observed(refusedAtLogin, refused, reached, left, queuesOn, queues.exists(cell.queue()));
    }

    private String password(Principal principal) {
        if (principal.user() == null) {
            return null;
        }
        return principal.validPassword() ? running.credentials.password(principal.user()) : "wrong-password";
    }
}
