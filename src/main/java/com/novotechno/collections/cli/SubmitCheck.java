package com.novotechno.collections.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.novotechno.collections.domain.Limits;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What 'submit' checks before it sends anything, so that a sender gets all of an invocation's
 * messages sent or none: every file readable, every message within the size limit and JSON. Only
 * JSON: whether a message is a valid one is the service's to decide (and 'submit --wait' reports).
 */
final class SubmitCheck {

    /** Problems printed at most; the rest are counted. A file of a million bad lines must not flood the terminal. */
    static final int MAX_REPORTED = 100;
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** @param problems {@code FILE:LINE: reason}, at most {@link #MAX_REPORTED} of them; {@code unreported} the rest */
    record Result(long messages, List<String> problems, long unreported) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    private SubmitCheck() {
    }

    static Result of(List<Path> files) {
        long[] messages = {0};
        List<String> problems = new ArrayList<>();
        long[] unreported = {0};
        for (Path file : files) {
            try {
                MessageFiles.read(file, (message, where) -> {
                    messages[0]++;
                    problem(message).ifPresent(problem -> {
                        if (problems.size() < MAX_REPORTED) {
                            problems.add(where + ": " + problem);
                        } else {
                            unreported[0]++;
                        }
                    });
                });
            } catch (NoSuchFileException e) {
                problems.add(file + ": no such file");
            } catch (IOException e) {
                problems.add(file + ": cannot read it: " + e.getMessage());
            }
        }
        return new Result(messages[0], List.copyOf(problems), unreported[0]);
    }

    /** Why one message cannot be sent, if it cannot. */
    static Optional<String> problem(byte[] message) {
        if (message.length > Limits.MAX_MESSAGE_BYTES) {
            return Optional.of("larger than the limit of " + Limits.MAX_MESSAGE_BYTES + " bytes");
        }
        try {
            JsonNode json = JSON.readTree(message);
            return json == null || json.isMissingNode() ? Optional.of("not JSON: nothing but white space") : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.of("not JSON: " + String.valueOf(e.getOriginalMessage()).replace('\n', ' ') + where(e.getLocation()));
        } catch (IOException e) {
            return Optional.of("not JSON: " + e.getMessage());
        }
    }

    /** Within the message: a .jsonl line is one line, so its column is enough. */
    private static String where(JsonLocation location) {
        if (location == null || location.getColumnNr() < 1) {
            return "";
        }
        return location.getLineNr() > 1
                ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
                : " (column " + location.getColumnNr() + ")";
    }
}
