package com.novotechno.collections.integrity;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.MacKey;
import com.novotechno.collections.storage.Sha256;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The file that holds a data folder's MAC key, outside the data folder: by default in the service
 * user's configuration directory ({@code $XDG_CONFIG_HOME}, else {@code ~/.config}), under
 * {@code novotechno-collections/keys/}, named by a digest of the data folder's path; or where
 * {@code collections.mac.key-file} says. It also records the log seq from which lines are keyed, so
 * that a log whose MACs were stripped does not pass as one written before the key existed.
 *
 * <p>The key file is the service user's alone (0600, its folder 0700). Whoever can write the data
 * folder but cannot read this file cannot make a MAC: that is the adversary it stops.
 */
public final class MacKeyFile {

    private static final int MAX_BYTES = 4096;
    private static final String FOLDER = "novotechno-collections";

    private MacKeyFile() {
    }

    /** Where the key of {@code dataDir} is kept unless configuration names a file. */
    public static Path defaultPath(Path dataDir) {
        // The same folder reached through a link has the same key, also before its first start creates it.
        String name = Sha256.hex(realPath(dataDir).toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return configHome().resolve(FOLDER).resolve("keys").resolve(name + ".key");
    }

    /**
     * The path with every link resolved, as {@link Path#toRealPath} gives it once the path exists: the
     * part that exists yet resolved, the rest (what a first start creates) appended as given.
     */
    public static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException unreadable) {
            return absolute;
        }
    }

    private static Path configHome() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".config");
    }

    /** The key and where keying began, or empty when the file does not exist. */
    public static Optional<Keying> read(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the MAC key " + file + " is not a regular file");
        }
        requireOwnersAlone(file);
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("the MAC key " + file + " is larger than " + MAX_BYTES + " bytes: not a key file");
        }
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        try {
            MacKey key = new MacKey(Base64.getDecoder().decode(required(properties, "key")));
            if (!key.id().equals(required(properties, "id"))) {
                throw new IllegalArgumentException("its id " + properties.getProperty("id") + " is not its key's, " + key.id());
            }
            long since = Long.parseLong(required(properties, "keyed_since"));
            Instant at = Instant.parse(required(properties, "keyed_at"));
            return Optional.of(Keying.since(key, since, required(properties, "keyed_prev"), at));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IOException("the MAC key " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** As ssh does with a private key: one that others may read or replace vouches for nothing. */
    private static void requireOwnersAlone(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (!EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE).containsAll(permissions)) {
            throw new IOException("the MAC key " + file + " may be used by others than its owner ("
                    + PosixFilePermissions.toString(permissions) + "): run chmod 600 on it; whoever could read it"
                    + " can forge every MAC");
        }
    }

    private static String required(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name + "=");
        }
        return value.trim();
    }

    /**
     * Makes a new random key for {@code dataDir}, keying the log from {@code keyedSince} on (after the line
     * with hash {@code keyedPrev}), and writes it durably (fsynced, then renamed into place, owner-only).
     * Refuses to replace a key.
     */
    public static Keying create(Path file, Path dataDir, long keyedSince, String keyedPrev, Instant now)
            throws IOException {
        byte[] bytes = new byte[MacKey.KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        MacKey key = new MacKey(bytes);
        Instant keyedAt = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Keying keying = Keying.since(key, keyedSince, keyedPrev, keyedAt); // checked before anything is written
        String text = "# The MAC key of the NovoTechno Collections data folder " + printable(dataDir) + ".\n"
                + "# Keep it secret and apart from the data folder, and back it up: without it no MAC can be checked.\n"
                + "id=" + key.id() + "\n"
                + "key=" + Base64.getEncoder().encodeToString(bytes) + "\n"
                + "keyed_since=" + keyedSince + "\n"
                + "keyed_prev=" + keyedPrev + "\n"
                + "keyed_at=" + keyedAt + "\n";
        FileSystemStorage disk = new FileSystemStorage();
        disk.createDirectories(file.getParent());
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the MAC key " + file + " exists already: never replaced");
        }
        disk.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
        return keying;
    }

    private static String printable(Path path) {
        return path.toAbsolutePath().normalize().toString().replaceAll("\\p{Cntrl}", "?");
    }
}
