package com.novotechno.collections.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/** RFC 8785 examples for the value types the service stores, and agreement with the reference implementation. */
class JcsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String canonical(String json) throws Exception {
        return new String(Jcs.canonicalize(JSON.readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void rfc8785SortingExampleOrdersKeysByUtf16CodeUnits() throws Exception {
        // RFC 8785 section 3.2.3.
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";
        assertThat(canonical(input)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void rfc8785StringAndLiteralExampleEscapesOnlyWhatEcmaScriptDoes() throws Exception {
        // RFC 8785 section 3.2.2, without its floating-point "numbers" member, which the service never stores.
        String input = """
                {
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        assertThat(canonical(input))
                .isEqualTo("{\"literals\":[null,true,false],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void rfc8785HexadecimalUtf8OfTheStringExample() throws Exception {
        // RFC 8785 section 3.2.4 gives the UTF-8 bytes of the canonical form; check the € and the escapes byte-wise.
        byte[] bytes = Jcs.canonicalize(JSON.readTree("{\"s\":\"\\u20ac\\u000f\"}"));
        assertThat(bytes).containsExactly('{', '"', 's', '"', ':', '"', 0xe2, 0x82, 0xac, '\\', 'u', '0', '0', '0', 'f', '"', '}');
    }

    @Test
    void integersAreWrittenPlainAndFractionsAreRefused() throws Exception {
        assertThat(canonical("{\"seq\":9007199254740991,\"n\":-3,\"z\":0}")).isEqualTo("{\"n\":-3,\"seq\":9007199254740991,\"z\":0}");
        assertThatThrownBy(() -> canonical("{\"amount\":1.5}")).hasMessageContaining("only integers");
        assertThatThrownBy(() -> canonical("{\"big\":9007199254740993}")).hasMessageContaining("beyond 2^53");
    }

    @Test
    void loneSurrogatesAreRefused() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("s", "\ud800x");
        assertThatThrownBy(() -> Jcs.canonicalize(node)).hasMessageContaining("lone surrogate");
    }

    @Test
    void agreesWithTheReferenceImplementationOnRandomStoredShapes() throws Exception {
        Random random = new Random(8785);
        for (int i = 0; i < 500; i++) {
            JsonNode value = randomObject(random, 0);
            String ours = new String(Jcs.canonicalize(value), StandardCharsets.UTF_8);
            String reference = new JsonCanonicalizer(JSON.writeValueAsString(value)).getEncodedString();
            assertThat(ours).as("object %d: %s", i, value).isEqualTo(reference);
        }
    }

    private static ObjectNode randomObject(Random random, int depth) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        int fields = random.nextInt(6);
        for (int f = 0; f < fields; f++) {
            object.set(randomString(random), randomValue(random, depth + 1));
        }
        return object;
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 4 : 6);
        return switch (kind) {
            case 0 -> JsonNodeFactory.instance.textNode(randomString(random));
            case 1 -> JsonNodeFactory.instance.numberNode(random.nextInt() / (1 + random.nextInt(1000)));
            case 2 -> JsonNodeFactory.instance.booleanNode(random.nextBoolean());
            case 3 -> JsonNodeFactory.instance.nullNode();
            case 4 -> randomObject(random, depth);
            default -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static String randomString(Random random) {
        String alphabet = "aZ09_-.:\"\\/\b\f\n\r\t\u0000\u001f\u007f\u0080\u00f6\u20ac\u2028\ufb33\ud83d\ude00 ";
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            int index = random.nextInt(alphabet.length());
            char c = alphabet.charAt(index);
            if (Character.isHighSurrogate(c)) {
                s.append(c).append(alphabet.charAt(index + 1));
            } else if (!Character.isLowSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
