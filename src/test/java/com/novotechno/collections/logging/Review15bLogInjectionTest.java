package com.novotechno.collections.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.testing.StandardError;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review of issue 15 (b): the text log promises one line per event and no escape codes. A message that carries
 * a line break or an escape sequence (a producer's file name in an exception, a library's multi-line message)
 * must not forge a second line nor reach the operator's terminal as a control sequence.
 */
class Review15bLogInjectionTest {

    private static final Logger OURS = LoggerFactory.getLogger("com.novotechno.collections.logging.probe");
    private static final Logger CAMEL = LoggerFactory.getLogger("org.apache.camel.probe");

    @AfterEach
    void theJarsDefaultAgain() {
        LogSetup.apply(Settings.load(Map.of(), Map.of()), Optional.empty());
    }

    @Test
    void aMessageWithALineBreakOrEscapeStaysOneLineWithoutControlCharacters() {
        LogSetup.apply(Settings.load(Map.of(), Map.of()), Optional.empty());
        try (StandardError log = StandardError.capture()) {
            OURS.warn("inbox: could not move x\n2026-12-03T06:26:28.201+0000 ERROR CollectionsService - forged\u001b[2J\u009b31m");
            CAMEL.warn("Failed on file inbox/a\r\n2026-12-03T06:26:28.201+0000 INFO ReconcileCheck - agree");
            String text = log.text();
            assertThat(text.lines()).hasSize(2);
            assertThat(text.lines()).allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT.* (WARN) probe - .*"));
            assertThat(text.codePoints().filter(c -> c != '\n' && Character.isISOControl(c)).count()).as(text).isZero();
            assertThat(text).contains("could not move x\\n2026-12-03T06:26:28.201+0000 ERROR");
        }
    }
}
