package com.novotechno.collections.camel;

import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.domain.Printable;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file route's logic: applies one inbox file's message through the core and says where the
 * file goes next, in the header the route's file consumer moves it by. The file leaves the inbox
 * only after this returns, that is after its event is durable; a crash before leaves it to be
 * read again, and the store then recognises the message as a duplicate.
 */
public final class FileIntake {

    /** The file consumer's {@code move} option reads this header: processed/ or rejected/, and a free name there. */
    public static final String DESTINATION = "CollectionsFileDestination";
    private static final Logger LOG = LoggerFactory.getLogger(FileIntake.class);

    private final CollectionsStore store;
    private final Storage storage;
    private final DataLayout layout;
    private final Clock clock;
    private final Runnable onStoreFailure;
    private final IntakeMeter meter;

    public FileIntake(CollectionsStore store, Storage storage, DataLayout layout, Clock clock, Runnable onStoreFailure) {
        this(store, storage, layout, clock, onStoreFailure, IntakeMeter.NONE);
    }

    public FileIntake(CollectionsStore store, Storage storage, DataLayout layout, Clock clock, Runnable onStoreFailure,
                      IntakeMeter meter) {
        this.store = store;
        this.storage = storage;
        this.layout = layout;
        this.clock = clock;
        this.onStoreFailure = onStoreFailure;
        this.meter = meter;
    }

    /** Applies the file's message; on success the file is to move to processed/. */
    public void apply(@Header(Exchange.FILE_PATH) String path, @Headers Map<String, Object> headers)
            throws RejectedMessageException, IOException {
        Path file = Path.of(path);
        ApplyResult result = StoreCalls.apply(store, onStoreFailure, meter, readBounded(file));
        LOG.info("{}: {} message {} (log seq {})", Printable.escape(file.getFileName().toString()),
                result.outcome() == ApplyResult.Outcome.APPLIED ? "applied" : "duplicate of", result.messageId(), result.seq());
        headers.put(DESTINATION, FreeName.in(layout.processed(), file.getFileName().toString(), clock.instant()).toString());
    }

    /**
     * A rejected file goes to rejected/ with {@code <file>.error.json} beside it, written durably
     * before the file moves, so a rejected file is never without its reason.
     */
    public void reject(@Header(Exchange.FILE_PATH) String path,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) RejectedMessageException rejection,
                       @Headers Map<String, Object> headers) throws IOException {
        Path file = Path.of(path);
        Path destination = FreeName.in(layout.rejected(), file.getFileName().toString(), clock.instant());
        storage.createDirectories(layout.rejected());
        storage.writeAtomically(destination.resolveSibling(destination.getFileName() + ".error.json"),
                RejectionReport.of(rejection, file.getFileName().toString(), clock.instant()).toJson());
        LOG.warn("{}: {}", Printable.escape(file.getFileName().toString()), rejection.getMessage());
        headers.put(DESTINATION, destination.toString());
        meter.rejected();
    }

    /**
     * Reads at most one byte more than a message may have, so an 8 MB (or 8 GB) file costs
     * 64 KiB of memory and is then rejected by the parser for its size.
     *
     * <p>The route's filter let only a regular file through, but it may have been swapped since:
     * checked again, opened without following a link, and still the same file after the read.
     * {@link InboxLanes} reads the invoice of a file the same way.
     */
    static byte[] readBounded(Path file) throws IOException, RejectedMessageException {
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Optional<String> notRegular = InboxFilter.whyNotRegular(file, before);
        if (notRegular.isPresent()) {
            throw new RejectedMessageException(null, notRegular.get());
        }
        byte[] content;
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
            content = in.readNBytes(Limits.MAX_MESSAGE_BYTES + 1);
        }
        // A FIFO swapped in between the check and the open would still block it: Java cannot open
        // with O_NONBLOCK. Only a writer to the inbox can do that, and the window is microseconds.
        Object after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (before.fileKey() == null || !before.fileKey().equals(after)) {
            throw new IOException(file.getFileName() + " was replaced while it was read; it is read again at the next poll");
        }
        return content;
    }
}
