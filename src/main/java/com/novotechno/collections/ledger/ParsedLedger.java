package com.novotechno.collections.ledger;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What {@link LedgerParser} read from ledger.qmd: the content as written (rows, totals, and the
 * ageing table as written), the checksum comments that do not match, naming the edited
 * section, and the lines it could not read, naming the line.
 */
public record ParsedLedger(LedgerSnapshot content, AgeingTable ageing, List<String> checksumFaults,
                           List<String> formatFaults, int formatVersion) {

    public ParsedLedger {
        Objects.requireNonNull(content);
        Objects.requireNonNull(ageing);
        checksumFaults = List.copyOf(checksumFaults);
        formatFaults = List.copyOf(formatFaults);
    }

    /** True when every checksum matches and every line was read: the file is as the service wrote it. */
    public boolean intact() {
        return checksumFaults.isEmpty() && formatFaults.isEmpty();
    }

    /**
     * True when every checksum matches but the file is of an older ledger-format (1 before section
     * Unapplied, 2 before Credited, Void and Written off): the service's own, so it may be rewritten,
     * not held as if edited.
     */
    public boolean ourOlderFormat() {
        return checksumFaults.isEmpty() && formatVersion >= 1 && formatVersion < LedgerMarkdown.FORMAT_VERSION;
    }

    public List<String> faults() {
        return Stream.concat(checksumFaults.stream(), formatFaults.stream()).toList();
    }
}
