package com.novotechno.collections.backup;

import com.novotechno.collections.integrity.MacKeyFile;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code restore DIR}: a backup made a data folder again, with the service stopped. The backup's log must
 * be whole (every line's hash, chain and MAC); the folder is assembled and checked beside the data folder
 * (its log and non-derived files copied, the derived files rebuilt, then verified) and only then renamed
 * into place, so a backup that fails any of that leaves the data folder as it was. A data folder that
 * holds anything is set aside whole under a new name with {@code --force}, never deleted.
 */
public final class DataFolderRestore {

    /** What was restored; {@code setAside} is where the folder it replaced went, if it held anything. */
    public record Report(Path dataDir, long lastSeq, String lastHash, List<String> files, long entries,
                         StoreVerifier.Report verification, Optional<Path> setAside, Optional<Path> keyFile, Optional<String> keyId) {
    }

    /** A restore refused for what the operator asked, not for a fault: exit 2. */
    public static final class RefusedException extends IllegalArgumentException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** The stamp of a staging folder's name, and the counter a taken name gets. */
    private static final String STAGING_STAMP = "\\d{8}T\\d{6}Z(\\.\\d+)?";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** At most this many entries named when a folder is refused as not empty. */
    private static final int MAX_NAMED = 5;

    private DataFolderRestore() {
    }

    /**
     * @param settings the data folder's settings: its MAC key file (the backup's log must verify under it;
     *                 made for a log that was never keyed)
     */
    public static Report restore(Storage storage, Path backupDir, Path dataDir, StoreSettings settings, boolean force,
                                 Consumer<String> notices) throws IOException {
        DataLayout backup = new DataLayout(backupDir);
        DataLayout target = new DataLayout(dataDir);
        requireApart(backup.root(), target.root());
        requireWholeLog(storage, backup, settings);
        List<String> held = contents(target.root());
        if (!held.isEmpty() && !force) {
            throw refusedAsHeld(target.root(), held);
        }
        storage.createDirectories(target.root());
        String stamp = STAMP.format(settings.clock().instant());
        Path staging = freeSibling(target.root(), ".restoring-" + stamp);
        Path aside = freeSibling(target.root(), ".set-aside-" + stamp);
        Report report;
        try (DataDirLock lock = DataDirLock.acquire(target.root())) {
            // Again under the lock: what a service did between the first look and the lock counts.
            held = contents(target.root());
            if (!held.isEmpty() && !force) {
                throw refusedAsHeld(target.root(), held);
            }
            removeStaleStaging(target.root(), notices);
            DataLayout assembled = new DataLayout(staging);
            List<String> files;
            RebuiltFolder.Result rebuilt;
            try {
                storage.createDirectories(staging);
                LogCopy.copyWholeLines(backup.eventLog(), storage, assembled.eventLog());
                files = NonDerivedFiles.copy(storage.deferringSyncs(), backup, assembled);
                rebuilt = RebuiltFolder.rebuildAndVerify(storage, staging, settings, notices);
                if (!rebuilt.verification().intact()) {
                    throw new IOException("the restored copy does not verify: " + String.join("; ",
                            rebuilt.verification().faults().stream().limit(MAX_NAMED).toList()));
                }
            } catch (IOException | RuntimeException e) {
                IOException refused = new IOException("not restored, " + target.root() + " is unchanged: " + e.getMessage(), e);
                try {
                    removeTree(staging); // this restore's own folder, never the data folder
                } catch (IOException leftOver) {
                    refused.addSuppressed(leftOver);
                }
                throw refused;
            }
            // Two renames in one folder: the data folder is the old one or the restored one, never a mix.
            Files.move(target.root(), aside, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, target.root(), StandardCopyOption.ATOMIC_MOVE);
            syncFolder(target.root().getParent());
            Optional<EventLog.LastLine> last = EventLog.lastLine(storage, target.eventLog());
            report = new Report(target.root(), last.map(EventLog.LastLine::seq).orElse(0L),
                    last.map(EventLog.LastLine::hash).orElse(Sha256.ZERO), files, rebuilt.entries(), rebuilt.verification(),
                    held.isEmpty() ? Optional.empty() : Optional.of(aside), settings.macKeyFile(),
                    rebuilt.keying().key().map(key -> key.id()));
        }
        if (held.isEmpty()) {
            removeLockedNothing(aside);
        }
        return report;
    }

    /**
     * The folder set aside held only a lock file and an empty log (checked under its lock, which is
     * released now): removed, so that a restore into a new folder leaves nothing beside it. Anything
     * else found there stays, with the folder.
     */
    private static void removeLockedNothing(Path aside) throws IOException {
        Files.deleteIfExists(aside.resolve(DataDirLock.FILE_NAME));
        Path log = aside.resolve(EventLog.FILE_NAME);
        if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS) && Files.size(log) == 0) {
            Files.delete(log);
        }
        Files.delete(aside); // fails, keeping it, if anything else is there
        syncFolder(aside.getParent());
    }

    private static void requireApart(Path backup, Path dataDir) {
        Path backupReal = MacKeyFile.realPath(backup);
        Path dataReal = MacKeyFile.realPath(dataDir);
        if (backupReal.startsWith(dataReal) || dataReal.startsWith(backupReal)) {
            throw new RefusedException("the backup " + backup + " and the data folder " + dataDir + " overlap: restore from"
                    + " a backup kept apart from the folder");
        }
    }

    /** The backup's log whole, every line's hash, chain and (with the key) MAC: else nothing is touched. */
    private static void requireWholeLog(Storage storage, DataLayout backup, StoreSettings settings) throws IOException {
        if (!Files.isRegularFile(backup.eventLog(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("no " + backup.eventLog() + ": " + backup.root() + " is not a backup; nothing was changed");
        }
        Keying keying = settings.macKeyFile().isEmpty() ? Keying.NONE
                : MacKeyFile.read(settings.macKeyFile().get()).orElse(Keying.NONE);
        if (settings.macKeyFile().isPresent() && keying.key().isEmpty() && Files.size(backup.eventLog()) > 0) {
            // Without the key no MAC is checked, and the rebuild would make a new key vouching for whatever the
            // log says: a log with its MACs stripped and its hashes recomputed would be restored as intact.
            throw new RefusedException("no MAC key at " + settings.macKeyFile().get() + ": the backup's log cannot be"
                    + " checked for forgery without the key it was written under, so it is not restored and nothing was"
                    + " changed. Put back the key file that backup printed (rw-------), or name it with"
                    + " --collections.mac.key-file=FILE");
        }
        EventLog.Inspection log = EventLog.inspect(storage, backup.eventLog(), entry -> { }, keying);
        if (!log.faults().isEmpty()) {
            throw new IOException("the backup's log is damaged, so it is not restored and nothing was changed: "
                    + String.join("; ", log.faults().stream().limit(MAX_NAMED).toList())
                    + (log.faults().size() > MAX_NAMED ? " (and " + (log.faults().size() - MAX_NAMED) + " more)" : ""));
        }
    }

    /**
     * What the data folder holds that a restore would replace: every entry but the lock file and an empty log
     * (what a lock taken on a new folder leaves). Empty for a folder that does not exist.
     */
    private static List<String> contents(Path dataDir) throws IOException {
        if (!Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        if (!Files.isDirectory(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new RefusedException(dataDir + " is not a folder");
        }
        try (var entries = Files.list(dataDir)) {
            return entries.filter(entry -> !isLockOrEmptyLog(entry)).map(entry -> entry.getFileName().toString()).sorted()
                    .toList();
        }
    }

    private static boolean isLockOrEmptyLog(Path entry) {
        String name = entry.getFileName().toString();
        try {
            return name.equals(DataDirLock.FILE_NAME)
                    || name.equals(EventLog.FILE_NAME) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(entry) == 0;
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static RefusedException refusedAsHeld(Path dataDir, List<String> held) {
        String what = held.contains(EventLog.FILE_NAME) ? "holds a log (" + EventLog.FILE_NAME + ")" : "is not empty";
        return new RefusedException(dataDir + " " + what + ": " + String.join(", ", held.stream().limit(MAX_NAMED).toList())
                + (held.size() > MAX_NAMED ? " and " + (held.size() - MAX_NAMED) + " more" : "")
                + ". Restore into a new or empty folder, or give --force to set this one aside whole (renamed beside it,"
                + " never deleted)");
    }

    /** {@code <data folder name><suffix>} beside the data folder, with a counter if that is taken. */
    private static Path freeSibling(Path dataDir, String suffix) {
        Path candidate = dataDir.resolveSibling(dataDir.getFileName() + suffix);
        for (int n = 2; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); n++) {
            candidate = dataDir.resolveSibling(dataDir.getFileName() + suffix + "." + n);
        }
        return candidate;
    }

    /**
     * A restore killed while it assembled its copy left {@code <folder>.restoring-<time>} beside the data folder: only
     * a restore holding the data folder's lock makes one, and this one holds it now, so any such folder is a dead
     * restore's. Removed (links as links), each named, so that half-built copies (personal data of clients erased
     * since, among them) do not pile up beside the folder.
     */
    private static void removeStaleStaging(Path dataDir, Consumer<String> notices) throws IOException {
        Path parent = dataDir.toAbsolutePath().getParent();
        String prefix = dataDir.getFileName() + ".restoring-";
        List<Path> stale;
        try (var siblings = Files.list(parent)) {
            // Exactly the names restore gives (a stamp, and a counter if taken), never a folder merely named alike.
            stale = siblings.filter(path -> path.getFileName().toString().startsWith(prefix)
                            && path.getFileName().toString().substring(prefix.length()).matches(STAGING_STAMP))
                    .filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).limit(MAX_NAMED).toList();
        }
        for (Path folder : stale) {
            removeTree(folder);
            notices.accept("restore: removed " + folder.getFileName() + " beside " + dataDir.getFileName()
                    + ", left by a restore that did not finish");
        }
    }

    /**
     * The copy a restore cut off between its two renames left beside a data folder that is no longer there: the
     * old folder is set aside and this verified copy was about to take its place. Empty while the folder exists.
     */
    public static Optional<Path> cutOffCopy(Path dataDir) throws IOException {
        Path folder = dataDir.toAbsolutePath().normalize();
        Path parent = folder.getParent();
        if (parent == null || Files.exists(folder, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(parent)) {
            return Optional.empty();
        }
        String prefix = folder.getFileName() + ".restoring-";
        try (var siblings = Files.list(parent)) {
            return siblings.filter(path -> path.getFileName().toString().startsWith(prefix)
                            && path.getFileName().toString().substring(prefix.length()).matches(STAGING_STAMP))
                    .filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).sorted().findFirst();
        }
    }

    /** Makes the renames in a folder durable. */
    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Removes a folder this restore made, links in it as links (never what they point to). */
    private static void removeTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
