package com.novotechno.collections.config;

import com.novotechno.collections.domain.Currencies;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.state.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration (CONTRACT section 6): {@code application.properties} in the jar, overridden by
 * environment variables ({@code COLLECTIONS_DATA_DIR} for {@code collections.data-dir}),
 * overridden by {@code --key=value} on the command line.
 */
public final class Settings {

    public static final String DATA_DIR = "collections.data-dir";
    public static final String DEFAULT_CURRENCY = "collections.default-currency";
    public static final String TERMS_DAYS = "collections.terms-days";
    public static final String RECONCILE_PERIOD = "collections.reconcile.period";
    public static final String BROKER_URL = "collections.broker.url";
    public static final String BROKER_PORT = "collections.broker.port";
    public static final String BROKER_MAX_DISK_USAGE = "collections.broker.max-disk-usage";
    public static final String BROKER_USER = "collections.broker.user";
    public static final String BROKER_PASSWORD = "collections.broker.password";
    public static final String QUEUE_CONSUMERS = "collections.queue.consumers";
    public static final String ROUTES = "collections.routes";
    public static final String SHUTDOWN_TIMEOUT = "collections.shutdown-timeout";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Settings load(Map<String, String> environment, Map<String, String> commandLine) {
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

    public Path dataDir() {
        return Path.of(get(DATA_DIR));
    }

    /** The core's settings; every value is checked here, so a bad one is reported before any work starts. */
    public StoreSettings storeSettings() {
        int termsDays = intValue(TERMS_DAYS, 0, Limits.MAX_TERMS_DAYS);
        Currency currency;
        try {
            currency = Currencies.parse(get(DEFAULT_CURRENCY));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DEFAULT_CURRENCY + ": " + e.getMessage());
        }
        return new StoreSettings(currency, termsDays, Clock.systemDefaultZone());
    }

}
