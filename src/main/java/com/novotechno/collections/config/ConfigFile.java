package com.novotechno.collections.config;

import com.novotechno.collections.domain.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
        List<String> setAgain = new ArrayList<>();
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                Object before = super.put(key, value);
                if (before != null && setAgain.isEmpty()) {
                    setAgain.add((String) key);
                }
                return before;
            }
        };
        String text = text(file);
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration file " + file + " is not in properties format: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!knownKeys.contains(key)) {
                throw new IllegalArgumentException("configuration file " + file + lineOf(text, key, 0) + ": unknown key '"
                        + Printable.escape(key) + "'; known keys: " + String.join(", ", knownKeys));
            }
            values.put(key, properties.getProperty(key).strip());
        }
        if (!setAgain.isEmpty()) {
            // Properties keeps the last silently: the first, which the reader of the file sees, would not be in force.
            String key = setAgain.get(0);
            String first = lineOf(text, key, 0);
            throw new IllegalArgumentException("configuration file " + file + lineOf(text, key, 1) + ": '" + Printable.escape(key)
                    + "' is set again" + (first.isEmpty() ? "" : " (first on" + first.substring(first.indexOf(" line")) + ")")
                    + "; set each key once");
        }
        requireSecretsPrivate(file, values);
        return values;
    }

    /** The keys whose values are secrets (the broker URL may carry {@code jms.password=}). */
    private static final List<String> SECRET_KEYS = List.of(Settings.BROKER_PASSWORD,
            Settings.BROKER_TLS_KEYSTORE_PASSWORD, Settings.BROKER_URL);

    /** A password in a file every local user may read is every local user's: refused, as ssh refuses such a key. */
    private static void requireSecretsPrivate(Path file, Map<String, String> values) {
        List<String> secrets = SECRET_KEYS.stream().filter(values::containsKey)
                .filter(key -> !key.equals(Settings.BROKER_URL) || values.get(key).toLowerCase(java.util.Locale.ROOT).contains("password"))
                .toList();
        if (secrets.isEmpty() || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file + " cannot be read: " + reason(e));
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalArgumentException("configuration file " + file + " holds " + String.join(", ", secrets)
                    + " but others may read it (" + PosixFilePermissions.toString(permissions) + "): run chmod o-r on it"
                    + " (600, or 640 for a group of its readers); a password every local user can read protects nothing");
        }
    }

    private static String text(Path file) {
        // Opening a FIFO waits for a writer, and a device may never end: only a regular file (a link to one is fine).
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("configuration file " + file + " cannot be read: it is "
                    + (Files.isDirectory(file) ? "a directory" : "a FIFO, socket or device") + ", not a regular file");
        }
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

    /** ", line N" of the line after {@code skip} others that begin with the key, or nothing when it is spelt with escapes. */
    private static String lineOf(String text, String key, int skip) {
        List<String> lines = text.lines().toList();
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith(key) && (line.length() == key.length() || " \t=:".indexOf(line.charAt(key.length())) >= 0)
                    && seen++ == skip) {
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
