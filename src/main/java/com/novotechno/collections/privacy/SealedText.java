package com.novotechno.collections.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals one personal string (an e-mail address, a free text) under a client key, as the JSON
 * object {@code {"sealed": "<key id>", "data": "<base64 of nonce || ciphertext || tag>"}}, AES-GCM.
 * The key id and a context (the field and the line it belongs to) are authenticated with it, so a
 * sealed value copied to another field, line or key id fails to open instead of reading as
 * someone else's data.
 *
 * <p>Random 96-bit nonces stay safe for about 2^32 values per key; one client's personal fields
 * are far fewer.
 */
public final class SealedText {

    /** What a reader shows instead of a free text whose key was destroyed. */
    public static final String ERASED_TEXT = "[erased]";

    public static final String SEALED_FIELD = "sealed";
    public static final String DATA_FIELD = "data";

    /** Every personal field is far shorter: an e-mail is at most 254, a reason 1000. */
    public static final int MAX_PLAINTEXT_CHARS = 4096;
    /** A field name and a sequence number or message id fit many times over. */
    public static final int MAX_CONTEXT_CHARS = 512;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    /** A UTF-16 char is at most 3 bytes of UTF-8 (a surrogate pair, two chars, is 4). */
    private static final int MAX_SEALED_BYTES = NONCE_BYTES + 3 * MAX_PLAINTEXT_CHARS + TAG_BYTES;
    private static final int MIN_SEALED_BYTES = NONCE_BYTES + TAG_BYTES;
    /** Padded base64 of the largest sealed value. */
    public static final int MAX_DATA_CHARS = 4 * ((MAX_SEALED_BYTES + 2) / 3);

    /** Separates these associated data from any other use of the same key. */
    private static final String AAD_LABEL = "novotechno-collections/sealed-text/1";

    private final SecureRandom random = new SecureRandom();

    /** What opening a sealed value gave: its text, or the news that its key was destroyed. */
    public sealed interface Opened {

        /** The text, or {@link #ERASED_TEXT} in its place. */
        String textOrErased();

        record Text(String value) implements Opened {
            public Text {
                Objects.requireNonNull(value, "value");
            }

            @Override
            public String textOrErased() {
                return value;
            }
        }

        /** The value was sealed under {@code keyId}, which is gone: the text is erased for good. */
        record Erased(String keyId) implements Opened {
            @Override
            public String textOrErased() {
                return ERASED_TEXT;
            }
        }
    }

    public ObjectNode seal(String plaintext, String keyId, SecretKey key, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(key, "key");
        KeyId.parse(keyId);
        checkContext(context);
        if (plaintext.length() > MAX_PLAINTEXT_CHARS) {
            throw new IllegalArgumentException("a sealed text is at most " + MAX_PLAINTEXT_CHARS + " chars, not " + plaintext.length());
        }
        byte[] plain = utf8(plaintext);
        byte[] sealed = new byte[NONCE_BYTES + plain.length + TAG_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData(keyId, context));
            int written = cipher.doFinal(plain, 0, plain.length, sealed, NONCE_BYTES);
            if (written != plain.length + TAG_BYTES) {
                throw new AssertionError("AES-GCM wrote " + written + " bytes for " + plain.length);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot seal under " + keyId + ": " + e.getMessage(), e);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put(SEALED_FIELD, keyId);
        node.put(DATA_FIELD, Base64.getEncoder().encodeToString(sealed));
        return node;
    }

    /**
     * True for an object carrying the {@code sealed} marker: a value meant to be sealed. Its shape
     * is checked by {@link #keyIdOf} and {@link #open}, so a damaged one is refused, not taken for clear text.
     */
    public static boolean isSealed(JsonNode node) {
        return node != null && node.isObject() && node.has(SEALED_FIELD);
    }

    /** The key id of a sealed value; IllegalArgumentException if it is not one, saying why. */
    public static String keyIdOf(JsonNode node) {
        return shape(node).keyId();
    }

    /**
     * Opens a sealed value: its text, or {@link Opened.Erased} when {@code keys} no longer has its
     * key. A value that fails authentication while its key is there was altered, damaged or moved:
     * IllegalArgumentException, for the reader to report as corruption.
     */
    public Opened open(JsonNode node, Function<String, Optional<SecretKey>> keys, String context) {
        checkContext(context);
        Shape shape = shape(node);
        Optional<SecretKey> key = keys.apply(shape.keyId());
        if (key.isEmpty()) {
            return new Opened.Erased(shape.keyId());
        }
        byte[] sealed = shape.sealed();
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key.get(), Arrays.copyOf(sealed, NONCE_BYTES));
            cipher.updateAAD(associatedData(shape.keyId(), context));
            byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return new Opened.Text(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain)).toString());
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("sealed value under key " + shape.keyId() + " fails authentication for context '"
                    + context + "': altered, damaged, or moved from another field or line");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open sealed value under key " + shape.keyId() + ": " + e.getMessage(), e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("sealed value under key " + shape.keyId() + " authenticates but is not UTF-8", e);
        }
    }

    private record Shape(String keyId, byte[] sealed) {
    }

    /** Exactly the two fields, a key id, and canonical base64 of a plausible length. */
    private static Shape shape(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a sealed value is a JSON object");
        }
        JsonNode keyId = node.get(SEALED_FIELD);
        JsonNode data = node.get(DATA_FIELD);
        if (node.size() != 2 || keyId == null || data == null || !keyId.isTextual() || !data.isTextual()) {
            throw new IllegalArgumentException("a sealed value has exactly the string fields '" + SEALED_FIELD + "' and '" + DATA_FIELD + "'");
        }
        KeyId.parse(keyId.textValue());
        String text = data.textValue();
        if (text.length() > MAX_DATA_CHARS) {
            throw new IllegalArgumentException("sealed data of " + text.length() + " chars, more than the limit of " + MAX_DATA_CHARS);
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed data is not base64: " + e.getMessage());
        }
        // One encoding per value: the decoder also takes unpadded forms, which would let the same value be written two ways.
        if (!Base64.getEncoder().encodeToString(sealed).equals(text)) {
            throw new IllegalArgumentException("sealed data is not padded standard base64");
        }
        if (sealed.length < MIN_SEALED_BYTES) {
            throw new IllegalArgumentException("sealed data of " + sealed.length + " bytes, shorter than a nonce and a tag");
        }
        return new Shape(keyId.textValue(), sealed);
    }

    private static void checkContext(String context) {
        Objects.requireNonNull(context, "context");
        if (context.length() > MAX_CONTEXT_CHARS) {
            throw new IllegalArgumentException("a sealing context is at most " + MAX_CONTEXT_CHARS + " chars, not " + context.length());
        }
    }

    /** The key id holds no newline (its syntax), so label, key id and context split one way only. */
    private static byte[] associatedData(String keyId, String context) {
        return utf8(AAD_LABEL + "\n" + keyId + "\n" + context);
    }

    /** Strict: a lone surrogate would otherwise become '?' and not open as it was sealed. */
    private static byte[] utf8(String text) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return Arrays.copyOfRange(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.arrayOffset() + bytes.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid Unicode (a lone surrogate)", e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce) throws InvalidKeyException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(8 * TAG_BYTES, nonce));
            return cipher;
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new AssertionError("every Java runtime has AES/GCM/NoPadding", e);
        } catch (java.security.InvalidAlgorithmParameterException e) {
            throw new AssertionError("a 12-byte nonce and a 128-bit tag are valid GCM parameters", e);
        }
    }
}
