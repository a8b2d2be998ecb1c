package com.novotechno.collections.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;

/**
 * Camel's own statistics of each route (camel-management, the numbers its MBeans show), read at each
 * scrape rather than counted again: {@code collections_route_exchanges_total},
 * {@code collections_route_exchanges_failed_total} and {@code collections_route_processing_seconds_total},
 * labelled by route id (the routes of the YAML files: bounded).
 */
final class RouteStatistics implements MeterBinder {

    private final CamelContext camel;

    RouteStatistics(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        if (managed == null) {
            return; // JMX off: Camel keeps no statistics to read
        }
        List<String> ids = camel.getRoutes().stream().map(Route::getId).sorted().toList();
        for (String id : ids) {
            counter(registry, "collections.route.exchanges", "Exchanges a route completed or failed", id, managed,
                    ManagedRouteMBean::getExchangesTotal, 1);
            counter(registry, "collections.route.exchanges.failed", "Exchanges a route failed", id, managed,
                    ManagedRouteMBean::getExchangesFailed, 1);
            counter(registry, "collections.route.processing.seconds", "Time a route spent on its exchanges", id,
                    managed, ManagedRouteMBean::getTotalProcessingTime, TimeUnit.MILLISECONDS.toNanos(1) / 1e9);
        }
    }

    /** A route removed since is read as 0 (its MBean is gone). */
    private static void counter(MeterRegistry registry, String name, String description, String routeId,
                                ManagedCamelContext managed, ToLongFunction<ManagedRouteMBean> read, double scale) {
        FunctionCounter.builder(name, managed, context -> {
            ManagedRouteMBean route = context.getManagedRoute(routeId);
            return route == null ? 0 : read.applyAsLong(route) * scale;
        }).description(description).tag("route", routeId).register(registry);
    }
}
