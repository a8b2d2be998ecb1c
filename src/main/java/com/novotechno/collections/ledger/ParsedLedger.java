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
                           List<String> formatFaults) {

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

    public List<String> faults() {
        return Stream.concat(checksumFaults.stream(), formatFaults.stream()).toList();
    }
}
