package com.novotechno.collections.logging;

import com.novotechno.collections.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Puts the logging configuration in force once the settings are read, before anything runs (README,
 * "Logging"): the file {@code collections.log.config} names, else a {@code log4j2.xml} next to the jar,
 * else the jar's own, text or JSON lines ({@code collections.log.format}) with the service's loggers at
 * {@code collections.log.level}. Log4j configures itself from the jar's {@code log4j2.xml} at the first
 * logger; this replaces that configuration in the same context, so loggers made before follow it.
 */
public final class LogSetup {

    public static final String BESIDE_JAR = "log4j2.xml";
    static final String OUR_LOGGERS = "com.novotechno.collections";
    private static final Set<String> FORMATS = Set.of("text", "json");
    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    /** What was last put in force: a command run again in one JVM (the tests) does not reconfigure for nothing. */
    private static Choice applied;

    private LogSetup() {
    }

    /** Where the configuration comes from, and the level of our loggers when it is the jar's. */
    record Choice(URI source, boolean external, Level level) {
    }

    /**
     * Applies the settings' logging configuration; a bad value is an IllegalArgumentException naming the key.
     *
     * @param besideJar the folder of the running jar, if it runs from one
     */
    public static synchronized void apply(Settings settings, Optional<Path> besideJar) {
        Choice choice = choose(settings, besideJar);
        if (choice.equals(applied)) {
            return;
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        StatusErrors errors = new StatusErrors();
        StatusLogger.getLogger().registerListener(errors);
        try {
            put(context, choice);
        } finally {
            StatusLogger.getLogger().removeListener(errors);
        }
        if (choice.external() && (errors.first().isPresent() || !isOwn(context.getConfiguration(), choice.source()))) {
            // Log4j answers a file it cannot use with a default of its own; what was in force before stays instead.
            put(context, applied != null ? applied : choose(Settings.load(Map.of(), Map.of()), Optional.empty()));
            throw new IllegalArgumentException(Settings.LOG_CONFIG + ": " + Path.of(choice.source())
                    + " is not a Log4j 2 configuration that works: " + errors.first().orElse("it has no appender"));
        }
        if (errors.first().isPresent()) {
            // A build that lost a Log4j plugin (the shaded jar merges their lists): a fault of the jar, not of a setting.
            throw new IllegalStateException("the jar's logging configuration " + choice.source() + " does not work: "
                    + errors.first().get());
        }
        applied = choice;
    }

    private static void put(LoggerContext context, Choice choice) {
        context.setConfigLocation(choice.source());
        if (!choice.external()) {
            Configurator.setLevel(OUR_LOGGERS, choice.level());
        }
    }

    static Choice choose(Settings settings, Optional<Path> besideJar) {
        String format = settings.get(Settings.LOG_FORMAT).toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException(Settings.LOG_FORMAT + " must be text or json, found '"
                    + settings.get(Settings.LOG_FORMAT) + "'");
        }
        String level = settings.get(Settings.LOG_LEVEL).toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException(Settings.LOG_LEVEL + " must be one of error, warn, info, debug, trace, found '"
                    + settings.get(Settings.LOG_LEVEL) + "'");
        }
        String configured = settings.get(Settings.LOG_CONFIG);
        if (!configured.isEmpty()) {
            Path file = Path.of(configured).toAbsolutePath();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException(Settings.LOG_CONFIG + ": no readable file at " + file);
            }
            return new Choice(file.toUri(), true, null);
        }
        Optional<Path> beside = besideJar.map(folder -> folder.resolve(BESIDE_JAR)).filter(Files::isRegularFile);
        if (beside.isPresent()) {
            return new Choice(beside.get().toAbsolutePath().toUri(), true, null);
        }
        return new Choice(resource(format.equals("json") ? "/log4j2-json.xml" : "/log4j2.xml"), false, Level.toLevel(level));
    }

    /** The folder of the jar this class was loaded from; empty when it runs from classes (the tests, an IDE). */
    public static Optional<Path> jarFolder() {
        try {
            var codeSource = LogSetup.class.getProtectionDomain().getCodeSource();
            if (codeSource == null) {
                return Optional.empty();
            }
            Path location = Path.of(codeSource.getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.ofNullable(location.toAbsolutePath().getParent()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The file's own configuration, and one that writes somewhere: one with no appender would silence the service. */
    private static boolean isOwn(Configuration configuration, URI source) {
        var configSource = configuration.getConfigurationSource();
        return configSource != null && configSource.getFile() != null
                && configSource.getFile().toPath().toAbsolutePath().equals(Path.of(source))
                && !configuration.getAppenders().isEmpty();
    }

    /** The errors Log4j reports while it reads a configuration (it goes on regardless, with what it could read). */
    private static final class StatusErrors implements StatusListener {
        private final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void log(StatusData data) {
            if (data.getLevel().isMoreSpecificThan(Level.ERROR)) {
                messages.add(data.getMessage().getFormattedMessage());
            }
        }

        @Override
        public Level getStatusLevel() {
            return Level.ERROR;
        }

        @Override
        public void close() {
        }

        Optional<String> first() {
            return messages.stream().findFirst();
        }
    }

    private static URI resource(String name) {
        URL url = LogSetup.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is missing from the class path");
        }
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }
}
