package com.novotechno.collections.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A configuration file outside the jar ({@code --config FILE} or {@code COLLECTIONS_CONFIG}): Java
 * properties in UTF-8 with the keys of application.properties. A key it does not know is refused,
 * not ignored, so that a misspelt key cannot leave a default silently in force.
 */
final class ConfigFile {

    /** A configuration file is a few kilobytes; anything near this is not one. */
    static final int MAX_BYTES = 1024 * 1024;

    private ConfigFile() {
    }

    /** The file's keys and values, each a known key; a problem is an IllegalArgumentException naming the file. */
    static Map<String, String> read(Path file, Collection<String> knownKeys) {
        Properties properties = new Properties();
        String text = text(file);
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration file " + file + " is not in properties format: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!knownKeys.contains(key)) {
                throw new IllegalArgumentException("configuration file " + file + lineOf(text, key) + ": unknown key '" + key
                        + "'; known keys: " + String.join(", ", knownKeys));
            }
            values.put(key, properties.getProperty(key).strip());
        }
        return values;
    }

    private static String text(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException("configuration file " + file + " is larger than " + MAX_BYTES + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("configuration file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file + " cannot be read: " + reason(e));
        }
    }

    /** ", line N" of the first line that begins with the key, or nothing when it is spelt with escapes. */
    private static String lineOf(String text, String key) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith(key) && (line.length() == key.length() || " \t=:".indexOf(line.charAt(key.length())) >= 0)) {
                return ", line " + (i + 1);
            }
        }
        return "";
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
