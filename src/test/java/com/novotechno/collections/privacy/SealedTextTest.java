package com.novotechno.collections.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.novotechno.collections.storage.FileSystemStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTEXT = "contact_email@seq:42";

    private final SealedText sealer = new SealedText();
    private final SecretKey acme1 = randomKey();
    private final SecretKey acme2 = randomKey();
    private final Function<String, Optional<SecretKey>> keys =
            id -> Optional.ofNullable(Map.of("acme.1", acme1, "acme.2", acme2).get(id));

    @Test
    void aSealedTextOpensToItselfAndShowsNothingOfIt() throws Exception {
        String email = "zoë.o'brien@example.com";
        ObjectNode sealed = sealer.seal(email, "acme.1", acme1, CONTEXT);

        assertThat(fieldNames(sealed)).containsExactly("sealed", "data");
        assertThat(sealed.get("sealed").textValue()).isEqualTo("acme.1");
        byte[] data = Base64.getDecoder().decode(sealed.get("data").textValue());
        assertThat(data).hasSize(12 + email.getBytes(StandardCharsets.UTF_8).length + 16);
        assertThat(JSON.writeValueAsString(sealed)).doesNotContain("example").doesNotContain("brien");
        assertThat(new String(data, StandardCharsets.ISO_8859_1)).doesNotContain("example");

        // Read back from its JSON text, as the log reader will.
        JsonNode reread = JSON.readTree(JSON.writeValueAsString(sealed));
        assertThat(SealedText.isSealed(reread)).isTrue();
        assertThat(SealedText.keyIdOf(reread)).isEqualTo("acme.1");
        SealedText.Opened opened = sealer.open(reread, keys, CONTEXT);
        assertThat(opened).isEqualTo(new SealedText.Opened.Text(email));
        assertThat(opened.textOrErased()).isEqualTo(email);
    }

    @Test
    void theSameTextSealsDifferentlyEachTime() {
        String first = sealer.seal("a@example.com", "acme.1", acme1, CONTEXT).get("data").textValue();
        String second = sealer.seal("a@example.com", "acme.1", acme1, CONTEXT).get("data").textValue();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void emptyTextsAndSurrogatePairsAndTheLongestTextRoundTrip() {
        String longest = "€".repeat(SealedText.MAX_PLAINTEXT_CHARS); // 3 bytes each: the largest sealed value
        for (String text : List.of("", "pay by 😀 friday", longest)) {
            ObjectNode sealed = sealer.seal(text, "acme.1", acme1, CONTEXT);
            assertThat(sealed.get("data").textValue().length()).isLessThanOrEqualTo(SealedText.MAX_DATA_CHARS);
            assertThat(sealer.open(sealed, keys, CONTEXT).textOrErased()).isEqualTo(text);
        }
        assertThat(sealer.seal(longest, "acme.1", acme1, CONTEXT).get("data").textValue()).hasSize(SealedText.MAX_DATA_CHARS);
    }

    @Test
    void aValueMovedToAnotherFieldOrLineFailsLoudly() {
        ObjectNode sealed = sealer.seal("a@example.com", "acme.1", acme1, "contact_email@seq:42");
        assertThatThrownBy(() -> sealer.open(sealed, keys, "contact_email@seq:43"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fails authentication")
                .hasMessageContaining("acme.1");
        assertThatThrownBy(() -> sealer.open(sealed, keys, "reason@seq:42"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueRelabelledWithAnotherKeyIdFailsEvenWhenThatKeyOpensIt() {
        ObjectNode sealed = sealer.seal("a@example.com", "acme.1", acme1, CONTEXT);
        sealed.put("sealed", "acme.2");
        // The key id is authenticated: the right key under a wrong name still fails.
        Function<String, Optional<SecretKey>> sameKeyEverywhere = id -> Optional.of(acme1);
        assertThatThrownBy(() -> sealer.open(sealed, sameKeyEverywhere, CONTEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fails authentication");
    }

    @Test
    void tamperedOrDamagedDataFailsLoudly() {
        ObjectNode sealed = sealer.seal("a@example.com", "acme.1", acme1, CONTEXT);
        byte[] data = Base64.getDecoder().decode(sealed.get("data").textValue());
        for (int position : new int[] {0, 12, data.length - 1}) { // the nonce, the ciphertext, the tag
            byte[] tampered = data.clone();
            tampered[position] ^= 1;
            ObjectNode copy = sealed.deepCopy().put("data", Base64.getEncoder().encodeToString(tampered));
            assertThatThrownBy(() -> sealer.open(copy, keys, CONTEXT))
                    .as("bit flipped at " + position)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fails authentication");
        }
        ObjectNode wrongKey = sealer.seal("a@example.com", "acme.1", acme2, CONTEXT);
        assertThatThrownBy(() -> sealer.open(wrongKey, keys, CONTEXT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDestroyedKeyGivesErasedNotAbsentNotAnError(@TempDir Path dir) throws Exception {
        ClientKeys clientKeys = ClientKeys.open(new FileSystemStorage(), dir.resolve("keys"));
        String keyId = clientKeys.currentKeyId("acme");
        ObjectNode sealed = sealer.seal("a@example.com", keyId, clientKeys.find(keyId).orElseThrow(), CONTEXT);
        assertThat(sealer.open(sealed, clientKeys::find, CONTEXT).textOrErased()).isEqualTo("a@example.com");

        clientKeys.destroy("acme");
        SealedText.Opened opened = sealer.open(sealed, clientKeys::find, CONTEXT);
        assertThat(opened).isEqualTo(new SealedText.Opened.Erased("acme.1"));
        assertThat(opened.textOrErased()).isEqualTo(SealedText.ERASED_TEXT).isEqualTo("[erased]");
        // Erased even in a context it was not sealed for: without the key nothing can be checked.
        assertThat(sealer.open(sealed, ClientKeys.open(new FileSystemStorage(), dir.resolve("keys"))::find, "other"))
                .isInstanceOf(SealedText.Opened.Erased.class);
    }

    @Test
    void onlyTheExactShapeIsASealedValue() throws Exception {
        ObjectNode good = sealer.seal("a@example.com", "acme.1", acme1, CONTEXT);
        String data = good.get("data").textValue();
        Map<String, String> bad = Map.of(
                "an extra field", "{\"sealed\":\"acme.1\",\"data\":\"" + data + "\",\"x\":1}",
                "no data", "{\"sealed\":\"acme.1\"}",
                "a numeric key id", "{\"sealed\":1,\"data\":\"" + data + "\"}",
                "a key id without generation", "{\"sealed\":\"acme\",\"data\":\"" + data + "\"}",
                "unpadded base64", "{\"sealed\":\"acme.1\",\"data\":\"" + data.replace("=", "") + "\"}",
                "not base64", "{\"sealed\":\"acme.1\",\"data\":\"" + data.replace(data.substring(0, 4), "!!!!") + "\"}",
                "shorter than a nonce and a tag", "{\"sealed\":\"acme.1\",\"data\":\"" + Base64.getEncoder().encodeToString(new byte[27]) + "\"}",
                "longer than any sealed text", "{\"sealed\":\"acme.1\",\"data\":\"" + "A".repeat(SealedText.MAX_DATA_CHARS + 4) + "\"}");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            JsonNode node = JSON.readTree(entry.getValue());
            assertThat(SealedText.isSealed(node)).as(entry.getKey()).isTrue();
            assertThatThrownBy(() -> SealedText.keyIdOf(node)).as(entry.getKey()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sealer.open(node, keys, CONTEXT)).as(entry.getKey()).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(SealedText.isSealed(TextNode.valueOf("a@example.com"))).isFalse();
        assertThat(SealedText.isSealed(JSON.readTree("{\"data\":\"x\"}"))).isFalse();
        assertThat(SealedText.isSealed(null)).isFalse();
        assertThatThrownBy(() -> SealedText.keyIdOf(TextNode.valueOf("acme.1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sealingRefusesWhatCouldNotOpenAsItWas() {
        assertThatThrownBy(() -> sealer.seal("x".repeat(SealedText.MAX_PLAINTEXT_CHARS + 1), "acme.1", acme1, CONTEXT))
                .hasMessageContaining("at most " + SealedText.MAX_PLAINTEXT_CHARS);
        assertThatThrownBy(() -> sealer.seal("lone \uD800 surrogate", "acme.1", acme1, CONTEXT))
                .hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> sealer.seal("a@example.com", "acme", acme1, CONTEXT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer.seal("a@example.com", "acme.1", acme1, "c".repeat(SealedText.MAX_CONTEXT_CHARS + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static SecretKey randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }
}
