package com.novotechno.collections.backup;

import com.novotechno.collections.privacy.ClientKeys;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a data folder holds beside its log that the log cannot give back (CONTRACT section 2): the
 * clients' keys and erasure marks in keys/ (without them the log's sealed values cannot be opened, and
 * a start refuses), the embedded broker's users, and the folder's format. Everything else is derived
 * from the log (state files, held payments, ledger, period files, snapshot, checkpoint) or is a record
 * of the past (processed/, rejected/, alerts/, outbox/), not needed to run.
 */
final class NonDerivedFiles {

    /** A key, an erasure mark, the credentials and the format file are each a few hundred bytes. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private NonDerivedFiles() {
    }

    /**
     * Copies them from {@code from} to {@code to} through {@code storage} (owner-only files and folders),
     * not yet durable: the caller syncs the folder once at the end.
     *
     * @return the names copied, relative to the folder, in order
     */
    static List<String> copy(Storage storage, DataLayout from, DataLayout to) throws IOException {
        List<String> copied = new ArrayList<>();
        List<Path> keys = storage.list(from.keys());
        if (keys.size() > ClientKeys.MAX_FILES) {
            throw new IOException(from.keys() + " holds " + keys.size() + " entries, more than the " + ClientKeys.MAX_FILES
                    + " a data folder may have: not a folder this service wrote");
        }
        if (storage.isDirectory(from.keys())) {
            storage.createDirectories(to.keys());
        }
        for (Path key : keys) {
            if (FileSystemStorage.isTemporaryFile(key)) {
                continue; // a write a crash interrupted; the store never reads one
            }
            copyFile(storage, key, to.keys().resolve(key.getFileName()));
            copied.add(from.root().relativize(key).toString());
        }
        for (String name : List.of(BrokerCredentials.FILE_NAME, from.format().getFileName().toString())) {
            Path file = from.root().resolve(name);
            if (storage.exists(file)) {
                copyFile(storage, file, to.root().resolve(name));
                copied.add(name);
            }
        }
        return copied;
    }

    private static void copyFile(Storage storage, Path file, Path target) throws IOException {
        // Never through a link: what is copied is the folder's own file, whatever a link in it points to.
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file (a link, a folder or a device): not copied; a data"
                    + " folder holds none there");
        }
        storage.writeAtomically(target, storage.read(file, MAX_FILE_BYTES));
    }
}
