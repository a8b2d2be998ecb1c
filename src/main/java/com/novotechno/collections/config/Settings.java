package com.novotechno.collections.config;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.integrity.MacKeyFile;
import com.novotechno.collections.ledger.LedgerPeriod;
import com.novotechno.collections.state.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration (CONTRACT section 6): {@code application.properties} in the jar, overridden by a
 * configuration file ({@code --config FILE} or {@code COLLECTIONS_CONFIG}), overridden by environment
 * variables ({@code COLLECTIONS_DATA_DIR} for {@code collections.data-dir}), overridden by
 * {@code --key=value} on the command line.
 */
public final class Settings {

    public static final String DATA_DIR = "collections.data-dir";
    public static final String DEFAULT_CURRENCY = "collections.default-currency";
    public static final String TERMS_DAYS = "collections.terms-days";
    public static final String RECONCILE_PERIOD = "collections.reconcile.period";
    public static final String RECONCILE_FULL_PERIOD = "collections.reconcile.full-period";
    public static final String UNAPPLIED_MAX_AGE = "collections.unapplied.max-age";
    public static final String TIME_ZONE = "collections.time-zone";
    public static final String LEDGER_PERIOD = "collections.ledger.period";
    public static final String DUNNING_SCHEDULE = "collections.dunning.schedule";
    public static final String DUNNING_MIN_GAP_DAYS = "collections.dunning.min-gap-days";
    public static final String DUNNING_AT = "collections.dunning.at";
    public static final String DUNNING_SKIP_DAYS = "collections.dunning.skip-days";
    public static final String DUNNING_HOLIDAYS = "collections.dunning.holidays";
    public static final String DUNNING_MIN_BALANCE = "collections.dunning.min-balance";
    public static final String DUNNING_ACK_TIMEOUT = "collections.dunning.ack-timeout";
    public static final String OUTBOX_GROUP = "collections.outbox.group";
    public static final String OUTBOX_RETENTION = "collections.outbox.retention";
    public static final String RETENTION_PROCESSED = "collections.retention.processed";
    public static final String RETENTION_REJECTED = "collections.retention.rejected";
    public static final String RETENTION_ALERTS = "collections.retention.alerts";
    public static final String RETENTION_DLQ = "collections.retention.dlq";
    public static final String BROKER_URL = "collections.broker.url";
    public static final String BROKER_PORT = "collections.broker.port";
    public static final String BROKER_MAX_DISK_USAGE = "collections.broker.max-disk-usage";
    public static final String BROKER_TLS_KEYSTORE = "collections.broker.tls.keystore";
    public static final String BROKER_TLS_KEYSTORE_PASSWORD = "collections.broker.tls.keystore-password";
    public static final String BROKER_TLS_HOST = "collections.broker.tls.host";
    public static final String BROKER_TLS_PORT = "collections.broker.tls.port";
    public static final String BROKER_USER = "collections.broker.user";
    public static final String BROKER_PASSWORD = "collections.broker.password";
    public static final String QUEUE_CONSUMERS = "collections.queue.consumers";
    public static final String INBOX_CONSUMERS = "collections.inbox.consumers";
    public static final String ROUTES = "collections.routes";
    public static final String MAC_KEY_FILE = "collections.mac.key-file";
    public static final String SHUTDOWN_TIMEOUT = "collections.shutdown-timeout";
    public static final String LOG_CONFIG = "collections.log.config";
    public static final String LOG_FORMAT = "collections.log.format";
    public static final String LOG_LEVEL = "collections.log.level";
    /** The environment variable naming a configuration file when the command line names none. */
    public static final String CONFIG_FILE_ENVIRONMENT = "COLLECTIONS_CONFIG";
    public static final String HTTP_ENABLED = "collections.http.enabled";
    public static final String HTTP_PORT = "collections.http.port";

    /**
     * Camel's duration syntax (500ms, 60s, 5m, 1h30m, 30d, or milliseconds: camel-util's TimeUtils),
     * since timer routes read the same values; each part bounded so that no value overflows a long
     * of milliseconds. "m" not followed by "s" is minutes, as in Camel.
     */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})|(?=\\d)(?:(\\d{1,6})d)?(?:(\\d{1,6})h)?"
            + "(?:(\\d{1,6})m(?!s))?(?:(\\d{1,6})s)?(?:(\\d{1,9})ms)?");
    private static final String DURATION_FORMS = "whole numbers of d, h, m, s and ms in that order, such as 500ms, 60s,"
            + " 5m, 1h30m or 30d, or a number of milliseconds";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Settings load(Map<String, String> environment, Map<String, String> commandLine) {
        return load(environment, Optional.empty(), commandLine);
    }

    /**
     * @param configFile the command line's {@code --config FILE}; without one, the file {@code COLLECTIONS_CONFIG}
     *                   names, if it names one
     */
    public static Settings load(Map<String, String> environment, Optional<Path> configFile, Map<String, String> commandLine) {
        Map<String, String> values = new TreeMap<>();
        Properties defaults = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the class path");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : defaults.stringPropertyNames()) {
            values.put(key, defaults.getProperty(key).strip());
        }
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(environment.get(CONFIG_FILE_ENVIRONMENT))
                .filter(name -> !name.isBlank()).map(Path::of));
        if (file.isPresent()) {
            values.putAll(ConfigFile.read(file.get(), values.keySet()));
        }
        for (String key : Map.copyOf(values).keySet()) {
            String fromEnvironment = environment.get(environmentName(key));
            if (fromEnvironment != null) {
                values.put(key, fromEnvironment.strip());
            }
        }
        for (Map.Entry<String, String> override : commandLine.entrySet()) {
            if (!values.containsKey(override.getKey())) {
                throw new IllegalArgumentException("unknown configuration key '" + override.getKey()
                        + "'; known keys: " + String.join(", ", values.keySet()));
            }
            values.put(override.getKey(), override.getValue().strip());
        }
        return new Settings(values);
    }

    /** collections.data-dir becomes COLLECTIONS_DATA_DIR. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'");
        }
        return value;
    }

    /** Every key and its value, for the routes' {{key}} placeholders. */
    public Map<String, String> all() {
        return values;
    }

    /** A whole number within bounds, or a message naming the key. */
    public int intValue(String key, int min, int max) {
        String value = get(key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max + ", found '" + value + "'");
    }

    /**
     * A duration in Camel's syntax, parsed here rather than by Camel, which reads text it does not
     * know as zero; the same value gives the same length as Camel's TimeUtils.
     */
    public Duration durationValue(String key) {
        return durationValue(key, Duration.ZERO);
    }

    /** As {@link #durationValue(String)}, at least {@code min}: a message names the key, the forms, the bound and the value. */
    public Duration durationValue(String key, Duration min) {
        return duration(key, get(key), min);
    }

    /** {@code value} read as {@link #durationValue} reads a key's; {@code name} (a key or an option) names it in the error. */
    public static Duration duration(String name, String value, Duration min) {
        Matcher matcher = DURATION.matcher(value);
        if (!matcher.matches()) {
            String bound = min.isZero() ? "" : ", at least " + written(min);
            throw new IllegalArgumentException(name + " must be a duration: " + DURATION_FORMS + bound + "; found '"
                    + abbreviate(value) + "'");
        }
        Duration duration = matcher.group(1) != null ? Duration.ofMillis(Long.parseLong(matcher.group(1)))
                : Duration.ofDays(part(matcher.group(2))).plusHours(part(matcher.group(3))).plusMinutes(part(matcher.group(4)))
                        .plusSeconds(part(matcher.group(5))).plusMillis(part(matcher.group(6)));
        if (duration.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + written(min) + ", found '" + abbreviate(value) + "'");
        }
        return duration;
    }

    /** A duration as this syntax writes it, in its largest whole unit: 1s, 1m, 1d, 1500ms. */
    public static String written(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static long part(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    public Path dataDir() {
        return Path.of(get(DATA_DIR));
    }

    /** collections.ledger.period: a month, the one period the ledger closes (in collections.time-zone). */
    public LedgerPeriod ledgerPeriod() {
        return LedgerPeriod.parse(LEDGER_PERIOD, get(LEDGER_PERIOD));
    }

    /** The core's settings; every value is checked here, so a bad one is reported before any work starts. */
    public StoreSettings storeSettings() {
        int termsDays = intValue(TERMS_DAYS, 0, Limits.MAX_TERMS_DAYS);
        Currency currency;
        try {
            currency = Currencies.parseCurrent(get(DEFAULT_CURRENCY));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DEFAULT_CURRENCY + ": " + e.getMessage());
        }
        ledgerPeriod();
        // The clock gives instants only: "today" is a date in collections.time-zone, never the JVM's zone.
        return new StoreSettings(currency, termsDays, Clock.systemUTC(), DunningSettings.zone(get(TIME_ZONE)))
                .withMacKeyFile(macKeyFile());
    }

    /** collections.mac.key-file, or by default a file named for the data folder in the user's configuration directory. */
    public Path macKeyFile() {
        String configured = get(MAC_KEY_FILE);
        return configured.isEmpty() ? MacKeyFile.defaultPath(dataDir()) : Path.of(configured);
    }

}
