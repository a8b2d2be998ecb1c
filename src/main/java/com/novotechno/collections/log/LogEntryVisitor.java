package com.novotechno.collections.log;

import java.io.IOException;

/** Receives each intact log entry, in seq order. */
@FunctionalInterface
public interface LogEntryVisitor {
    void visit(LogEntry entry) throws IOException;

    /**
     * The same, with the byte offset at which the entry's line starts: what a derived file
     * records so that it can later be confirmed against the log (see {@link EventLog#holds}).
     */
    default void visit(LogEntry entry, long offset) throws IOException {
        visit(entry);
    }
}
