package com.novotechno.collections.privacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * After a client's key is destroyed, deletes the copies of its personal data that live in plain
 * files of the data folder, outside the log and the state: accepted and rejected messages,
 * rejection reports, outbox requests, alerts.
 *
 * <p>A file goes when it is a JSON object whose top-level {@code client} is the client, or when it
 * holds one of the client's personal strings (see {@link PersonalStrings}); a rejected file and its
 * {@code .error.json} report go together. Symbolic links are neither followed nor deleted, and
 * anything but a regular file is left alone: the service writes neither here.
 */
public final class ErasureSweep {

    /**
     * Of a file, the part parsed as JSON (for its client and its decoded strings): every JSON
     * file the service writes is far smaller. The whole file is still scanned for the strings' bytes.
     */
    public static final int MAX_JSON_BYTES = 1024 * 1024;
    /** The service's folders are flat or nearly: deeper nesting is not its own, and is refused rather than skipped. */
    public static final int MAX_FOLDER_DEPTH = 16;

    static final String REPORT_SUFFIX = ".error.json";

    private static final JsonFactory JSON = new JsonFactory();

    private final Storage storage;
    private final DataLayout layout;

    public ErasureSweep(Storage storage, DataLayout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    /**
     * Deletes, durably, every file of {@code client} and every file holding one of
     * {@code personalStrings} (its e-mail addresses and free texts; those under
     * {@value PersonalStrings#MIN_CHARS} chars are ignored) in processed/, rejected/, outbox/ and alerts/.
     *
     * @return the deleted files, relative to the data folder, in the order deleted
     * @throws IOException when a file cannot be read or deleted: the sweep cannot vouch for it, so
     *     it stops there rather than report an erasure it did not finish; running it again is safe
     */
    public List<Path> sweep(String client, Collection<String> personalStrings) throws IOException {
        if (!InvoiceKey.isValidName(client)) {
            throw new IllegalArgumentException("invalid client name '" + client + "'");
        }
        Sweep sweep = new Sweep(client, new PersonalStrings(personalStrings));
        for (Path folder : List.of(layout.processed(), layout.rejected(), layout.outbox(), layout.alerts())) {
            sweep.folder(folder, folder.equals(layout.rejected()), 0);
        }
        return sweep.removed.stream().map(layout.root()::relativize).toList();
    }

    private final class Sweep {
        private final String client;
        private final PersonalStrings strings;
        private final Set<Path> removed = new LinkedHashSet<>();

        Sweep(String client, PersonalStrings strings) {
            this.client = client;
            this.strings = strings;
        }

        void folder(Path folder, boolean withReports, int depth) throws IOException {
            Optional<BasicFileAttributes> self = attributes(folder);
            if (self.isEmpty() || !self.get().isDirectory()) {
                return; // absent, or a link to a folder elsewhere (the swept folders themselves included): not followed
            }
            if (depth > MAX_FOLDER_DEPTH) {
                throw new IOException(folder + ": nested deeper than " + MAX_FOLDER_DEPTH + " folders, which the service never makes");
            }
            for (Path entry : storage.list(folder)) {
                if (removed.contains(entry)) {
                    continue; // went as the companion of a file before it
                }
                Optional<BasicFileAttributes> attributes = attributes(entry);
                if (attributes.isEmpty()) {
                    continue; // gone meanwhile (outbox housekeeping): nothing left to erase
                }
                if (attributes.get().isDirectory()) {
                    folder(entry, withReports, depth + 1);
                } else if (attributes.get().isRegularFile() && holdsClientData(entry)) {
                    remove(entry);
                    if (withReports) {
                        removeCompanions(entry);
                    }
                }
            }
        }

        private void remove(Path file) throws IOException {
            storage.deleteIfExists(file);
            removed.add(file);
        }

        /**
         * x.json and x.json.error.json: a report without its file, or a file without its reason, would
         * be half an erasure. A name ending in .error.json may be either, so both neighbours go.
         */
        private void removeCompanions(Path file) throws IOException {
            String name = file.getFileName().toString();
            List<Path> companions = new ArrayList<>(List.of(file.resolveSibling(name + REPORT_SUFFIX)));
            if (name.endsWith(REPORT_SUFFIX) && name.length() > REPORT_SUFFIX.length()) {
                companions.add(file.resolveSibling(name.substring(0, name.length() - REPORT_SUFFIX.length())));
            }
            for (Path companion : companions) {
                Optional<BasicFileAttributes> attributes = attributes(companion);
                if (attributes.isPresent() && attributes.get().isRegularFile() && !removed.contains(companion)) {
                    remove(companion);
                }
            }
        }

        /**
         * Opened without following a link. The head is parsed as JSON (a malformed or cut one just
         * matches nothing there); the bytes of the whole file are scanned in bounded chunks. A FIFO
         * swapped in since its check would still block the open (Java has no O_NONBLOCK), but only
         * the service writes these folders.
         */
        private boolean holdsClientData(Path file) throws IOException {
            try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                byte[] head = in.readNBytes(MAX_JSON_BYTES);
                if (jsonNamesClient(head)) {
                    return true;
                }
                return strings.foundIn(new SequenceInputStream(new ByteArrayInputStream(head), in));
            } catch (NoSuchFileException gone) {
                return false;
            }
        }

        /** A top-level {@code client} equal to the client, or a string (name or value) holding a personal string. */
        private boolean jsonNamesClient(byte[] head) {
            try (JsonParser parser = JSON.createParser(head)) {
                boolean clientValueNext = false;
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        clientValueNext = name.equals("client") && parser.getParsingContext().getParent().inRoot();
                        if (strings.foundInText(name)) {
                            return true;
                        }
                        continue;
                    }
                    if (token == JsonToken.VALUE_STRING
                            && ((clientValueNext && client.equals(parser.getText())) || strings.foundInText(parser.getText()))) {
                        return true;
                    }
                    clientValueNext = false;
                }
            } catch (IOException notJson) {
                // not JSON, or cut at MAX_JSON_BYTES: what was read until then has been checked
            }
            return false;
        }
    }

    /** Without following a link; empty when the entry is gone. */
    private static Optional<BasicFileAttributes> attributes(Path entry) throws IOException {
        try {
            return Optional.of(Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }
}
