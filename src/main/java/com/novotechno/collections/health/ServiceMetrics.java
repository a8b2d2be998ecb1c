package com.novotechno.collections.health;

import com.novotechno.collections.camel.IntakeMeter;
import com.novotechno.collections.log.LogSyncs;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The service's metrics, in one Prometheus registry: what the intake routes and the log tell it, what it
 * reads at each scrape (Camel's route statistics, queue depths, the findings), and the JVM's basics.
 * Every name starts with {@code collections_} but the JVM's ({@code jvm_}, {@code process_}, {@code system_}).
 */
public final class ServiceMetrics implements AutoCloseable {

    /** The intake routes' label values: the only two routes that take messages. */
    public static final String FILE_ROUTE = "file";
    public static final String QUEUE_ROUTE = "queue";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServiceMetrics() {
        for (MeterBinder jvm : new MeterBinder[] {new JvmMemoryMetrics(), new JvmThreadMetrics(), gc,
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics()}) {
            jvm.bindTo(registry);
        }
    }

    /** What one intake route tells: {@link #FILE_ROUTE} or {@link #QUEUE_ROUTE}. */
    public IntakeMeter intake(String route) {
        return new IntakeCounters(registry, route);
    }

    public LogSyncs logSyncs() {
        return new LogSyncMeter(registry);
    }

    void bind(MeterBinder binder) {
        binder.bindTo(registry);
    }

    /** The Prometheus text exposition format, version 0.0.4. */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
