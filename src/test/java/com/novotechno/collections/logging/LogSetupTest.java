package com.novotechno.collections.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.testing.StandardError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which logging configuration is in force, and what it writes. Each test puts the jar's default back. */
class LogSetupTest {

    private static final Logger OURS = LoggerFactory.getLogger("com.novotechno.collections.logging.probe");

    @TempDir
    Path temp;

    @AfterEach
    void theJarsDefaultAgain() {
        LogSetup.apply(settings(Map.of()), Optional.empty());
    }

    private static Settings settings(Map<String, String> keys) {
        return Settings.load(Map.of(), keys);
    }

    @Test
    void byDefaultOneTextLinePerEventWithTimeLevelLoggerAndMessage() {
        LogSetup.apply(settings(Map.of()), Optional.empty());
        try (StandardError log = StandardError.capture()) {
            OURS.info("one line");
            OURS.debug("not at info");
            assertThat(log.text()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} INFO probe - one line\\R");
        }
    }

    @Test
    void jsonIsOneObjectPerLineWithLevelLoggerAndMessage() throws Exception {
        LogSetup.apply(settings(Map.of(Settings.LOG_FORMAT, "json")), Optional.empty());
        try (StandardError log = StandardError.capture()) {
            OURS.warn("a \"quoted\" line\nand its second");
            String[] lines = log.text().split("\n");
            assertThat(lines).hasSize(1);
            JsonNode event = new ObjectMapper().readTree(lines[0]);
            assertThat(event.get("message").asText()).isEqualTo("a \"quoted\" line\nand its second");
            assertThat(event.get("log.level").asText()).isEqualTo("WARN");
            assertThat(event.get("log.logger").asText()).isEqualTo("com.novotechno.collections.logging.probe");
            assertThat(event.has("@timestamp")).isTrue();
        }
    }

    @Test
    void theLevelSetsTheServicesOwnLoggers() {
        LogSetup.apply(settings(Map.of(Settings.LOG_LEVEL, "debug")), Optional.empty());
        assertThat(OURS.isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("org.apache.camel.probe").isInfoEnabled()).as("Camel stays at warn").isFalse();
        LogSetup.apply(settings(Map.of(Settings.LOG_LEVEL, "warn")), Optional.empty());
        assertThat(OURS.isInfoEnabled()).isFalse();
    }

    @Test
    void aFileNamedByTheSettingsDecidesWhereLinesGoAndAtWhatLevel() throws Exception {
        Path out = temp.resolve("service.log");
        Path config = Files.writeString(temp.resolve("ops.xml"), externalConfiguration(out, "error"));
        LogSetup.apply(settings(Map.of(Settings.LOG_CONFIG, config.toString())), Optional.empty());
        OURS.warn("below the file's level");
        OURS.error("to the file");
        assertThat(Files.readString(out)).isEqualTo("ERROR to the file\n");
    }

    @Test
    void aLog4j2XmlBesideTheJarIsUsedUnlessTheSettingsNameAnother() throws Exception {
        Path out = temp.resolve("beside.log");
        Files.writeString(temp.resolve("log4j2.xml"), externalConfiguration(out, "info"));
        LogSetup.apply(settings(Map.of()), Optional.of(temp));
        OURS.info("beside the jar");
        assertThat(Files.readString(out)).isEqualTo("INFO beside the jar\n");

        Path named = Files.writeString(temp.resolve("named.xml"), externalConfiguration(temp.resolve("named.log"), "info"));
        assertThat(LogSetup.choose(settings(Map.of(Settings.LOG_CONFIG, named.toString())), Optional.of(temp)).source())
                .isEqualTo(named.toUri());
    }

    @Test
    void badValuesAreRefusedNamingTheKeyAndTheLoggingInForceStays() throws Exception {
        Path missing = temp.resolve("missing.xml");
        assertThatThrownBy(() -> LogSetup.apply(settings(Map.of(Settings.LOG_CONFIG, missing.toString())), Optional.empty()))
                .hasMessage("collections.log.config: no readable file at " + missing);
        assertThatThrownBy(() -> LogSetup.apply(settings(Map.of(Settings.LOG_FORMAT, "xml")), Optional.empty()))
                .hasMessage("collections.log.format must be text or json, found 'xml'");
        assertThatThrownBy(() -> LogSetup.apply(settings(Map.of(Settings.LOG_LEVEL, "loud")), Optional.empty()))
                .hasMessage("collections.log.level must be one of error, warn, info, debug, trace, found 'loud'");
        Path notXml = Files.writeString(temp.resolve("broken.xml"), "<Configuration><Appenders>");
        assertThatThrownBy(() -> LogSetup.apply(settings(Map.of(Settings.LOG_CONFIG, notXml.toString())), Optional.empty()))
                .hasMessageStartingWith("collections.log.config: " + notXml + " is not a Log4j 2 configuration that works: ");
        try (StandardError log = StandardError.capture()) {
            OURS.info("still logged");
            assertThat(log.text()).endsWith(" INFO probe - still logged\n");
        }
    }

    private static String externalConfiguration(Path file, String level) {
        return """
                <Configuration status="off">
                  <Appenders>
                    <File name="file" fileName="%s"><PatternLayout pattern="%%level %%m%%n"/></File>
                  </Appenders>
                  <Loggers>
                    <Root level="%s"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(file, level);
    }
}
