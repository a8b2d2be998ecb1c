package com.novotechno.collections.camel;

import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camel's test kit around the shipped YAML routes: a test loads the files of {@code routes/} it
 * needs into the context, binds the beans they call (real ones, over a real store in a temp
 * folder), advises the steps it touches by their {@code id} (a mock for a queue, a fault once)
 * and only then starts the context. No broker, no process: seconds, not a service start.
 */
abstract class YamlRouteTestSupport extends CamelTestSupport {

    @TempDir
    Path data;

    CollectionsStore store;
    DataLayout layout;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        // The context starts once the test has loaded and advised its routes.
        configuration.withUseAdviceWith(true);
    }

    /** Opens the store the beans work on: the service's, on a fixed clock (Stores.NOW). */
    CollectionsStore openStore() throws IOException {
        layout = new DataLayout(data);
        store = Stores.open(data);
        return store;
    }

    /** Loads route files from the project's routes/ folder, with every {{key}} the routes read. */
    void loadRoutes(Properties placeholders, String... files) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("collections.data-dir", data.toString());
        properties.putAll(placeholders);
        context.getPropertiesComponent().setOverrideProperties(properties);
        for (String file : files) {
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(context, "file:" + Path.of("routes", file)));
        }
    }

    void advise(String routeId, ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice) throws Exception {
        org.apache.camel.builder.AdviceWith.adviceWith(context, routeId, advice);
    }

    RouteDefinition route(String routeId) {
        return context.getRouteDefinition(routeId);
    }

    /** The routes stop before the store closes: a timer tick must not reach a closed store. */
    @AfterEach
    void stopRoutesThenStore() throws Exception {
        context.stop();
        if (store != null) {
            store.close();
        }
    }
}
