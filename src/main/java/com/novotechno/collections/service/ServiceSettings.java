package com.novotechno.collections.service;

import com.novotechno.collections.camel.RetentionSettings;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.health.HttpSettings;
import com.novotechno.collections.reconcile.ReconcileSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The settings of the running service and of the commands that talk to its broker, each checked
 * here so that a bad value is a usage error before anything starts. The routes read the
 * reconciliation period and the queue's consumer count as placeholders; they are checked here too.
 *
 * @param brokerUrl an external broker; empty means start the embedded one
 * @param routes where camel-main loads the YAML routes from
 * @param inboxConsumers the file route's lanes: inbox files applied at once, one invoice's in turn
 * @param reconcile the reconcile route's tick and the period in which it compares every invoice
 * @param http the health and metrics HTTP server
 */
public record ServiceSettings(Optional<String> brokerUrl, int brokerPort, int brokerMaxDiskUsagePercent,
                              Optional<EmbeddedBroker.Tls> brokerTls, String routes, int inboxConsumers,
                              int shutdownTimeoutSeconds,
                              Duration unappliedMaxAge, DunningSettings dunning, ReconcileSchedule reconcile,
                              HttpSettings http) {

    public static final int MAX_QUEUE_CONSUMERS = 64;
    public static final int MAX_INBOX_CONSUMERS = 64;
    public static final String BUILT_IN_ROUTES = "classpath:routes/*.yaml";

    public static ServiceSettings of(Settings settings) {
        settings.intValue(Settings.QUEUE_CONSUMERS, 1, MAX_QUEUE_CONSUMERS);
        ReconcileSchedule reconcile = ReconcileSchedule.of(
                settings.durationValue(Settings.RECONCILE_PERIOD, ReconcileSchedule.MIN_PERIOD),
                settings.durationValue(Settings.RECONCILE_FULL_PERIOD, ReconcileSchedule.MIN_FULL_PERIOD));
        // The dunning keys are checked at start, so a bad schedule never waits for its first run.
        DunningSettings dunning = DunningSettings.of(settings);
        RetentionSettings.of(settings); // likewise the retention's durations, read again by its bean
        String url = settings.get(Settings.BROKER_URL);
        String routesDir = settings.get(Settings.ROUTES);
        return new ServiceSettings(
                url.isEmpty() ? Optional.empty() : Optional.of(url),
                settings.intValue(Settings.BROKER_PORT, 1, 65535),
                settings.intValue(Settings.BROKER_MAX_DISK_USAGE, 0, 100),
                tls(settings),
                routesDir.isEmpty() ? BUILT_IN_ROUTES : routesIn(Path.of(routesDir).toAbsolutePath()),
                settings.intValue(Settings.INBOX_CONSUMERS, 1, MAX_INBOX_CONSUMERS),
                settings.intValue(Settings.SHUTDOWN_TIMEOUT, 1, 3600),
                positive(settings, Settings.UNAPPLIED_MAX_AGE),
                dunning,
                reconcile,
                HttpSettings.of(settings));
    }

    /** TLS when a keystore is named; one that cannot be read is a usage error, before anything starts. */
    private static Optional<EmbeddedBroker.Tls> tls(Settings settings) {
        String keystore = settings.get(Settings.BROKER_TLS_KEYSTORE);
        int port = settings.intValue(Settings.BROKER_TLS_PORT, 1, 65535);
        if (keystore.isEmpty()) {
            return Optional.empty();
        }
        if (!Files.isReadable(Path.of(keystore))) {
            throw new IllegalArgumentException(Settings.BROKER_TLS_KEYSTORE + ": cannot read " + Path.of(keystore).toAbsolutePath());
        }
        return Optional.of(new EmbeddedBroker.Tls(Path.of(keystore), settings.get(Settings.BROKER_TLS_KEYSTORE_PASSWORD),
                settings.get(Settings.BROKER_TLS_HOST), port));
    }

    /** An operator's routes folder: one without routes would start a service that does nothing, silently. */
    private static String routesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            if (files.noneMatch(file -> file.getFileName().toString().endsWith(".yaml"))) {
                throw new IllegalArgumentException(Settings.ROUTES + ": no *.yaml route files in " + folder);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(Settings.ROUTES + ": cannot list " + folder + ": " + e);
        }
        return "file:" + folder + "/*.yaml";
    }

    /** The shortest a hold: any length above zero is the operator's call. */
    private static Duration positive(Settings settings, String key) {
        return settings.durationValue(key, Duration.ofMillis(1));
    }

    /** The URL the service's routes and 'submit' connect to. */
    public String connectUrl() {
        return brokerUrl.orElse("amqp://127.0.0.1:" + brokerPort);
    }
}
