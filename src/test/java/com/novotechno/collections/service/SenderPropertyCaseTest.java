package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker writes the validated user into CollectionsSender, but JMS property names are case-sensitive
 * while Camel's headers are not: a producer's own "collectionssender" must not take the stamped one's place.
 */
class SenderPropertyCaseTest {

    private static final String DLQ = "collections.invoices.DLQ";

    @TempDir
    Path temp;

    @Test
    void aSenderPropertyInAnotherCaseDoesNotMakeAProducerAnOperator() throws Exception {
        List<String> spellings = List.of("collectionssender", "COLLECTIONSSENDER", "collectionsSender", "CollectionsSendeR",
                "collectionsoriginalsender", "COLLECTIONSORIGINALSENDER");
        try (RunningService service = RunningService.start(temp.resolve("data"), new FileSystemStorage(), Map.of())) {
            service.send(Messages.issued("i0", "ACME", "INV-0", "100.00", "USD"));
            int n = 0;
            for (String spelling : spellings) {
                String client = "C" + n;
                service.send(Messages.issued("i" + client, client, "INV-1", "100.00", "USD"));
                service.send(Messages.erased("x" + client, client), Map.of(spelling, "operator"));
                n++;
            }
            int sent = n;
            await().atMost(Duration.ofSeconds(30)).until(() -> service.waiting(DLQ) == sent);
            for (int i = 0; i < sent; i++) {
                assertThat(Files.readString(service.layout.root().resolve("events.log")))
                        .as(spellings.get(i)).doesNotContain("\"xC" + i + "\"");
            }
        }
    }

    /** Camel's own headers filtered by their prefix "Camel" must not slip through in another case and redirect a send. */
    @Test
    void aCamelHeaderInAnotherCaseDoesNotRedirectTheDeadLetter() throws Exception {
        try (RunningService service = RunningService.start(temp.resolve("data"), new FileSystemStorage(), Map.of())) {
            List<String> spellings = List.of("CAMELJMSDESTINATIONNAME", "cAMELJmsDestinationName", "CamelJmsDestinationName");
            for (String spelling : spellings) {
                service.send("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Map.of(spelling, "collections.emailer"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> service.waiting(DLQ) == spellings.size());
            assertThat(service.waiting("collections.emailer")).isZero();
        }
    }
}
