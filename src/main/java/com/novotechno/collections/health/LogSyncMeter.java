package com.novotechno.collections.health;

import com.novotechno.collections.log.LogSyncs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The event log's group commits: {@code collections_log_fsync_seconds} (its count is the fsyncs),
 * {@code collections_log_synced_lines_total}, and their ratio {@code collections_log_fsyncs_per_message}
 * since the start (one log line per applied message: below 1 when concurrent messages share fsyncs).
 */
final class LogSyncMeter implements LogSyncs {

    private final Timer fsync;
    private final Counter lines;

    LogSyncMeter(MeterRegistry registry) {
        fsync = Timer.builder("collections.log.fsync").description("fsyncs of the event log's group commits")
                .register(registry);
        lines = Counter.builder("collections.log.synced.lines").description("Log lines made durable by those fsyncs")
                .register(registry);
        Gauge.builder("collections.log.fsyncs.per.message", this, LogSyncMeter::fsyncsPerLine)
                .description("fsyncs per log line since the start (0 before the first)").register(registry);
    }

    @Override
    public void synced(long nanos, long covered) {
        fsync.record(nanos, TimeUnit.NANOSECONDS);
        lines.increment(covered);
    }

    private double fsyncsPerLine() {
        double synced = lines.count();
        return synced == 0 ? 0 : fsync.count() / synced;
    }
}
