package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ImportProgressTest {

    private final StringWriter err = new StringWriter();

    @Test
    void inALogALineEachIntervalWithDoneTotalAndRate() {
        ImportProgress progress = new ImportProgress(3000, new PrintWriter(err, true), false, 0);
        progress.done(1000);
        progress.done(1000);
        progress.finish();
        assertThat(err.toString().lines().toList()).hasSize(3)
                .allMatch(line -> line.matches("import: [0-9,]+ of 3,000 messages, [0-9,]+ messages/s"))
                .first().asString().startsWith("import: 1,000 of 3,000 messages");
    }

    @Test
    void onATerminalOneLineRewrittenInPlaceAndEndedBeforeAnythingElse() {
        ImportProgress progress = new ImportProgress(2000, new PrintWriter(err, true), true, 0);
        progress.done(1000);
        progress.clearLine(); // a rejection is about to be printed
        progress.done(1000);
        progress.finish();
        assertThat(err.toString()).startsWith("\rimport: 1,000 of 2,000 messages").contains("\n\rimport: 2,000 of 2,000")
                .endsWith("messages/s\n");
    }

    @Test
    void aShortImportShowsNothing() {
        ImportProgress progress = new ImportProgress(10, new PrintWriter(err, true), false);
        progress.done(10);
        progress.finish();
        assertThat(err.toString()).isEmpty();
    }
}
