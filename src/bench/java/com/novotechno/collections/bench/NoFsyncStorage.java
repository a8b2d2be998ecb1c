package com.novotechno.collections.bench;

import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.ForwardingStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The real file system with every fsync left out, the log's included: NOT crash-safe. Only for
 * filling a folder with many invoices fast, before a benchmark or a scale test measures the real
 * thing on {@link FileSystemStorage}.
 */
public final class NoFsyncStorage extends ForwardingStorage {

    public NoFsyncStorage() {
        super(new FileSystemStorage().deferringSyncs());
    }

    @Override
    public AppendFile openAppend(Path file) throws IOException {
        return new ForwardingAppendFile(delegate.openAppend(file)) {
            @Override
            public void force() {
                // left out on purpose: see the class comment
            }
        };
    }

    @Override
    public Storage deferringSyncs() {
        return this;
    }

    @Override
    public void syncTree(Path root) {
        // left out on purpose: see the class comment
    }

    @Override
    public void syncPaths(java.util.Collection<Path> changed) {
        // left out on purpose: see the class comment
    }
}
