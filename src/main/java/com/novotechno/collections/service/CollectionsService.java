package com.novotechno.collections.service;

import com.novotechno.collections.camel.AlertFiles;
import com.novotechno.collections.camel.FileIntake;
import com.novotechno.collections.camel.LogHeadPublication;
import com.novotechno.collections.camel.DunningAlertCheck;
import com.novotechno.collections.camel.DunningRelay;
import com.novotechno.collections.camel.DunningRun;
import com.novotechno.collections.camel.InboxFilter;
import com.novotechno.collections.camel.InboxLanes;
import com.novotechno.collections.camel.OutboxHousekeeping;
import com.novotechno.collections.camel.QueueIntake;
import com.novotechno.collections.camel.QueueMessageKinds;
import com.novotechno.collections.camel.Retention;
import com.novotechno.collections.camel.RetentionSettings;
import com.novotechno.collections.camel.QueueOutcomes;
import com.novotechno.collections.camel.ReconcileCheck;
import com.novotechno.collections.camel.ReplyAddresses;
import com.novotechno.collections.camel.StateAuditCheck;
import com.novotechno.collections.camel.SenderRules;
import com.novotechno.collections.camel.UnappliedCheck;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.health.ServiceHealth;
import com.novotechno.collections.health.ServiceMetrics;
import com.novotechno.collections.reconcile.SliceReconciler;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.Main;
import org.apache.camel.util.function.ThrowingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the store (which holds the data folder's lock), the embedded broker
 * unless an external one is configured, and camel-main running the YAML routes, which call the
 * beans of {@code com.novotechno.collections.camel}.
 *
 * <p>Start order is lock, broker, routes, so a second service on the same folder is refused
 * before it touches the broker's journal. Stop order is the reverse: routes (consumers stop,
 * messages in flight finish), then the store (ledger flushed, clean checkpoint, lock released),
 * then the broker.
 */
public final class CollectionsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionsService.class);

    private final CollectionsStore store;
    private final Optional<EmbeddedBroker> broker;
    private final Main camel;
    private final ServiceMetrics metrics;
    private final Runnable afterFatalStop;
    private final AtomicBoolean stoppingAfterFailure = new AtomicBoolean();
    private boolean closed;

    private CollectionsService(CollectionsStore store, Optional<EmbeddedBroker> broker, Main camel,
                               ServiceMetrics metrics, Runnable afterFatalStop) {
        this.store = store;
        this.broker = broker;
        this.camel = camel;
        this.metrics = metrics;
        this.afterFatalStop = afterFatalStop;
    }

    /**
     * Starts the service. {@code afterFatalStop} runs once the service has stopped itself because
     * the store failed (see {@link #storeFailed}); {@code run} exits the process with it.
     */
    public static CollectionsService start(Settings settings, ServiceSettings serviceSettings, Storage storage,
                                           Consumer<String> notices, Runnable afterFatalStop) throws Exception {
        return start(settings, serviceSettings, storage, notices, afterFatalStop, routes -> { });
    }

    /**
     * As above, with {@code beforeRoutesStart} run on the context once the YAML routes are loaded and
     * before any of them starts: where a test advises a step by its id (AdviceWith) instead of
     * editing the routes' text.
     */
    public static CollectionsService start(Settings settings, ServiceSettings serviceSettings, Storage storage,
                                           Consumer<String> notices, Runnable afterFatalStop,
                                           ThrowingConsumer<CamelContext, Exception> beforeRoutesStart) throws Exception {
        StoreSettings storeSettings = settings.storeSettings();
        CollectionsStore store = CollectionsStore.open(storage, settings.dataDir(), storeSettings, notices);
        // The store's view of the folder, with its MAC key: the audit's rewrites must be sealed as the store seals.
        DataLayout layout = store.layout();
        Optional<EmbeddedBroker> broker = Optional.empty();
        try {
            // Created here, owner-only, rather than by the file consumer with the default permissions.
            for (var folder : List.of(layout.inbox(), layout.processed(), layout.rejected(), layout.alerts())) {
                storage.createDirectories(folder);
            }
            String url = serviceSettings.connectUrl();
            JmsConnectionFactory connections = BrokerClients.consumerConnectionFactory(url);
            if (serviceSettings.brokerUrl().isEmpty()) {
                storage.createDirectories(layout.broker());
                BrokerCredentials credentials = BrokerCredentials.loadOrCreate(storage, layout.root());
                broker = Optional.of(EmbeddedBroker.start(layout.broker(), new EmbeddedBroker.Options(serviceSettings.brokerPort(),
                        serviceSettings.brokerMaxDiskUsagePercent(), credentials, serviceSettings.brokerTls())));
                connections.setUsername(BrokerCredentials.SERVICE);
                connections.setPassword(credentials.password(BrokerCredentials.SERVICE));
            }
            Main camel = new Main();
            ServiceMetrics metrics = new ServiceMetrics();
            CollectionsService service = new CollectionsService(store, broker, camel, metrics, afterFatalStop);
            configure(camel, settings, serviceSettings, layout);
            camel.addMainListener(new BeforeRoutesStart(beforeRoutesStart));
            camel.bind("jms", JmsComponent.jmsComponent(connections));
            ServiceHealth health = bindBeans(camel, service, storage, layout, storeSettings, serviceSettings,
                    broker.isPresent() ? SenderRules.brokerValidated() : SenderRules.unchecked(),
                    broker.map(EmbeddedBroker::replyAddresses).orElse(ReplyAddresses.NONE));
            camel.bind("retention", new Retention(storage, layout, RetentionSettings.of(settings),
                    broker.map(embedded -> embedded::removeDeadLettersOlderThan), storeSettings.clock()));
            try {
                health.requirePortFree();
                camel.start();
                health.started(camel.getCamelContext());
            } catch (Exception | Error e) {
                camel.stop(); // consumers that did start must not outlive a start that failed
                metrics.close();
                throw e;
            }
            LOG.info("started on {} with {}, routes {} from {}", layout.root(),
                    broker.isPresent() ? "the embedded broker on 127.0.0.1:" + serviceSettings.brokerPort()
                            : "the broker at " + url,
                    service.routeIds(), serviceSettings.routes());
            return service;
        } catch (Exception | Error e) {
            Exception closing = closeStoreThenBroker(store, broker, null);
            if (closing != null) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static void configure(Main camel, Settings settings, ServiceSettings serviceSettings, DataLayout layout) {
        camel.configure()
                .withName("novotechno-collections")
                .withRoutesIncludePattern(serviceSettings.routes())
                .withShutdownTimeout(serviceSettings.shutdownTimeoutSeconds());
        if (!serviceSettings.http().enabled()) {
            camel.configure().withRoutesExcludePattern(ServiceHealth.ROUTES_FILE); // nothing to serve them: no server
        }
        // Camel's own checks of its context, each route and each consumer, beside the store's and broker's.
        camel.configure().health().withEnabled(true).withRoutesEnabled(true).withExposureLevel("full")
                .setConsumersEnabled(true);
        camel.setOverrideProperties(placeholders(settings, layout));
        camel.addMainListener(new OnlyOurPlaceholders());
    }

    /** The beans the YAML routes call by name, and health and metrics, which read some of them. */
    private static ServiceHealth bindBeans(Main camel, CollectionsService service, Storage storage, DataLayout layout,
                                           StoreSettings storeSettings, ServiceSettings serviceSettings, SenderRules senders,
                                           ReplyAddresses replyAddresses) {
        CollectionsStore store = service.store;
        ServiceMetrics metrics = service.metrics;
        store.observeLogSyncs(metrics.logSyncs());
        // A checkpoint that fails in the background stops the service as a failed apply does.
        store.onBackgroundFailure(service::storeFailed);
        Clock clock = storeSettings.clock();
        ZoneId zone = storeSettings.zone();
        camel.bind("fileIntake", new FileIntake(store, storage, layout, clock, service::storeFailed,
                metrics.intake(ServiceMetrics.FILE_ROUTE)));
        camel.bind("inboxFilter", new InboxFilter(storage, layout, clock));
        camel.bind("inboxLanes", new InboxLanes(serviceSettings.inboxConsumers(), storeSettings.defaultCurrency()));
        camel.bind("queueMessageKinds", new QueueMessageKinds());
        camel.bind("queueIntake", new QueueIntake(store, clock, service::storeFailed, senders,
                metrics.intake(ServiceMetrics.QUEUE_ROUTE)));
        camel.bind("queueOutcomes", new QueueOutcomes(replyAddresses));
        StateAuditCheck stateAudit = new StateAuditCheck(store, new StateAudit(storage, layout),
                serviceSettings.reconcile(), clock);
        camel.bind("stateAuditCheck", stateAudit);
        ReconcileCheck reconcile = new ReconcileCheck(store, stateAudit,
                new SliceReconciler(storage, layout, zone, serviceSettings.reconcile()), clock);
        camel.bind("reconcileCheck", reconcile);
        camel.bind("unappliedCheck", new UnappliedCheck(store, serviceSettings.unappliedMaxAge(), clock,
                service::storeFailed));
        camel.bind("dunningRun", new DunningRun(store, serviceSettings.dunning(), clock));
        camel.bind("dunningAlertCheck", new DunningAlertCheck(store, clock));
        camel.bind("dunningRelay", new DunningRelay(store, storage, layout, serviceSettings.dunning().ackTimeout()));
        camel.bind("outboxHousekeeping", new OutboxHousekeeping(store, storage, layout, serviceSettings.dunning(), clock));
        camel.bind("alertFiles", new AlertFiles(storage, layout.alerts(), clock));
        camel.bind("logHeadPublication", new LogHeadPublication(store, storage, layout.alerts(), clock, service::storeFailed));
        Optional<ServiceHealth.Broker> embedded = service.broker.map(broker -> new ServiceHealth.Broker(broker::isActive,
                broker::messageCount, List.of(EmbeddedBroker.INVOICES, EmbeddedBroker.INVOICES_DLQ)));
        ServiceHealth health = new ServiceHealth(serviceSettings.http(), store, reconcile,
                serviceSettings.dunning().ackTimeout(), embedded, metrics);
        camel.addMainListener(health);
        return health;
    }

    /** The routes' {{key}} placeholders: every configuration key, the data folder made absolute. */
    private static Properties placeholders(Settings settings, DataLayout layout) {
        Properties properties = new Properties();
        properties.putAll(settings.all());
        properties.setProperty(Settings.DATA_DIR, layout.root().toString());
        return properties;
    }

    public CollectionsStore store() {
        return store;
    }

    /** The running Camel context: its routes, their controller, its health-check registry; a test's NotifyBuilder. */
    public CamelContext camelContext() {
        return camel.getCamelContext();
    }

    /** The ids of the routes running, as loaded from the YAML files. */
    public List<String> routeIds() {
        return camel.getCamelContext().getRoutes().stream().map(Route::getId).sorted().toList();
    }

    /**
     * The routes' placeholders come from {@link Settings} alone, which already ranks the command
     * line over the environment over application.properties. Camel would otherwise let an
     * environment variable or a system property of the same name win over the command line.
     */
    private static final class OnlyOurPlaceholders extends MainListenerSupport {
        @Override
        public void beforeConfigure(BaseMainSupport main) {
            PropertiesComponent properties = (PropertiesComponent) main.getCamelContext().getPropertiesComponent();
            properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
            properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        }
    }

    /** Runs once camel-main has loaded the routes, before the context starts them. */
    private static final class BeforeRoutesStart extends MainListenerSupport {
        private final ThrowingConsumer<CamelContext, Exception> action;

        BeforeRoutesStart(ThrowingConsumer<CamelContext, Exception> action) {
            this.action = action;
        }

        @Override
        public void afterConfigure(BaseMainSupport main) {
            try {
                action.accept(main.getCamelContext());
            } catch (Exception e) {
                throw new IllegalStateException("the routes could not be prepared before their start: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A write to the log or after it failed, so the store refuses every message until reopened. Going on
     * would only roll every queue message back until the broker dead-letters good messages, so
     * the service stops itself, on another thread (this one is a route's, which the stop waits
     * for), and a restart's recovery finishes what was left undone.
     */
    private void storeFailed() {
        if (!stoppingAfterFailure.compareAndSet(false, true)) {
            return;
        }
        Throwable cause = store.failure().orElse(null);
        // The operating system's reason (No space left on device, Operation not permitted) is what the operator must fix.
        LOG.error("the store failed ({}) and refuses every message until it is reopened: stopping, so that a restart recovers",
                cause == null ? "cause unknown" : Causes.rootMessage(cause), cause);
        Thread stop = new Thread(() -> {
            try {
                close();
            } catch (Exception e) {
                LOG.error("the stop after the store failed did not finish cleanly", e);
            } finally {
                afterFatalStop.run();
            }
        }, "collections-stop-after-failure");
        stop.start();
    }

    /** True once the service stopped, or is stopping, because its store failed. */
    public boolean stoppedByFailure() {
        return stoppingAfterFailure.get();
    }

    /**
     * Stops gracefully: consumers first, then waits for messages in flight (up to
     * collections.shutdown-timeout), then flushes and closes the store, then the broker.
     */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        Exception failure = null;
        try {
            camel.stop();
        } catch (Exception e) {
            failure = e;
        }
        metrics.close();
        failure = closeStoreThenBroker(store, broker, failure);
        if (failure != null) {
            throw failure;
        }
        LOG.info("stopped cleanly");
    }

    /**
     * The second half of every stop, a failed start's too: the store (ledger flushed, clean
     * checkpoint, lock released), then the broker. Each failure is kept; the first is returned
     * with the others suppressed in it.
     */
    private static Exception closeStoreThenBroker(CollectionsStore store, Optional<EmbeddedBroker> broker,
                                                  Exception failure) {
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            // After a stop that timed out a message may still be mid-apply: the store is then left
            // unclosed-clean on purpose, and the next start recovers from the log.
            failure = chain(failure, e);
        }
        try {
            if (broker.isPresent()) {
                broker.get().close();
            }
        } catch (Exception e) {
            failure = chain(failure, e);
        }
        return failure;
    }

    private static Exception chain(Exception first, Exception next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
