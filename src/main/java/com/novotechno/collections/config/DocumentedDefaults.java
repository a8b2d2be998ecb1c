package com.novotechno.collections.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * application.properties as its reader sees it: each key with its default and the comment above
 * it, so that help can list the configuration from the file itself rather than from a copy that
 * drifts. Keys that follow one another under one comment share it.
 */
public final class DocumentedDefaults {

    /** Where the defaults live (CONTRACT section 6); {@link Settings#load} reads the same file. */
    public static final String RESOURCE = "/application.properties";
    /** The file is ours and small; a bigger one is a packaging fault, not configuration. */
    static final int MAX_BYTES = 64 * 1024;

    /**
     * Keys under one comment, with their defaults in file order.
     *
     * @param defaults key to default value, as java.util.Properties reads it
     * @param comment the comment lines above them, joined with spaces, without the '#'
     */
    public record Group(Map<String, String> defaults, String comment) {
    }

    private DocumentedDefaults() {
    }

    public static List<Group> read() {
        String text;
        try (InputStream in = DocumentedDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException(RESOURCE + " is larger than " + MAX_BYTES + " bytes");
            }
            text = new String(bytes, StandardCharsets.ISO_8859_1); // the encoding Properties.load(InputStream) reads
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(text);
    }

    /** Package-private for the test of the grouping rules. */
    static List<Group> parse(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Group> groups = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String stripped = line.strip();
                if (stripped.startsWith("#")) {
                    if (!keys.isEmpty()) { // a comment after keys begins the next group
                        groups.add(new Group(ordered(keys), String.join(" ", comment)));
                        keys.clear();
                        comment.clear();
                    }
                    comment.add(stripped.substring(1).strip());
                } else if (stripped.isEmpty()) {
                    if (!keys.isEmpty()) {
                        groups.add(new Group(ordered(keys), String.join(" ", comment)));
                        keys.clear();
                    }
                    comment.clear(); // a comment set apart by a blank line (the file's header) belongs to no key
                } else {
                    String key = keyOf(stripped);
                    if (!properties.containsKey(key)) {
                        throw new IllegalStateException(RESOURCE + ": cannot read the line '" + stripped
                                + "' as one key=value");
                    }
                    keys.put(key, properties.getProperty(key).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!keys.isEmpty()) {
            groups.add(new Group(ordered(keys), String.join(" ", comment)));
        }
        long listed = groups.stream().mapToLong(group -> group.defaults().size()).sum();
        if (listed != properties.size()) {
            throw new IllegalStateException(RESOURCE + ": " + properties.size() + " keys, but " + listed
                    + " lines of key=value (a continued line?)");
        }
        return List.copyOf(groups);
    }

    private static Map<String, String> ordered(Map<String, String> keys) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    private static String keyOf(String line) {
        int end = 0;
        while (end < line.length() && "=: \t".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        return line.substring(0, end);
    }
}
