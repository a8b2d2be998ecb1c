package com.novotechno.collections.log;

import java.io.IOException;

/** Receives each intact log entry, in seq order. */
@FunctionalInterface
public interface LogEntryVisitor {
    void visit(LogEntry entry) throws IOException;
}
