package com.novotechno.collections.health;

import com.novotechno.collections.camel.ReconcileCheck;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Puts health and metrics into the service's Camel: the HTTP server (Camel's Vert.x platform-http
 * server, on 127.0.0.1 only) that routes/http.yaml is served by, the store's and broker's checks in
 * Camel's health-check registry beside its own, and the metrics read at each scrape. Nothing of it
 * can stop a message: it only reads.
 */
public final class ServiceHealth extends MainListenerSupport {

    /** The bean routes/http.yaml calls. */
    public static final String ENDPOINTS_BEAN = "healthEndpoints";
    /** The route file of the endpoints, left out when the HTTP server is off. */
    public static final String ROUTES_FILE = "**/http.yaml";

    /** The embedded broker as health and metrics see it; absent with an external broker. */
    public record Broker(BooleanSupplier active, ToLongFunction<String> messageCount, List<String> queues) {
    }

    private final HttpSettings http;
    private final CollectionsStore store;
    private final Optional<Broker> broker;
    private final ServiceMetrics metrics;
    private final Findings findings;
    private final FindingGauges findingGauges;

    public ServiceHealth(HttpSettings http, CollectionsStore store, ReconcileCheck reconcile, Duration ackTimeout,
                         Optional<Broker> broker, ServiceMetrics metrics) {
        this.http = http;
        this.store = store;
        this.broker = broker;
        this.metrics = metrics;
        this.findings = new Findings(store, reconcile, ackTimeout);
        this.findingGauges = new FindingGauges(findings);
    }

    /** The server must be a service of the context before the routes that it serves are made. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        camel.getRegistry().bind(ENDPOINTS_BEAN, new HealthEndpoints(camel, findings, metrics));
        if (http.enabled()) {
            VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
            configuration.setBindHost(HttpSettings.HOST);
            configuration.setBindPort(http.port());
            try {
                camel.addService(new VertxPlatformHttpServer(configuration), true, true);
            } catch (Exception e) {
                throw RuntimeCamelException.wrapRuntimeCamelException(e);
            }
        }
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        HealthCheckRegistry checks = HealthCheckHelper.getHealthCheckRegistry(main.getCamelContext());
        if (checks == null) {
            throw new IllegalStateException("Camel's health-check registry is missing (camel-health not on the class path?)");
        }
        checks.register(new StoreHealthCheck(store));
        broker.ifPresent(embedded -> checks.register(new BrokerHealthCheck(embedded.active())));
    }

    /**
     * Before Camel starts: Vert.x only logs a port it could not bind, and Camel then runs without the server,
     * so the port is tried here first (closed at once; another program taking it in between is the same
     * failure, logged by Vert.x).
     *
     * @throws IOException the port is taken: said in one line, with the option that moves it
     */
    public void requirePortFree() throws IOException {
        if (!http.enabled()) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(HttpSettings.HOST), http.port()));
        } catch (IOException e) {
            throw new IOException("the health and metrics HTTP server could not listen on " + HttpSettings.HOST + ":"
                    + http.port() + ": " + e.getMessage() + "; start with --collections.http.port=N for a free port N,"
                    + " or --collections.http.enabled=false", e);
        }
    }

    /** Once Camel has started: the metrics that read its routes can be made. */
    public void started(CamelContext camel) {
        metrics.bind(new RouteStatistics(camel));
        metrics.bind(findingGauges);
        broker.ifPresent(embedded -> metrics.bind(new QueueDepths(embedded.queues(), embedded.messageCount())));
    }
}
