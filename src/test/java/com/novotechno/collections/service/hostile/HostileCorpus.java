package com.novotechno.collections.service.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads src/test/resources/hostile/: the cases of cases.tsv, their bodies and setup messages, for a route's copy. */
final class HostileCorpus {

    private static final String ROOT = "/hostile/";
    private static final String GENERATED = "generated:";
    private static final int MESSAGE_LIMIT_BYTES = com.novotechno.collections.domain.Limits.MAX_MESSAGE_BYTES;
    /** A valid invoice.issued, for the generated bodies that are about size and depth rather than content. */
    private static final String VALID_HEAD = "\"type\":\"invoice.issued\",\"message_id\":\"{K}.m\",\"client\":\"{K}\","
            + "\"invoice_number\":\"INV-1\"";
    private static final String VALID_TAIL = ",\"amount\":\"100.00\",\"currency\":\"USD\",\"issued_on\":\"2026-01-10\","
            + "\"due_on\":\"2026-02-09\"}";

    private final List<HostileCase> cases;

    private HostileCorpus(List<HostileCase> cases) {
        this.cases = cases;
    }

    static HostileCorpus load() {
        List<HostileCase> cases = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<String> lines = Arrays.asList(text("cases.tsv").split("\n"));
        boolean header = true;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (header) {
                header = false; // the column names
                continue;
            }
            if (columns.length != 7) {
                throw new IllegalArgumentException("cases.tsv: 7 tab-separated columns, found " + columns.length + ": " + line);
            }
            Map<Route, Expectation> expected = new EnumMap<>(Route.class);
            expected.put(Route.INBOX, Expectation.parse(columns[4]));
            expected.put(Route.QUEUE, Expectation.parse(columns[5]));
            HostileCase hostile = new HostileCase(columns[0],
                    columns[1].equals("-") ? List.of() : List.of(columns[1].split(",")), columns[2], columns[3], expected, columns[6]);
            if (!names.add(hostile.name())) {
                throw new IllegalArgumentException("cases.tsv: " + hostile.name() + " twice");
            }
            cases.add(hostile);
        }
        return new HostileCorpus(List.copyOf(cases));
    }

    List<HostileCase> cases() {
        return cases;
    }

    boolean hasBody(HostileCase hostile) {
        return !hostile.body().equals("-");
    }

    /** The case's body for one route, byte for byte as sent, {K} and {R} replaced. */
    byte[] body(HostileCase hostile, Route route) {
        if (hostile.body().startsWith(GENERATED)) {
            return generated(hostile.body().substring(GENERATED.length()), route.substitute(hostile.name(), VALID_HEAD),
                    route.substitute(hostile.name(), VALID_TAIL));
        }
        return substitute(bytes("bodies/" + hostile.body()), hostile.name(), route);
    }

    /** The setup messages of the case, for one route, in order. */
    List<byte[]> setup(HostileCase hostile, Route route) {
        return hostile.setup().stream().map(name -> substitute(bytes("setup/" + name + ".json"), hostile.name(), route)).toList();
    }

    /** What is too large to keep as a file, made the same way each time. */
    private static byte[] generated(String name, String head, String tail) {
        return switch (name) {
            case "8-mib-of-spaces" -> spaces(8 * 1024 * 1024);
            case "valid-message-padded-to-65536-bytes" -> padded(head, tail, MESSAGE_LIMIT_BYTES);
            case "valid-message-padded-to-65537-bytes" -> padded(head, tail, MESSAGE_LIMIT_BYTES + 1);
            case "10000-nested-arrays-in-a-field" -> ("{" + head + ",\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException("no generated body named " + name);
        };
    }

    /** The valid message with white space after its first brace, to exactly {@code size} bytes. */
    private static byte[] padded(String head, String tail, int size) {
        int message = ("{" + head + tail).getBytes(StandardCharsets.UTF_8).length;
        byte[] bytes = ("{" + " ".repeat(size - message) + head + tail).getBytes(StandardCharsets.UTF_8);
        if (bytes.length != size) {
            throw new AssertionError("padded to " + bytes.length + " bytes, not " + size);
        }
        return bytes;
    }

    private static byte[] spaces(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        return bytes;
    }

    /** {K} and {R} replaced in bytes that need not be UTF-8 (the tokens are ASCII, so no other byte changes). */
    private static byte[] substitute(byte[] bytes, String caseName, Route route) {
        byte[] client = route.client(caseName).getBytes(StandardCharsets.US_ASCII);
        byte[] tag = route.tag().getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 64);
        for (int i = 0; i < bytes.length; i++) {
            if (i + 2 < bytes.length && bytes[i] == '{' && bytes[i + 2] == '}' && (bytes[i + 1] == 'K' || bytes[i + 1] == 'R')) {
                out.writeBytes(bytes[i + 1] == 'K' ? client : tag);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toByteArray();
    }

    private static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no " + ROOT + name + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
