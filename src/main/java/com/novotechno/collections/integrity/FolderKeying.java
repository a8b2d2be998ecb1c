package com.novotechno.collections.integrity;

import com.novotechno.collections.log.EventLog;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.MacKey;
import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/** Finds a data folder's MAC key, and makes it at the first start of a writer that finds none. */
public final class FolderKeying {

    private FolderKeying() {
    }

    /**
     * For a writer (the service, {@code import}, {@code rebuild}), under the folder's lock: the key in
     * {@code keyFile}, or a new one keying the log from its next seq. A log whose last line carries a
     * MAC was keyed already: without its key it is refused, never keyed anew (that would make every
     * earlier MAC unverifiable, and a forger could strip them all).
     */
    public static Keying forWriter(Storage storage, DataLayout layout, Optional<Path> keyFile, Clock clock,
                                   Consumer<String> notices) throws IOException {
        if (keyFile.isEmpty()) {
            return Keying.NONE;
        }
        Path file = keyFile.get();
        requireOutside(file, layout.root());
        Optional<Keying> existing = MacKeyFile.read(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        Optional<EventLog.LastLine> last = EventLog.lastLine(storage, layout.eventLog());
        if (last.isPresent() && last.get().mac().isPresent()) {
            String keyId = MacKey.keyIdOf(last.get().mac().get());
            throw new MissingKeyException(layout.eventLog().getFileName() + " is keyed (its line " + last.get().seq()
                    + " carries a MAC made with key " + (keyId == null ? "?" : keyId) + ") but there is no key file "
                    + file + ": restore it from its backup, or name it with --collections.mac.key-file=FILE");
        }
        long keyedSince = last.map(line -> line.seq() + 1).orElse(1L);
        Keying made = MacKeyFile.create(file, layout.root(), keyedSince, last.map(EventLog.LastLine::hash).orElse(Sha256.ZERO),
                clock.instant());
        notices.accept("made the MAC key " + file + " (key " + made.key().orElseThrow().id() + "): log lines from seq "
                + keyedSince + " on, and the files derived from them, carry a MAC under it;"
                + " keep a backup of it apart from the data folder");
        return made;
    }

    /** Whoever can write the data folder could replace or delete a key kept in it: that key would stop no one. */
    private static void requireOutside(Path keyFile, Path dataDir) throws IOException {
        if (MacKeyFile.realPath(keyFile).startsWith(MacKeyFile.realPath(dataDir))) {
            throw new IOException("the MAC key " + keyFile + " is inside the data folder " + dataDir
                    + ": keep it apart from the folder (collections.mac.key-file, or XDG_CONFIG_HOME outside it)");
        }
    }

    /** For a reader (verify, reconcile): the key if its file is there, else none, with a notice. */
    public static Keying forReader(Path keyFile, Consumer<String> notices) throws IOException {
        Optional<Keying> existing = MacKeyFile.read(keyFile);
        if (existing.isEmpty()) {
            notices.accept("no MAC key at " + keyFile + ": MACs are not checked (checksums and the hash chain are)");
        }
        return existing.orElse(Keying.NONE);
    }

    /** The folder's log is keyed but its key is missing: a usage error, not damage. */
    public static final class MissingKeyException extends IOException {
        public MissingKeyException(String message) {
            super(message);
        }
    }
}
