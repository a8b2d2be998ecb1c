package com.novotechno.collections.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} (or {@code -V}) prints on every command: the build's version, from a
 * resource the build fills in, and the Java it runs on.
 */
final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"novotechno-collections " + version(), "Java " + Runtime.version()};
    }

    /** The project's version, e.g. 0.1.0; a build that did not fill the resource in is a packaging fault. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version", "");
        if (version.isEmpty() || version.contains("${")) {
            throw new IllegalStateException(RESOURCE + " was not filled in by the build: '" + version + "'");
        }
        return version;
    }
}
