package com.novotechno.collections.backup;

import com.novotechno.collections.integrity.MacKeyFile;
import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code backup DIR}: a consistent copy of a data folder, also while the service runs. The event log is
 * the truth and append-only, so its whole, durable lines are copied first (up to some seq N); then
 * what the log cannot give back ({@link NonDerivedFiles}); then every derived file is regenerated in
 * DIR from the copied log, as {@code rebuild} does, and DIR is checked as {@code verify} does, under the
 * source's MAC key. Nothing of the source is written, moved or removed.
 */
public final class DataFolderBackup {

    /**
     * What the backup holds.
     *
     * @param lastSeq   the copied log's last seq (0 for an empty log)
     * @param lastHash  that line's hash (64 zeros for an empty log)
     * @param logBytes  the copied log's length
     * @param files     the non-derived files copied, relative to the folder
     * @param keyFile   the source's MAC key file, which is not in the backup; empty when the source has none
     */
    public record Report(Path backup, long lastSeq, String lastHash, long logBytes, List<String> files, long entries,
                         StoreVerifier.Report verification, Optional<Path> keyFile, Optional<String> keyId) {
    }

    private DataFolderBackup() {
    }

    /**
     * Refuses a DIR that would not be a backup of its own: one that holds anything, or lies in the data
     * folder (the copy would copy itself, and a restore with {@code --force} would move it aside with the folder).
     *
     * @throws IllegalArgumentException naming DIR and the reason
     */
    public static void requireUsableTarget(Path dataDir, Path backupDir) throws IOException {
        if (MacKeyFile.realPath(backupDir).startsWith(MacKeyFile.realPath(dataDir))) {
            throw new IllegalArgumentException("the backup folder " + backupDir + " is inside the data folder " + dataDir
                    + ": keep backups apart from what they back up");
        }
        if (Files.exists(backupDir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(backupDir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("the backup folder " + backupDir + " is not a folder");
            }
            if (backupDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                var permissions = Files.getPosixFilePermissions(backupDir, LinkOption.NOFOLLOW_LINKS);
                if (permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                        || permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                    // Whoever may write the folder may swap the copied keys and credentials once they are checked.
                    throw new IllegalArgumentException("the backup folder " + backupDir + " may be written by others ("
                            + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): run chmod go-w on it,"
                            + " or give a new folder (backup makes it rwx------)");
                }
            }
            try (var entries = Files.list(backupDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("the backup folder " + backupDir + " is not empty: a backup is"
                            + " written into a new or empty folder, never over another");
                }
            }
        }
    }

    /**
     * Takes the backup. {@code settings} name the source's MAC key file: the copy is checked under that key
     * (and is never given a key of its own: a key made for it would not be the source's).
     */
    public static Report take(Storage storage, Path dataDir, Path backupDir, StoreSettings settings,
                              Consumer<String> notices) throws IOException {
        DataLayout source = new DataLayout(dataDir);
        DataLayout copy = new DataLayout(backupDir);
        requireUsableTarget(source.root(), copy.root());
        if (!storage.exists(source.eventLog())) {
            throw new IOException("no " + source.eventLog() + ": nothing to back up");
        }
        Optional<Path> keyFile = settings.macKeyFile().filter(file -> Files.exists(file, LinkOption.NOFOLLOW_LINKS));
        storage.createDirectories(copy.root());
        // The log first: every key and mark a copied line needs was written before that line.
        long logBytes = LogCopy.copyWholeLines(source.eventLog(), storage, copy.eventLog());
        List<String> files = NonDerivedFiles.copy(storage.deferringSyncs(), source, copy);
        StoreSettings checked = new StoreSettings(settings.defaultCurrency(), settings.termsDays(), settings.clock(),
                settings.zone(), settings.checkpointPeriod(), keyFile);
        RebuiltFolder.Result rebuilt;
        try {
            rebuilt = RebuiltFolder.rebuildAndVerify(storage, copy.root(), checked, notices);
        } catch (IOException e) {
            throw new IOException("the copy in " + copy.root() + " could not be rebuilt, so it is no backup (" + e.getMessage()
                    + "); " + source.root() + " is unchanged. A client erased while the copy was taken is one cause: empty"
                    + " the folder and run backup again", e);
        }
        Optional<EventLog.LastLine> last = EventLog.lastLine(storage, copy.eventLog());
        return new Report(copy.root(), last.map(EventLog.LastLine::seq).orElse(0L),
                last.map(EventLog.LastLine::hash).orElse(Sha256.ZERO), logBytes, files, rebuilt.entries(),
                rebuilt.verification(), keyFile, rebuilt.keying().key().map(key -> key.id()));
    }
}
