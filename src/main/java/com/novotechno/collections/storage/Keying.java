package com.novotechno.collections.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Which MAC key a data folder's files carry, and from which log seq on.
 *
 * <p>Lines and files from before the key existed carry none: the log's lines below {@code keyedSince},
 * and derived files that reflect only such lines (a state file whose {@code last_seq} is below it).
 * Everything from {@code keyedSince} on must carry a MAC under the key, so a line or a file with its
 * MAC stripped is as evident as one with a wrong MAC. Without a key ({@link #NONE}) nothing is
 * sealed or checked: the SHA-256 checksums still prove every file whole.
 *
 * <p>Below {@code keyedSince} nothing carries a MAC, so the key file also pins that history: the log held
 * {@code keyedSince - 1} lines when the key was made, the last with hash {@code keyedPrev}. A log cut
 * below that (whose next lines would go out unkeyed), or whose unkeyed history was rewritten after
 * every keyed line was cut, is then as evident as a forged keyed line; so is another folder's key file.
 *
 * @param keyedSince the first seq written under the key (the log's next seq when the key was made)
 * @param keyedPrev  the hash of the line before it ({@link Sha256#ZERO} for an empty log): the {@code prev}
 *                   of the first keyed line
 * @param keyedAt    when the key was made: files of ledger periods that ended after it must carry a MAC
 */
public record Keying(Optional<MacKey> key, long keyedSince, String keyedPrev, Instant keyedAt) {

    public static final Keying NONE = new Keying(Optional.empty(), Long.MAX_VALUE, Sha256.ZERO, Instant.MAX);

    public Keying {
        if (key.isPresent() && keyedSince < 1) {
            throw new IllegalArgumentException("keyed since seq " + keyedSince + ": the first seq is 1");
        }
        if (key.isEmpty() && keyedSince != Long.MAX_VALUE) {
            throw new IllegalArgumentException("no key, yet keyed since seq " + keyedSince);
        }
        if (!Sha256.isHex(keyedPrev) || (keyedSince == 1 && !keyedPrev.equals(Sha256.ZERO))) {
            throw new IllegalArgumentException("keyed since seq " + keyedSince + " after a line with hash " + keyedPrev);
        }
    }

    public static Keying since(MacKey key, long keyedSince, String keyedPrev, Instant keyedAt) {
        return new Keying(Optional.of(key), keyedSince, keyedPrev, keyedAt);
    }

    public boolean keyed() {
        return key.isPresent();
    }

    /** The key a file or line reflecting the log up to {@code seq} is sealed with: none before keying began. */
    public Optional<MacKey> sealFor(long seq) {
        return seq >= keyedSince ? key : Optional.empty();
    }

    /**
     * Why the log line {@code seq} with {@code hash} is not the history the key was made after, or null:
     * only the line just before {@code keyedSince} is pinned (the lines before it by its chain).
     */
    public String historyProblem(long seq, String hash) {
        if (key.isEmpty() || seq != keyedSince - 1 || keyedPrev.equals(hash)) {
            return null;
        }
        return "its hash is not " + keyedPrev + ", the one this line had when the MAC key was made: the history"
                + " before the key was rewritten, or the key file is another folder's";
    }

    /** Why a log whose last line is {@code lastSeq} is shorter than when the key was made, or null. */
    public String lengthProblem(long lastSeq) {
        if (key.isEmpty() || lastSeq >= keyedSince - 1) {
            return null;
        }
        return "ends at seq " + lastSeq + ", but it held " + (keyedSince - 1) + " lines when the MAC key was made:"
                + " lines were cut, or the key file is another folder's";
    }

    /**
     * Why a sealed thing's MAC does not vouch for its SHA-256, or null when it does (or cannot be
     * checked: no key).
     *
     * @param seq the log seq it reflects: below {@code keyedSince} it may carry no MAC
     * @param mac its MAC, or null when it has none
     */
    public String problem(MacKey.Purpose purpose, long seq, String sha256Hex, String mac) {
        if (key.isEmpty()) {
            return null;
        }
        if (mac == null) {
            return seq >= keyedSince ? "it carries no MAC, though everything from log seq " + keyedSince
                    + " on is keyed (stripped or forged)" : null;
        }
        return key.get().problem(purpose, sha256Hex, mac);
    }
}
