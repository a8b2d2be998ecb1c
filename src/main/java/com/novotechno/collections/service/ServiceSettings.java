package com.novotechno.collections.service;

import com.novotechno.collections.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.util.TimeUtils;

/**
 * The settings of the running service and of the commands that talk to its broker, each checked
 * here so that a bad value is a usage error before anything starts. The routes read the
 * reconciliation period and the consumer count as placeholders; they are checked here too.
 *
 * @param brokerUrl an external broker; empty means start the embedded one
 * @param routes where camel-main loads the YAML routes from
 */
public record ServiceSettings(Optional<String> brokerUrl, int brokerPort, int brokerMaxDiskUsagePercent, String routes,
                              int shutdownTimeoutSeconds) {

    public static final int MAX_QUEUE_CONSUMERS = 64;
    /** Reconciling reads every state file: more often than this would be a mistake, not a wish. */
    public static final Duration MIN_RECONCILE_PERIOD = Duration.ofSeconds(1);
    public static final String BUILT_IN_ROUTES = "classpath:routes/*.yaml";
    private static final Pattern DURATION = Pattern.compile("\\d{1,12}|(?=\\d)(\\d{1,6}h)?(\\d{1,6}m)?(\\d{1,6}s)?");

    public static ServiceSettings of(Settings settings) {
        settings.intValue(Settings.QUEUE_CONSUMERS, 1, MAX_QUEUE_CONSUMERS);
        Duration period = reconcilePeriod(settings.get(Settings.RECONCILE_PERIOD));
        if (period.compareTo(MIN_RECONCILE_PERIOD) < 0) {
            throw new IllegalArgumentException(Settings.RECONCILE_PERIOD + " must be at least 1s, found "
                    + period.toMillis() + " ms");
        }
        String url = settings.get(Settings.BROKER_URL);
        String routesDir = settings.get(Settings.ROUTES);
        return new ServiceSettings(
                url.isEmpty() ? Optional.empty() : Optional.of(url),
                settings.intValue(Settings.BROKER_PORT, 1, 65535),
                settings.intValue(Settings.BROKER_MAX_DISK_USAGE, 0, 100),
                routesDir.isEmpty() ? BUILT_IN_ROUTES : routesIn(Path.of(routesDir).toAbsolutePath()),
                settings.intValue(Settings.SHUTDOWN_TIMEOUT, 1, 3600));
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

    /**
     * Camel's own duration syntax (60s, 5m, 1h30m, or milliseconds), since the timer route reads
     * the same value. Checked against a pattern first: Camel reads text it does not know as zero.
     */
    private static Duration reconcilePeriod(String value) {
        if (!DURATION.matcher(value).matches()) {
            throw new IllegalArgumentException(Settings.RECONCILE_PERIOD + " must be a duration such as 60s or 5m, found '"
                    + value + "'");
        }
        return Duration.ofMillis(TimeUtils.toMilliSeconds(value));
    }

    /** The URL the service's routes and 'submit' connect to. */
    public String connectUrl() {
        return brokerUrl.orElse("amqp://127.0.0.1:" + brokerPort);
    }
}
