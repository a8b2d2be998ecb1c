package com.novotechno.collections.service;

import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The embedded broker's users and their passwords, one line {@code user=password} each (the
 * format of Artemis' own users file) in {@code broker-credentials.properties} in the data folder.
 * The first start makes random passwords, so nobody has to set anything up; the file is the
 * owner's alone, as the rest of the folder, and kept across restarts.
 */
public final class BrokerCredentials {

    public static final String FILE_NAME = "broker-credentials.properties";
    /** The service's own consumers and its sends (dead letters, alerts, the emailer's requests). */
    public static final String SERVICE = "service";
    /** Sends invoice messages to collections.invoices, and nothing else. */
    public static final String PRODUCER = "producer";
    /** Consumes collections.emailer; sends only reminder.sent and reminder.failed to collections.invoices. */
    public static final String EMAILER = "emailer";
    /** Browses and moves dead letters and alerts. */
    public static final String OPERATOR = "operator";
    private static final String[] USERS = {SERVICE, PRODUCER, EMAILER, OPERATOR};
    /** 192 bits: beyond guessing, and URL- and properties-safe in base64url. */
    private static final int PASSWORD_BYTES = 24;

    private final Map<String, String> passwords;

    private BrokerCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** The folder's credentials; made, with random passwords, for users the file lacks (all of them at first). */
    public static BrokerCredentials loadOrCreate(Storage storage, Path dataDir) throws IOException {
        Map<String, String> passwords = new LinkedHashMap<>(readIfPresent(file(dataDir)));
        boolean added = false;
        SecureRandom random = new SecureRandom();
        for (String user : USERS) {
            if (passwords.get(user) == null || passwords.get(user).isEmpty()) {
                byte[] secret = new byte[PASSWORD_BYTES];
                random.nextBytes(secret);
                passwords.put(user, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
                added = true;
            }
        }
        if (added) {
            storage.writeAtomically(file(dataDir), render(passwords));
        }
        return new BrokerCredentials(passwords);
    }

    /** The credentials a client on this machine reads, as 'submit' does; fails if the service never started here. */
    public static BrokerCredentials read(Path dataDir) throws IOException {
        Map<String, String> passwords = readIfPresent(file(dataDir));
        if (passwords.isEmpty()) {
            throw new NoSuchFileException(file(dataDir).toString(), null,
                    "no broker credentials: the service makes them at its first start");
        }
        return new BrokerCredentials(passwords);
    }

    private static Map<String, String> readIfPresent(Path file) throws IOException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : properties.stringPropertyNames()) {
            passwords.put(user, properties.getProperty(user).strip());
        }
        return passwords;
    }

    private static byte[] render(Map<String, String> passwords) {
        StringBuilder text = new StringBuilder("# The embedded broker's users (user=password), made at the service's first start.\n"
                + "# producer: send to collections.invoices; emailer: consume collections.emailer and send\n"
                + "# reminder.sent/reminder.failed; operator: browse and move dead letters and alerts; service: the service.\n");
        passwords.forEach((user, password) -> text.append(user).append('=').append(password).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    public Map<String, String> passwords() {
        return passwords;
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no broker user '" + user + "' in " + FILE_NAME);
        }
        return password;
    }
}
