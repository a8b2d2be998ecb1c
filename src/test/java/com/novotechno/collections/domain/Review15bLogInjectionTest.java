package com.novotechno.collections.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Currency;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of issue 15 (b): a rejection's reason goes to the log as it is (QueueIntake, FileIntake log it, and
 * the DLQ header and submit --wait print it), so nothing a producer wrote may reach it with a line break or an
 * escape sequence: a producer could forge log lines, or drive the operator's terminal.
 */
class Review15bLogInjectionTest {

    private static final String FORGED = "\\n2026-12-03T06:26:28.201+0000 ERROR CollectionsService - forged\\u001b[2J";

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"message_id\":\"m1\",\"type\":\"x" + FORGED + "\",\"client\":\"A\",\"invoice_number\":\"I\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"I\",\"a" + FORGED + "\":\"1\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"I\",\"amount\":\"1\",\"currency\":\"U" + FORGED + "\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"I\",\"amount\":\"1" + FORGED + "\",\"currency\":\"USD\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"I\",\"amount\":\"1\",\"currency\":\"USD\",\"issued_on\":\"2026" + FORGED + "\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"I\",\"amount\":\"1\",\"currency\":\"USD\",\"contact_email\":\"a" + FORGED + "@x.com\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\",\"client\":\"A" + FORGED + "\",\"invoice_number\":\"I\"}",
            "{\"message_id\":\"m" + FORGED + "\",\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"I\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.escalated\",\"client\":\"A\",\"invoice_number\":\"I\",\"reason\":\"r" + FORGED + "\"}",
            "{\"message_id\":\"m1\",\"type\":\"reminder.sent\",\"client\":\"A\",\"invoice_number\":\"I\",\"level\":\"r" + FORGED + "\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\",\"client\":\"A\",\"invoice_number\":\"I\",\"amount\":1" + "e99999" + ",\"currency\":\"USD\"}",
            "{\"message_id\":\"m1\",\"type\":\"invoice.issued\"" + FORGED + "}",
    })
    void aRejectionNeverCarriesALineBreakOrEscapeSequenceOfTheMessage(String message) {
        RejectedMessageException rejected = catchThrowableOfType(() -> new MessageParser(Currency.getInstance("USD"))
                .parse(message.getBytes(StandardCharsets.UTF_8)), RejectedMessageException.class);
        assertThat(rejected).as(message).isNotNull();
        String reason = rejected.getMessage();
        assertThat(reason.codePoints().filter(Printable::isUnsafe).count()).as(reason).isZero();
    }
}
