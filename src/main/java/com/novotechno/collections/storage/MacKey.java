package com.novotechno.collections.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service's secret key for tamper evidence: an HMAC-SHA-256 over a file's or a line's own
 * SHA-256, which whoever can write the data folder but cannot read this key cannot recompute.
 *
 * <p>A MAC is written {@code <key id>:<64 hex>}. The key id (a digest of the key, never the key)
 * tells which key made it, so a MAC made under another key is named as such rather than as a forgery.
 * Each MAC covers a {@link Purpose} as well, so a state file's MAC can never pass as a log line's.
 */
public final class MacKey {

    /** What a MAC vouches for; its label is part of the MAC's input. */
    public enum Purpose {
        LOG_LINE("events.log line"),
        STATE_FILE("state file"),
        SNAPSHOT("snapshot.bin"),
        PERIOD_LEDGER("period ledger");

        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    public static final int KEY_BYTES = 32;
    public static final int ID_HEX_LENGTH = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    private final String id;
    /** A Mac per thread: creating one costs more than the MAC of a line. */
    private final ThreadLocal<Mac> macs;

    public MacKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a MAC key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.id = Sha256.hex(concat("collections mac key id\n".getBytes(StandardCharsets.UTF_8), key))
                .substring(0, ID_HEX_LENGTH);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String id() {
        return id;
    }

    /** The MAC of {@code sha256Hex} (a 64-hex digest the caller has computed over the content) for {@code purpose}. */
    public String mac(Purpose purpose, String sha256Hex) {
        if (!Sha256.isHex(sha256Hex)) {
            throw new IllegalArgumentException("a MAC covers a SHA-256 of 64 hex characters, not " + sha256Hex);
        }
        return id + ":" + HEX.formatHex(rawMac(purpose, sha256Hex));
    }

    /** The key id a MAC names, or null when it is not a MAC's form at all. */
    public static String keyIdOf(String mac) {
        if (mac == null || mac.length() != ID_HEX_LENGTH + 1 + Sha256.HEX_LENGTH || mac.charAt(ID_HEX_LENGTH) != ':') {
            return null;
        }
        String keyId = mac.substring(0, ID_HEX_LENGTH);
        return isLowerHex(keyId) && Sha256.isHex(mac.substring(ID_HEX_LENGTH + 1)) ? keyId : null;
    }

    /**
     * Why {@code mac} does not vouch for {@code sha256Hex} under this key, or null when it does.
     * Compared in constant time.
     */
    public String problem(Purpose purpose, String sha256Hex, String mac) {
        String keyId = keyIdOf(mac);
        if (keyId == null) {
            return "its MAC is not of the form <key id>:<64 hex>";
        }
        if (!keyId.equals(id)) {
            return "its MAC was made with key " + keyId + ", not this service's key " + id;
        }
        byte[] stored = HEX.parseHex(mac.substring(ID_HEX_LENGTH + 1));
        if (!Sha256.isHex(sha256Hex) || !MessageDigest.isEqual(stored, rawMac(purpose, sha256Hex))) {
            return "its MAC does not match (a forgery, or an edit with a recomputed checksum)";
        }
        return null;
    }

    private byte[] rawMac(Purpose purpose, String sha256Hex) {
        Mac mac = macs.get();
        mac.update(purpose.label.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '\n');
        return mac.doFinal(sha256Hex.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
        }
    }

    private static boolean isLowerHex(String value) {
        return value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacKey that && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public String toString() {
        return "MAC key " + id; // never the key itself
    }
}
