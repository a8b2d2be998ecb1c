package com.novotechno.collections.log;

/**
 * Told of each group commit of the log: how long its fsync took and how many lines it made
 * durable. Metrics listen here, so the log stays independent of any metrics library; the default
 * listens to nothing.
 */
@FunctionalInterface
public interface LogSyncs {

    LogSyncs NONE = (nanos, lines) -> { };

    /**
     * Called in the committing thread after a successful fsync, so it must be quick.
     *
     * @param nanos how long the fsync took
     * @param lines the lines it made durable, at least 1: fewer fsyncs than lines is group commit at work
     */
    void synced(long nanos, long lines);
}
