package com.novotechno.collections.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.storage.BoundedLineReader;
import com.novotechno.collections.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the event log line by line and checks each line's hash, its link to the line before
 * and its seq. Used to open the log (where only a bad last line may be cut) and by verify
 * (where every fault is reported). Memory is bounded by one line, whatever the log's size.
 */
final class LogScanner {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Fault(long lineNumber, String problem) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + problem;
        }
    }

    /**
     * The outcome of a scan. {@code goodBytes} is the length of the prefix made of intact
     * lines before the first fault; {@code lastSeq} and {@code lastHash} belong to its last line.
     */
    record Result(long lines, long goodBytes, long lastSeq, String lastHash, List<Fault> faults) {
        boolean intact() {
            return faults.isEmpty();
        }

        /** True when the only fault is on the very last line: what a crash mid-append leaves. */
        boolean onlyTornTail() {
            return faults.size() == 1 && faults.get(0).lineNumber() == lines;
        }
    }

    private LogScanner() {
    }

    static Result scan(InputStream input, LogEntryVisitor visitor) throws IOException {
        List<Fault> faults = new ArrayList<>();
        long lineNumber = 0;
        long offset = 0;
        long goodBytes = 0;
        long goodSeq = 0;
        String goodHash = Sha256.ZERO;
        // What the next line must link to; null after an unreadable line, when the link cannot be checked.
        Long expectedSeq = 1L;
        String expectedPrev = Sha256.ZERO;
        BoundedLineReader reader = new BoundedLineReader(input, Limits.MAX_LOG_LINE_BYTES);
        BoundedLineReader.Line line;
        while ((line = reader.next()) != null) {
            lineNumber++;
            offset += line.byteLength();
            boolean tooLong = line.tooLong();
            boolean complete = line.complete();
            if (tooLong) {
                faults.add(new Fault(lineNumber, "longer than " + Limits.MAX_LOG_LINE_BYTES + " bytes"));
                expectedSeq = null;
                expectedPrev = null;
                continue;
            }
            if (!complete) {
                faults.add(new Fault(lineNumber, "incomplete last line (no newline): a write torn by a crash"));
                break;
            }
            JsonNode json;
            try {
                json = JSON.readTree(line.bytes());
            } catch (JsonProcessingException e) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                faults.add(new Fault(lineNumber, "not a JSON object"));
                expectedSeq = null;
                expectedPrev = null;
                continue;
            }
            String problem = check((ObjectNode) json, expectedSeq, expectedPrev);
            JsonNode storedHash = json.get("hash");
            JsonNode storedSeq = json.get("seq");
            // Chain on from what the line claims, so one edited line is reported once, not on every line after it.
            expectedPrev = storedHash != null && storedHash.isTextual() ? storedHash.textValue() : null;
            expectedSeq = storedSeq != null && storedSeq.canConvertToLong() ? storedSeq.longValue() + 1 : null;
            if (problem != null) {
                faults.add(new Fault(lineNumber, problem));
                continue;
            }
            LogEntry entry;
            try {
                entry = EventCodec.fromJson(json);
            } catch (RuntimeException e) {
                faults.add(new Fault(lineNumber, "unreadable entry: " + e.getMessage()));
                continue;
            }
            if (faults.isEmpty()) {
                goodBytes = offset;
                goodSeq = entry.seq();
                goodHash = entry.hash();
                visitor.visit(entry);
            }
        }
        return new Result(lineNumber, goodBytes, goodSeq, goodHash, List.copyOf(faults));
    }

    /** Returns what is wrong with a line, or null. */
    private static String check(ObjectNode json, Long expectedSeq, String expectedPrev) {
        JsonNode hash = json.get("hash");
        if (hash == null || !hash.isTextual() || !Sha256.isHex(hash.textValue())) {
            return "no hash of 64 hex characters";
        }
        ObjectNode withoutHash = json.deepCopy();
        withoutHash.remove("hash");
        String computed;
        try {
            computed = Sha256.ofCanonical(withoutHash);
        } catch (IllegalArgumentException e) {
            return "cannot be canonicalized: " + e.getMessage();
        }
        if (!computed.equals(hash.textValue())) {
            return "hash mismatch: the line says " + hash.textValue() + ", its content hashes to " + computed;
        }
        JsonNode seq = json.get("seq");
        if (seq == null || !seq.canConvertToLong()) {
            return "no seq";
        }
        if (expectedSeq != null && seq.longValue() != expectedSeq) {
            return "seq " + seq.longValue() + " where " + expectedSeq + " was expected";
        }
        JsonNode prev = json.get("prev");
        if (prev == null || !prev.isTextual()) {
            return "no prev";
        }
        if (expectedPrev != null && !prev.textValue().equals(expectedPrev)) {
            return "chain broken: prev is " + prev.textValue() + " but the line before hashes to " + expectedPrev;
        }
        return null;
    }

}
