package com.novotechno.collections.camel;

import com.novotechno.collections.domain.Printable;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file route's gate (its consumer's {@code filter}): only regular files reach the route.
 * Anything else named like a message is moved to rejected/ with a report, by rename, never
 * opened: a FIFO would block its reader forever (and every file behind it), and a symbolic link
 * would let whoever can write to the inbox make the service read, apply or copy into rejected/
 * and the log a file it can read anywhere else.
 *
 * <p>Camel asks a filter before it stats or locks a file, and (the route being recursive for
 * this reason alone) about directories too; no directory is ever entered. It is asked before the
 * route's include pattern, so it also sees the entries the route never reads (notes.txt, a folder)
 * and warns about each once per run, as a producer that misnamed its files would otherwise never learn.
 */
public final class InboxFilter implements GenericFileFilter<File> {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFilter.class);
    /** Only names the route reads are the inbox's business; Camel skips names starting with "." itself. */
    private static final String MESSAGE_SUFFIX = ".json";

    /** What a writer names a file it has not finished, to rename it into place: no word about it. */
    private static final String UNFINISHED_SUFFIX = ".tmp";

    private final Storage storage;
    private final DataLayout layout;
    private final Clock clock;
    private final UnreadInboxEntries unread;

    public InboxFilter(Storage storage, DataLayout layout, Clock clock) {
        this(storage, layout, clock, LOG::warn, UnreadInboxEntries.MAX_REMEMBERED);
    }

    /** With the sink of its warnings about entries never read, and how many of their names it remembers. */
    InboxFilter(Storage storage, DataLayout layout, Clock clock, Consumer<String> warnings, int maxRemembered) {
        this.storage = storage;
        this.layout = layout;
        this.clock = clock;
        this.unread = new UnreadInboxEntries(warnings, maxRemembered);
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        Path path = file.getFile().toPath();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            return false; // moved or deleted since it was listed: nothing to read
        }
        Optional<String> notRegular = whyNotRegular(path, attributes);
        String name = path.getFileName().toString();
        if (!name.endsWith(MESSAGE_SUFFIX)) {
            // The route's include pattern would pass over it in silence, poll after poll: say so, once.
            if (!name.endsWith(UNFINISHED_SUFFIX)) {
                unread.passedOver(name, attributes.isDirectory());
            }
            return false;
        }
        if (notRegular.isEmpty()) {
            return true;
        }
        try {
            reject(path, notRegular.get());
        } catch (IOException | RuntimeException e) {
            // It stays in the inbox, unread, and is tried again at the next poll.
            LOG.warn("{}: could not move it to rejected/ ({}): {}", Printable.escape(name), notRegular.get(), e.toString());
        }
        return false;
    }

    /**
     * Empty for a regular file; else why it is not read. Looks at the entry itself, never through
     * a link.
     */
    static Optional<String> whyNotRegular(Path path) throws IOException {
        return whyNotRegular(path, Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    }

    /** As {@link #whyNotRegular(Path)}, with the entry's attributes read without following a link. */
    static Optional<String> whyNotRegular(Path path, BasicFileAttributes attributes) {
        if (attributes.isRegularFile()) {
            return Optional.empty();
        }
        if (attributes.isSymbolicLink()) {
            return Optional.of("not a regular file but a symbolic link; it was not followed");
        }
        String kind = attributes.isDirectory() ? "a directory" : specialKind(path);
        return Optional.of("not a regular file but " + kind + "; it was not read");
    }

    private static String specialKind(Path path) {
        int type;
        try {
            type = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return "a special file";
        }
        return switch (type) {
            case 0010000 -> "a FIFO (named pipe)";
            case 0140000 -> "a socket";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            default -> "a special file";
        };
    }

    /** As {@link FileIntake#reject}: the report is durable before the entry moves beside it. */
    private void reject(Path path, String reason) throws IOException {
        String name = path.getFileName().toString();
        Path destination = FreeName.in(layout.rejected(), name, clock.instant());
        storage.createDirectories(layout.rejected());
        storage.writeAtomically(destination.resolveSibling(destination.getFileName() + ".error.json"),
                new RejectionReport(name, null, reason, clock.instant()).toJson());
        storage.move(path, destination); // a rename: moves the link, FIFO or folder itself, opens nothing
        LOG.warn("{}: rejected: {}", Printable.escape(name), reason);
    }
}
