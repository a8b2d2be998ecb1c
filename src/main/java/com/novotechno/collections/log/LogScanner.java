package com.novotechno.collections.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.storage.BoundedLineReader;
import com.novotechno.collections.storage.Jcs;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.MacKey;
import com.novotechno.collections.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the event log line by line and checks each line's hash, its JCS form, its link to the
 * line before and its seq. Used to open the log (where only a crash's damage to the last line
 * may be repaired) and by verify (where every fault is reported). Memory is bounded by one
 * line, whatever the log's size.
 */
final class LogScanner {

    /** Strict: one JSON value and nothing after it, so two lines run together never pass as one. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Reads only the first value of a line: tells a damaged line break from a torn write. */
    private static final ObjectMapper FIRST_VALUE = new ObjectMapper();

    /** What opening the log may do about a fault on its last line. */
    enum Repair {
        /** A torn write: part of a line whose append was never acknowledged. Cut it off. */
        CUT,
        /** A whole, valid entry whose newline never reached the disk. Keep it and add the newline. */
        ADD_NEWLINE,
        /** Damage no crash causes. Refuse to open. */
        NONE
    }

    record Fault(long lineNumber, String problem, Repair repair) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + problem;
        }
    }

    /**
     * The outcome of a scan. {@code goodBytes} is the length of the prefix made of intact
     * lines before the first fault; {@code lastSeq} and {@code lastHash} belong to the last
     * intact entry.
     */
    record Result(long lines, long goodBytes, long lastSeq, String lastHash, long lastLineOffset, List<Fault> faults,
                  ObjectNode faultyLastLine, long highestSeqClaimed) {
        /** The last intact line. */
        LogPosition lastPosition(LogPosition start) {
            return lastSeq == start.seq() ? start : new LogPosition(lastSeq, lastHash, lastLineOffset, goodBytes);
        }

        boolean intact() {
            return faults.isEmpty();
        }

        /** How opening may repair the log: only a single fault, on the last line, of a kind a crash leaves. */
        Repair repair() {
            if (faults.size() == 1 && faults.get(0).lineNumber() == lines) {
                return faults.get(0).repair();
            }
            return Repair.NONE;
        }
    }

    private LogScanner() {
    }

    static Result scan(InputStream input, LogEntryVisitor visitor, Keying keying) throws IOException {
        return scan(input, visitor, LogPosition.START, keying);
    }

    /**
     * Scans from just after the line at {@code start} (which the caller has confirmed), {@code input}
     * positioned there: the lines before it are not read. Line numbers go on from its seq (line n has seq n).
     * With a key, every line's MAC is checked too: a line whose hash holds but whose MAC does not is
     * a forgery or an edit, never a crash's damage.
     */
    static Result scan(InputStream input, LogEntryVisitor visitor, LogPosition start, Keying keying) throws IOException {
        List<Fault> faults = new ArrayList<>();
        long lineNumber = start.seq();
        long offset = start.endOffset();
        long goodBytes = start.endOffset();
        long goodSeq = start.seq();
        String goodHash = start.hash();
        long goodLineOffset = start.lineOffset();
        // What the next line must link to; null after an unreadable line, when the link cannot be checked.
        Long expectedSeq = start.seq() + 1;
        String expectedPrev = start.hash();
        BoundedLineReader reader = new BoundedLineReader(input, Limits.MAX_LOG_LINE_BYTES);
        BoundedLineReader.Line line;
        ObjectNode lastLineJson = null;
        long highestSeqClaimed = 0; // by any line that says its seq, intact or not
        while ((line = reader.next()) != null) {
            lineNumber++;
            long lineStart = offset;
            offset += line.byteLength();
            if (line.tooLong()) {
                lastLineJson = null;
                // The writer never writes such a line, so even unfinished it is no torn write of ours.
                faults.add(new Fault(lineNumber, "longer than " + Limits.MAX_LOG_LINE_BYTES + " bytes", Repair.NONE));
                expectedSeq = null;
                expectedPrev = null;
                continue;
            }
            ObjectNode json = parse(JSON, line.bytes());
            lastLineJson = json;
            if (json == null) {
                ObjectNode first = parse(FIRST_VALUE, line.bytes());
                lastLineJson = first;
                if (first != null && check(first, null, expectedSeq, expectedPrev, keying) == null) {
                    faults.add(new Fault(lineNumber, "an intact entry followed by stray bytes: a line break was damaged",
                            Repair.NONE));
                } else if (!line.complete()) {
                    faults.add(new Fault(lineNumber, "incomplete last line (no newline): a write torn by a crash", Repair.CUT));
                } else {
                    faults.add(new Fault(lineNumber, "not a JSON object", Repair.CUT));
                }
                expectedSeq = null;
                expectedPrev = null;
                continue;
            }
            Fault problem = check(json, line.bytes(), expectedSeq, expectedPrev, keying);
            JsonNode storedHash = json.get("hash");
            JsonNode storedSeq = json.get("seq");
            // Chain on from what the line claims, so one edited line is reported once, not on every line after it.
            expectedPrev = storedHash != null && storedHash.isTextual() ? storedHash.textValue() : null;
            expectedSeq = storedSeq != null && storedSeq.canConvertToLong() ? storedSeq.longValue() + 1 : null;
            if (expectedSeq != null) {
                highestSeqClaimed = Math.max(highestSeqClaimed, expectedSeq - 1);
            }
            if (problem != null) {
                faults.add(new Fault(lineNumber, problem.problem(), problem.repair()));
                continue;
            }
            LogEntry entry;
            try {
                entry = EventCodec.fromJson(json);
            } catch (RuntimeException e) {
                faults.add(new Fault(lineNumber, "unreadable entry: " + e.getMessage(), Repair.NONE));
                continue;
            }
            if (!line.complete()) {
                faults.add(new Fault(lineNumber, "last line has no newline, though its entry is whole", Repair.ADD_NEWLINE));
            }
            if (faults.isEmpty() || (faults.size() == 1 && !line.complete())) {
                goodBytes = offset;
                goodLineOffset = lineStart;
                goodSeq = entry.seq();
                goodHash = entry.hash();
                visitor.visit(entry, lineStart);
            }
        }
        boolean lastLineFaulty = !faults.isEmpty() && faults.get(faults.size() - 1).lineNumber() == lineNumber;
        return new Result(lineNumber, goodBytes, goodSeq, goodHash, goodLineOffset, List.copyOf(faults),
                lastLineFaulty ? lastLineJson : null, Math.max(highestSeqClaimed, goodSeq));
    }

    /**
     * Whether {@code line} (without its newline) is an intact entry with the position's seq and hash:
     * its own hash, canonical form and seq checked as a scan checks them; its link to the line
     * before is the snapshot's to vouch for, up to the next full walk of the chain.
     */
    static boolean holds(byte[] line, LogPosition position, Keying keying) {
        ObjectNode json = parse(JSON, line);
        return json != null && check(json, line, position.seq(), null, keying) == null
                && position.hash().equals(json.get("hash").textValue());
    }

    /** Whether {@code line} (without its newline) is an entry whose own hash and canonical form hold. */
    static boolean intact(byte[] line) {
        ObjectNode json = parse(JSON, line);
        return json != null && check(json, line, null, null, Keying.NONE) == null;
    }

    private static ObjectNode parse(ObjectMapper mapper, byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            return node != null && node.isObject() ? (ObjectNode) node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Returns what is wrong with a line, or null. Damage a torn write can cause (a bad hash) may
     * be cut from the end; a line whose own hash holds but which does not fit the chain cannot
     * come from a crash, so it is never cut.
     *
     * @param lineBytes the raw line, to check its JCS form; null to skip that check
     */
    private static Fault check(ObjectNode json, byte[] lineBytes, Long expectedSeq, String expectedPrev, Keying keying) {
        JsonNode hash = json.get("hash");
        if (hash == null || !hash.isTextual() || !Sha256.isHex(hash.textValue())) {
            return fault("no hash of 64 hex characters", Repair.CUT);
        }
        byte[] canonical;
        try {
            canonical = Jcs.canonicalize(json);
        } catch (IllegalArgumentException e) {
            return fault("cannot be canonicalized: " + e.getMessage(), Repair.CUT);
        }
        JsonNode mac = json.get("mac");
        String computed = hashWithoutHashAndMac(json, canonical);
        if (!computed.equals(hash.textValue())) {
            return fault("hash mismatch: the line says " + hash.textValue() + ", its content hashes to " + computed, Repair.CUT);
        }
        // Lines are written in JCS form; any other spelling of the same content is an edit.
        if (lineBytes != null && !Arrays.equals(lineBytes, canonical)) {
            return fault("not in canonical (RFC 8785) form", Repair.NONE);
        }
        // The writer only ever writes a string; a whole line with anything else there was edited, not torn.
        if (mac != null && !mac.isTextual()) {
            return fault("a mac that is not a string", Repair.NONE);
        }
        JsonNode seq = json.get("seq");
        if (seq == null || !seq.canConvertToLong()) {
            return fault("no seq", Repair.NONE);
        }
        if (expectedSeq != null && seq.longValue() != expectedSeq) {
            return fault("seq " + seq.longValue() + " where " + expectedSeq + " was expected", Repair.NONE);
        }
        JsonNode prev = json.get("prev");
        if (prev == null || !prev.isTextual()) {
            return fault("no prev", Repair.NONE);
        }
        if (expectedPrev != null && !prev.textValue().equals(expectedPrev)) {
            return fault("chain broken: prev is " + prev.textValue() + " but the line before hashes to " + expectedPrev,
                    Repair.NONE);
        }
        // After the hash: a torn write fails that first and may be cut; a line whose hash holds was written whole.
        String forged = keying.problem(MacKey.Purpose.LOG_LINE, seq.longValue(), hash.textValue(),
                mac == null ? null : mac.textValue());
        if (forged != null) {
            return fault(forged, Repair.NONE);
        }
        String rewritten = keying.historyProblem(seq.longValue(), hash.textValue());
        if (rewritten != null) {
            return fault(rewritten, Repair.NONE);
        }
        return null;
    }

    /**
     * SHA-256 of the JCS form without the top-level "hash" and "mac" members (the MAC covers the
     * hash, so it stays outside the hash's input). JCS sorts members, so that form is the canonical
     * bytes with the member {@code ,"hash":"<hex>"} taken out ("client" and "data" sort before it,
     * so it is never first); a quote inside a JCS string is always escaped, so the member cannot be
     * confused with string content. Cutting bytes instead of canonicalizing a copy halves the work
     * of opening a large log. Falls back to the copy if a member is not where JCS puts it.
     */
    private static String hashWithoutHashAndMac(ObjectNode json, byte[] canonical) {
        byte[] member = (",\"hash\":\"" + json.get("hash").textValue() + "\"").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(canonical, member, 0);
        JsonNode mac = json.get("mac");
        if (at >= 0 && mac != null) {
            // "mac" sorts after "hash": cut it from the rest, then hash the two parts around "hash".
            byte[] macMember = (",\"mac\":\"" + mac.textValue() + "\"").getBytes(StandardCharsets.UTF_8);
            int macAt = mac.isTextual() ? indexOf(canonical, macMember, at + member.length) : -1;
            if (macAt >= 0) {
                byte[] rest = new byte[canonical.length - macMember.length];
                System.arraycopy(canonical, 0, rest, 0, macAt);
                System.arraycopy(canonical, macAt + macMember.length, rest, macAt, canonical.length - macAt - macMember.length);
                canonical = rest;
            } else {
                at = -1;
            }
        }
        if (at < 0) {
            ObjectNode withoutHash = json.deepCopy();
            withoutHash.remove("hash");
            withoutHash.remove("mac");
            return Sha256.ofCanonical(withoutHash);
        }
        int after = at + member.length;
        return Sha256.hex(canonical, 0, at, canonical, after, canonical.length - after);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Fault fault(String problem, Repair repair) {
        return new Fault(0, problem, repair);
    }
}
