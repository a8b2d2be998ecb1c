package com.novotechno.collections.camel;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningRequests.Emission;
import com.novotechno.collections.state.DunningStep;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's upkeep (CONTRACT section 3, "A request"): with {@code collections.outbox.group} set,
 * that group may read the folder and its files (the emailer runs as another user); and a
 * request's files go once the emailer has acknowledged it and they are older than
 * {@code collections.outbox.retention}. A request nobody acknowledged keeps its files whatever their
 * age: they may be all the emailer has. The log keeps every request either way.
 *
 * <p>Mode and group are metadata that no fsync of the atomic write covers, so a crash can lose
 * them; the hourly {@link #run} sets them again on every file it keeps.
 */
public final class OutboxHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxHousekeeping.class);
    private static final Set<PosixFilePermission> GROUP_READ_FILE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> GROUP_READ_DIR = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> GROUP_PASS_DIR = PosixFilePermissions.fromString("rwx--x---");

    private final CollectionsStore store;
    private final Storage storage;
    private final DataLayout layout;
    private final Duration retention;
    private final Optional<GroupPrincipal> group;
    private final Clock clock;

    /** @throws IllegalArgumentException naming the key, when the system has no such group: refused at start, not at the first request */
    public OutboxHousekeeping(CollectionsStore store, Storage storage, DataLayout layout, DunningSettings settings, Clock clock) {
        this.store = store;
        this.storage = storage;
        this.layout = layout;
        this.retention = settings.outboxRetention();
        this.clock = clock;
        this.group = settings.outboxGroup().map(name -> lookUpGroup(layout, name));
    }

    private static GroupPrincipal lookUpGroup(DataLayout layout, String name) {
        try {
            return layout.root().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException(Settings.OUTBOX_GROUP + ": this system has no group '" + name + "'");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(Settings.OUTBOX_GROUP + ": group '" + name + "' cannot be looked up: "
                    + e.getMessage());
        }
    }

    /** The relay's step after its atomic write of outbox/<request_id>.json: the group may read it before it is sent. */
    public void share(@ExchangeProperty(DunningRelay.EMISSION) Emission emission) throws IOException {
        if (!emission.requestId().matches("dun-[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a request id: " + emission.requestId()); // it names a file
        }
        shareFile(layout.outbox().resolve(emission.outboxFileName()));
    }

    private void shareFile(Path file) throws IOException {
        if (group.isEmpty()) {
            return;
        }
        // The folders too: a group that cannot enter them cannot read what is inside. The data folder
        // only to pass through (no listing, and everything else in it stays the owner's alone).
        setGroupAndMode(layout.root(), GROUP_PASS_DIR);
        setGroupAndMode(layout.outbox(), GROUP_READ_DIR);
        setGroupAndMode(file, GROUP_READ_FILE);
    }

    private void setGroupAndMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        // Never through a symbolic link: the folder is the service's, and a link in it is not.
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setGroup(group.orElseThrow());
        view.setPermissions(mode);
    }

    /**
     * Removes the files of acknowledged requests older than the retention, and shares the rest.
     *
     * @return how many files were removed
     */
    public int run() throws IOException {
        if (!storage.isDirectory(layout.outbox())) {
            return 0; // nothing emitted yet
        }
        if (group.isPresent()) {
            setGroupAndMode(layout.root(), GROUP_PASS_DIR);
            setGroupAndMode(layout.outbox(), GROUP_READ_DIR); // also when the setting came after the folder
        }
        Instant now = clock.instant();
        Instant removeBefore = now.minus(retention);
        int removed = AgedFiles.remove(storage, layout.outbox(), now, removeBefore, AgedFiles.Age.LAST_WRITTEN, file -> {
            return OutboxRequestFile.requestIdOf(file).isPresent() && settled(file);
        });
        if (group.isPresent()) {
            for (Path file : storage.list(layout.outbox())) {
                if (OutboxRequestFile.requestIdOf(file).isPresent()
                        && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    shareFile(file);
                }
            }
        }
        if (removed > 0) {
            LOG.info("outbox: removed {} files of requests acknowledged and older than {}", removed, retention);
        }
        return removed;
    }

    /**
     * Whether the log holds this request as settled: acknowledged by the emailer, or revoked (a revoked
     * request is never acknowledged). Not one withdrawn whose late revocation the relay still owes.
     */
    private boolean settled(Path file) {
        try {
            OutboxRequestFile request = OutboxRequestFile.read(storage, file);
            return store.find(request.key()).flatMap(state -> state.dunningStep(request.requestId()))
                    .map(step -> step.acknowledged() || (step.revoked() && !step.withdrawnUnrecorded())).orElse(false);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("outbox: {} is not a request this service can read ({}); left alone", file.getFileName(), e.getMessage());
            return false;
        }
    }
}
