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
 * <p>Which file goes, for a client C and its e-mail addresses:
 * <ol>
 *   <li>A file that is one JSON object (the whole file, within {@link #MAX_JSON_BYTES}, parsed, and
 *       nothing after it) with exactly one top-level {@code client} field whose value is a valid
 *       client name is decided by that field alone: it goes when the name is C, and stays otherwise,
 *       whatever else it holds. An address the client shares with another (an accountant's) so
 *       never takes the other client's messages and requests.
 *   <li>Any other file (an alert, a rejection report, a JSON array, a file that is not JSON or is
 *       cut) goes when
 *       <ol type="a">
 *         <li>the JSON in its first {@link #MAX_JSON_BYTES} bytes, as far as it parses, has a string
 *             value, at any depth in objects and arrays, that equals C, or a string value or field
 *             name that holds an invoice key of C: C followed by {@code /} and {@code [A-Za-z0-9*]}
 *             ({@code *} being a whole client's key), where C is not preceded by a name character
 *             {@code [A-Za-z0-9._-]} (so {@code acme} is not in {@code bigacme/INV-1} nor
 *             {@code x.acme/INV-1}, and not in {@code acme2/INV-1} for want of the slash) nor by the
 *             state folder {@code state/} (a {@code state} not itself preceded by a name character),
 *             so that a client named {@code open} or {@code archive} is not in every state path;
 *         <li>or it holds one of the addresses as a whole, not inside a longer address (see
 *             {@link PersonalStrings} for the boundaries): in a string or field name of that JSON, or
 *             anywhere in the file's bytes, raw or JSON-escaped.
 *       </ol>
 * </ol>
 * In rejected/, a file and its {@code .error.json} report go together, when either goes; but a
 * report that goes only for an address (b) stays, with its file, when its file belongs to another
 * client by rule 1. Rule (a) takes a whole alert even when it also names other clients (a
 * reconcile alert lists every difference, a dunning alert every trouble): alerts are
 * notifications, also sent to the queue, so this is accepted. Symbolic links are neither followed
 * nor deleted, and anything but a regular file is left alone: the service writes neither here.
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
     * Deletes, durably, the files of {@code client} in processed/, rejected/, outbox/ and alerts/, by
     * the rules above: those naming it, and those holding one of {@code personalStrings} (its e-mail
     * addresses; those under {@value PersonalStrings#MIN_CHARS} chars are ignored) that belong to no
     * other client.
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
                } else if (attributes.get().isRegularFile() && goes(entry, withReports)) {
                    remove(entry);
                    if (withReports) {
                        removeCompanions(entry);
                    }
                }
            }
        }

        private boolean goes(Path file, boolean withReports) throws IOException {
            return switch (verdict(file)) {
                case OWN, NAMED -> true;
                case ADDRESS -> !(withReports && companionOfAnotherClient(file));
                case OTHER, NONE -> false;
            };
        }

        /** A report that quotes a shared address is the other client's when the file it reports on is. */
        private boolean companionOfAnotherClient(Path file) throws IOException {
            for (Path companion : companions(file)) {
                Optional<BasicFileAttributes> attributes = attributes(companion);
                if (attributes.isPresent() && attributes.get().isRegularFile() && verdict(companion) == Verdict.OTHER) {
                    return true;
                }
            }
            return false;
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
            for (Path companion : companions(file)) {
                Optional<BasicFileAttributes> attributes = attributes(companion);
                if (attributes.isPresent() && attributes.get().isRegularFile() && !removed.contains(companion)) {
                    remove(companion);
                }
            }
        }

        /**
         * Opened without following a link. The head is parsed as JSON (a malformed or cut one is
         * searched as far as it parses, and has no top-level client); unless that decides, the bytes
         * of the whole file are scanned in bounded chunks. A FIFO swapped in since its check would
         * still block the open (Java has no O_NONBLOCK), but only the service writes these folders.
         */
        private Verdict verdict(Path file) throws IOException {
            try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                byte[] head = in.readNBytes(MAX_JSON_BYTES);
                byte[] next = in.readNBytes(1); // whether the head is the whole file
                Verdict json = new HeadReading(client, strings).read(head, next.length == 0);
                if (json != Verdict.NONE) {
                    return json;
                }
                InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head),
                        new SequenceInputStream(new ByteArrayInputStream(next), in));
                return strings.foundIn(whole) ? Verdict.ADDRESS : Verdict.NONE;
            } catch (NoSuchFileException gone) {
                return Verdict.NONE;
            }
        }
    }

    /** Why a file goes or stays; see the class comment. */
    private enum Verdict {
        /** One JSON object whose top-level client is the client (rule 1). */
        OWN,
        /** One JSON object whose top-level client is another client (rule 1): it stays. */
        OTHER,
        /** Names the client or an invoice of it in its JSON (a). */
        NAMED,
        /** Holds one of the client's addresses (b). */
        ADDRESS,
        NONE
    }

    /** One pass over a file's head as JSON: its top-level client, the client's names and the addresses in its strings. */
    private static final class HeadReading {
        private final String client;
        private final PersonalStrings strings;
        private int topLevelClients;
        private String topLevelClient; // the value of the single top-level client field, if a string
        private boolean named;
        private boolean quoted;

        HeadReading(String client, PersonalStrings strings) {
            this.client = client;
            this.strings = strings;
        }

        /** OWN or OTHER when a top-level client decides; else NAMED, ADDRESS (in decoded strings) or NONE. */
        Verdict read(byte[] head, boolean wholeFile) {
            boolean oneObject = false;
            try (JsonParser parser = JSON.createParser(head)) {
                JsonToken first = parser.nextToken();
                int rootValues = 0;
                for (JsonToken token = first; token != null; token = parser.nextToken()) {
                    if (token == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        boolean topLevel = parser.getParsingContext().getParent().inRoot();
                        named |= namesInvoiceOf(name, client);
                        quoted |= strings.foundInText(name);
                        if (topLevel && name.equals("client")) {
                            topLevelClients++;
                            JsonToken value = parser.nextToken();
                            topLevelClient = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                            token = value;
                        } else {
                            continue;
                        }
                    }
                    if (token == JsonToken.VALUE_STRING) {
                        String text = parser.getText();
                        named |= text.equals(client) || namesInvoiceOf(text, client);
                        quoted |= strings.foundInText(text);
                    }
                    if (parser.getParsingContext().inRoot() && !token.isStructStart()) {
                        rootValues++; // a root value ended: its closing token or a scalar
                    }
                }
                oneObject = wholeFile && first == JsonToken.START_OBJECT && rootValues == 1;
            } catch (IOException notJson) {
                // not JSON, or cut at MAX_JSON_BYTES: what was read until then has been searched
            }
            if (oneObject && topLevelClients == 1 && InvoiceKey.isValidName(topLevelClient)) {
                return topLevelClient.equals(client) ? Verdict.OWN : Verdict.OTHER;
            }
            return named ? Verdict.NAMED : quoted ? Verdict.ADDRESS : Verdict.NONE;
        }
    }

    /**
     * Whether {@code text} holds an invoice key of {@code client} (see the class comment): the name,
     * then {@code /} and a letter, digit or {@code *}, the name not preceded by a name character nor
     * by the state folder.
     */
    static boolean namesInvoiceOf(String text, String client) {
        for (int at = text.indexOf(client); at >= 0; at = text.indexOf(client, at + 1)) {
            int slash = at + client.length();
            if (slash + 1 >= text.length() || text.charAt(slash) != '/' || !isKeyStart(text.charAt(slash + 1))) {
                continue;
            }
            if (at > 0 && isNameChar(text.charAt(at - 1))) {
                continue;
            }
            int state = at - STATE_FOLDER.length();
            if (state >= 0 && text.startsWith(STATE_FOLDER, state) && (state == 0 || !isNameChar(text.charAt(state - 1)))) {
                continue; // state/open/..., state/archive/...: a folder of the state, whatever the client's name
            }
            return true;
        }
        return false;
    }

    private static final String STATE_FOLDER = "state/";

    private static boolean isNameChar(char c) {
        return isKeyStart(c) && c != '*' || c == '.' || c == '_' || c == '-';
    }

    private static boolean isKeyStart(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '*');
    }

    /** x.json and x.json.error.json; a name ending in .error.json may be either, so both neighbours. */
    private static List<Path> companions(Path file) {
        String name = file.getFileName().toString();
        List<Path> companions = new ArrayList<>(List.of(file.resolveSibling(name + REPORT_SUFFIX)));
        if (name.endsWith(REPORT_SUFFIX) && name.length() > REPORT_SUFFIX.length()) {
            companions.add(file.resolveSibling(name.substring(0, name.length() - REPORT_SUFFIX.length())));
        }
        return companions;
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
