package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter send commits with the message's acknowledgement, in the consumer's own
 * transaction: if the route fails after sending the dead letter, both roll back.
 */
class DeadLetterTransactionTest {

    @TempDir
    Path temp;

    @Test
    void aFailureAfterTheDeadLetterSendRollsTheDeadLetterBackWithTheMessage() throws Exception {
        // The shipped queue route, with a failure right after its dead-letter send.
        String shipped = Files.readString(Path.of("routes", "queue-intake.yaml"));
        // The end of the dead-letter send's doTry (its doCatch names the bean that reports a failed send).
        String deadLetterSend = "                                method: deadLetterFailed\n";
        String failing = shipped.replace(deadLetterSend, deadLetterSend
                + "                  - throwException:\n"
                + "                      exceptionType: java.lang.IllegalStateException\n"
                + "                      message: the route fails after the dead letter went out\n");
        assertThat(failing).isNotEqualTo(shipped);
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Files.writeString(routes.resolve("queue-intake.yaml"), failing);

        try (RunningService running = RunningService.start(temp.resolve("data"), new FileSystemStorage(),
                Map.of("collections.routes", routes.toString()))) {
            running.send(Messages.escalated("p1", "ACME", "INV-404", "no reply"));
            // Deliveries at about 0, 1 and 3 s (the broker's backoff): each sends a dead letter and fails.
            Thread.sleep(4500);
            // Outside one transaction each attempt would have left a dead letter behind.
            assertThat(running.waiting("collections.invoices.DLQ")).isZero();
        }
    }
}
