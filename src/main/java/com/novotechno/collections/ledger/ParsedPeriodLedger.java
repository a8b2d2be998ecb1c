package com.novotechno.collections.ledger;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@link LedgerParser#parsePeriod} read from a closed period's file: its content (empty when its
 * period cannot be read), the checksum comments that do not match and the lines it could not read.
 */
public record ParsedPeriodLedger(Optional<PeriodLedger> content, List<String> checksumFaults, List<String> formatFaults) {

    public ParsedPeriodLedger {
        checksumFaults = List.copyOf(checksumFaults);
        formatFaults = List.copyOf(formatFaults);
    }

    public boolean intact() {
        return checksumFaults.isEmpty() && formatFaults.isEmpty() && content.isPresent();
    }

    public List<String> faults() {
        return Stream.concat(checksumFaults.stream(), formatFaults.stream()).toList();
    }
}
