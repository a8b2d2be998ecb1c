package com.novotechno.collections.cli;

import com.novotechno.collections.config.DocumentedDefaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration section of 'run --help': every key of application.properties with its
 * default and its comment, generated from the file in the jar, so help and defaults cannot differ.
 */
final class ConfigurationHelp {

    private static final String INDENT = "      ";

    private ConfigurationHelp() {
    }

    /** The section's text, no line longer than {@code width}. */
    static String text(int width) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        HelpText.wrap("Configuration: each key can be given as --key=value (which wins), or as an environment variable named"
                + " like the key in capitals with dots and dashes as underscores (COLLECTIONS_DATA_DIR). The defaults,"
                + " from application.properties:", "", width, lines);
        for (DocumentedDefaults.Group group : DocumentedDefaults.read()) {
            for (Map.Entry<String, String> key : group.defaults().entrySet()) {
                lines.add("  " + key.getKey() + "=" + (key.getValue().isEmpty() ? " (unset)" : key.getValue()));
            }
            HelpText.wrap(group.comment(), INDENT, width, lines);
        }
        return HelpText.joined(lines);
    }
}
