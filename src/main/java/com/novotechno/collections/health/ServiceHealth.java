package com.novotechno.collections.health;

import com.novotechno.collections.camel.ReconcileCheck;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.net.BindException;
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
    private HealthEndpoints endpoints;

    public ServiceHealth(HttpSettings http, CollectionsStore store, ReconcileCheck reconcile, Duration ackTimeout,
                         Optional<Broker> broker, ServiceMetrics metrics) {
        this.http = http;
        this.store = store;
        this.broker = broker;
        this.metrics = metrics;
        this.findings = new Findings(store, reconcile, ackTimeout);
        this.findingGauges = new FindingGauges(store, reconcile, ackTimeout);
    }

    /** The server must be a service of the context before the routes that it serves are made. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        endpoints = new HealthEndpoints(camel, findings, metrics);
        camel.getRegistry().bind(ENDPOINTS_BEAN, endpoints);
        if (http.enabled()) {
            VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
            server.setBindHost(HttpSettings.HOST);
            server.setBindPort(http.port());
            try {
                camel.addService(new VertxPlatformHttpServer(server), true, true);
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

    /** Route statistics once the routes exist; the rest of the metrics need nothing of Camel. */
    @Override
    public void afterStart(BaseMainSupport main) {
        metrics.bind(new RouteStatistics(main.getCamelContext()));
        metrics.bind(findingGauges);
        broker.ifPresent(embedded -> metrics.bind(new QueueDepths(embedded.queues(), embedded.messageCount())));
    }

    /**
     * The start failed because the HTTP port is taken: said in one line, with the option that moves it,
     * instead of the stack trace of Vert.x's bind.
     */
    public Optional<IOException> explainStartFailure(Throwable failure) {
        if (!http.enabled()) {
            return Optional.empty();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof BindException) {
                return Optional.of(new IOException("the health and metrics HTTP server could not listen on "
                        + HttpSettings.HOST + ":" + http.port() + ": " + cause.getMessage()
                        + "; start with --collections.http.port=N for a free port N, or --collections.http.enabled=false",
                        failure));
            }
        }
        return Optional.empty();
    }
}
