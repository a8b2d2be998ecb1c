package com.novotechno.collections.health;

import com.novotechno.collections.config.Settings;

/**
 * The health and metrics HTTP server: whether it runs, and its port on 127.0.0.1 (never another
 * address: the endpoints need no login, so only this machine may ask).
 */
public record HttpSettings(boolean enabled, int port) {

    public static final String HOST = "127.0.0.1";

    public HttpSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(Settings.HTTP_PORT + " must be a whole number from 1 to 65535, found " + port);
        }
    }

    /** Both keys checked, so a bad value is a usage error before anything starts. */
    public static HttpSettings of(Settings settings) {
        String enabled = settings.get(Settings.HTTP_ENABLED);
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new IllegalArgumentException(Settings.HTTP_ENABLED + " must be true or false, found '" + enabled + "'");
        }
        return new HttpSettings(Boolean.parseBoolean(enabled), settings.intValue(Settings.HTTP_PORT, 1, 65535));
    }

    /** The URL of one of the server's paths, as the health command asks it. */
    public String url(String path) {
        return "http://" + HOST + ":" + port + path;
    }
}
