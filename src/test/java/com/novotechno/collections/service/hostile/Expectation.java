package com.novotechno.collections.service.hostile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One route's expected outcome of a case, as its column in cases.tsv states it (the file's header
 * says the grammar): what happens, the reason's text or the effect, and, for a made-safe case, how.
 */
record Expectation(Kind kind, String reason, Map<String, String> effect, Optional<String> how) {

    enum Kind {
        REJECTED, DUPLICATE, ACCEPTED, LEFT_UNREAD, REFUSED_AT_SEND, NOT_APPLICABLE
    }

    /** The made-safe hows that are an outcome of their own; any other how is followed by "; outcome". */
    static final String LEFT_UNREAD = "left unread in the inbox";
    static final String REFUSED_AT_SEND = "refused by the broker at send";
    /** Hows checked beyond their outcome (see HostileCorpusTest). */
    static final String MOVED_ASIDE = "moved aside unopened";
    static final String OTHER_NAME_KEPT = "read as the regular file it is";
    static final String NOT_DESERIALISED = "never deserialised";

    private static final String MADE_SAFE = "made safe: ";

    static Expectation parse(String text) {
        if (text.startsWith(MADE_SAFE)) {
            String rest = text.substring(MADE_SAFE.length());
            int semicolon = rest.indexOf("; ");
            String how = semicolon < 0 ? rest : rest.substring(0, semicolon);
            Expectation outcome = switch (how) {
                case LEFT_UNREAD -> new Expectation(Kind.LEFT_UNREAD, "", Map.of(), Optional.empty());
                case REFUSED_AT_SEND -> new Expectation(Kind.REFUSED_AT_SEND, "", Map.of(), Optional.empty());
                default -> {
                    if (semicolon < 0) {
                        throw new IllegalArgumentException("a made-safe how other than '" + LEFT_UNREAD + "' or '"
                                + REFUSED_AT_SEND + "' needs '; <outcome>' after it: " + text);
                    }
                    yield parse(rest.substring(semicolon + 2));
                }
            };
            return new Expectation(outcome.kind, outcome.reason, outcome.effect, Optional.of(how));
        }
        if (text.startsWith("rejected: ")) {
            return new Expectation(Kind.REJECTED, text.substring("rejected: ".length()), Map.of(), Optional.empty());
        }
        if (text.equals("accepted: duplicate")) {
            return new Expectation(Kind.DUPLICATE, "", Map.of(), Optional.empty());
        }
        if (text.startsWith("accepted: ")) {
            Map<String, String> effect = new LinkedHashMap<>();
            for (String pair : text.substring("accepted: ".length()).split(" ")) {
                String[] keyValue = pair.split("=", 2);
                if (keyValue.length != 2 || effect.put(keyValue[0], keyValue[1]) != null) {
                    throw new IllegalArgumentException("an effect is key=value pairs, each key once: " + text);
                }
            }
            return new Expectation(Kind.ACCEPTED, "", Map.copyOf(effect), Optional.empty());
        }
        if (text.startsWith("n/a: ")) {
            return new Expectation(Kind.NOT_APPLICABLE, "", Map.of(), Optional.empty());
        }
        throw new IllegalArgumentException("not an outcome (rejected:, accepted:, made safe:, n/a:): " + text);
    }

    /** Whether the case leaves the data folder as it found it: checked together, before the cases that change it run. */
    boolean changesNothing() {
        return kind != Kind.ACCEPTED;
    }
}
