package com.novotechno.collections.testing;

import com.novotechno.collections.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An in-memory disk that forgets what was not synced when the power goes, as a journaling
 * file system does:
 * <ul>
 *   <li>File contents are durable up to their last fsync. Bytes written after it survive a
 *       power loss only as a random prefix (a torn write), possibly none.</li>
 *   <li>Namespace changes (create, rename, delete) form one ordered journal. An fsync of a
 *       folder commits the journal up to the last change in that folder; a power loss keeps
 *       the committed part plus a random prefix of the rest.</li>
 * </ul>
 * {@link #mount()} gives the {@link Storage} one process sees; {@link #powerFailsAfter} arms a
 * failure after that many more disk operations, which throws {@link PowerLoss} out of the
 * operation, reverts the disk, and makes every earlier mount dead, like the process it served.
 */
public final class PowerLossDisk {

    /** Thrown out of the operation during which the power went. An Error: no catch block survives it. */
    public static final class PowerLoss extends Error {
        private static final long serialVersionUID = 1L;

        PowerLoss(String where) {
            super("power lost during " + where);
        }
    }

    private static final class Inode {
        final boolean directory;
        byte[] current = new byte[0];
        byte[] durable = null; // null: never synced

        Inode(boolean directory) {
            this.directory = directory;
        }
    }

    /**
     * One journal entry: each path now names its inode (null: removed). A rename is one entry
     * with two paths, so that both of its halves persist or neither.
     */
    private record Change(List<Path> paths, List<Inode> inodes) {
        boolean touches(Path folder) {
            return paths.stream().anyMatch(p -> folder.equals(p.getParent()));
        }
    }

    private final Random random;
    private final Map<Path, Inode> visible = new HashMap<>();
    private final Map<Path, Inode> committed = new HashMap<>();
    private final List<Change> journal = new ArrayList<>();
    private int epoch;
    private long operationsUntilPowerLoss = Long.MAX_VALUE;
    private int powerLosses;
    private final List<PowerLoss> cuts = new ArrayList<>();
    /** How long an fsync takes after its data is on disk: widens the window in which other writers append. */
    private volatile long fsyncLatencyMillis;

    public PowerLossDisk(long seed) {
        this.random = new Random(seed);
        Inode root = new Inode(true);
        visible.put(Path.of("/"), root);
        committed.put(Path.of("/"), root);
    }

    public synchronized Storage mount() {
        return new Mount(epoch, true);
    }

    public synchronized void powerFailsAfter(long operations) {
        operationsUntilPowerLoss = operations;
    }

    public void fsyncLatencyMillis(long millis) {
        fsyncLatencyMillis = millis;
    }

    /** The power goes now, between operations. */
    public synchronized void cutPower() {
        loseAllUnsynced();
    }

    public synchronized int powerLosses() {
        return powerLosses;
    }

    /** Each armed power loss that hit, its stack the operation it cut: what a test counts cut points by. */
    public synchronized List<PowerLoss> cuts() {
        return List.copyOf(cuts);
    }

    private void step(int mountEpoch, String what) {
        if (mountEpoch != epoch) {
            throw new PowerLoss("a call from a process that died with the power (" + what + ")");
        }
        if (--operationsUntilPowerLoss < 0) {
            operationsUntilPowerLoss = Long.MAX_VALUE;
            loseAllUnsynced();
            PowerLoss loss = new PowerLoss(what);
            cuts.add(loss);
            throw loss;
        }
    }

    private void loseAllUnsynced() {
        powerLosses++;
        epoch++;
        int survivors = journal.isEmpty() ? 0 : random.nextInt(journal.size() + 1);
        for (Change change : journal.subList(0, survivors)) {
            apply(committed, change);
        }
        journal.clear();
        visible.clear();
        visible.putAll(committed);
        for (Inode inode : visible.values()) {
            if (inode.directory) {
                continue;
            }
            byte[] durable = inode.durable == null ? new byte[0] : inode.durable;
            byte[] current = inode.current;
            boolean extendsDurable = current.length >= durable.length
                    && Arrays.equals(current, 0, durable.length, durable, 0, durable.length);
            int kept = extendsDurable && current.length > durable.length
                    ? random.nextInt(current.length - durable.length + 1) : 0;
            inode.current = Arrays.copyOf(extendsDurable ? current : durable, durable.length + kept);
            inode.durable = inode.current.clone();
        }
    }

    private static void apply(Map<Path, Inode> namespace, Change change) {
        for (int i = 0; i < change.paths().size(); i++) {
            Inode inode = change.inodes().get(i);
            if (inode == null) {
                namespace.remove(change.paths().get(i));
            } else {
                namespace.put(change.paths().get(i), inode);
            }
        }
    }

    private void record(Change change) {
        apply(visible, change);
        journal.add(change);
    }

    private void change(Path path, Inode inode) {
        record(new Change(List.of(path), Arrays.asList(inode)));
    }

    /** An fsync of a folder commits the journal up to the last change in that folder. */
    private void commitThrough(Path folder) {
        int last = -1;
        for (int i = 0; i < journal.size(); i++) {
            if (journal.get(i).touches(folder)) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            apply(committed, journal.get(i));
        }
        journal.subList(0, last + 1).clear();
    }

    private Inode file(Path path) throws IOException {
        Inode inode = visible.get(path.toAbsolutePath());
        if (inode == null) {
            throw new NoSuchFileException(path.toString());
        }
        if (inode.directory) {
            throw new FileNotFoundException(path + " is a folder");
        }
        return inode;
    }

    private void requireFolder(Path folder) throws IOException {
        Inode inode = visible.get(folder);
        if (inode == null || !inode.directory) {
            throw new NoSuchFileException(folder.toString());
        }
    }

    private final class Mount implements Storage {
        private final int mountEpoch;
        /** False for the deferringSyncs() view: no implicit fsyncs, only syncTree. */
        private final boolean syncEachChange;

        Mount(int mountEpoch, boolean syncEachChange) {
            this.mountEpoch = mountEpoch;
            this.syncEachChange = syncEachChange;
        }

        /** A process that died with the power gets nothing more from the disk, not even an error of the new one. */
        private void requireAlive() {
            if (mountEpoch != epoch) {
                throw new PowerLoss("a call from a process that died with the power");
            }
        }

        private void sync(Path folder) {
            if (syncEachChange) {
                step(mountEpoch, "fsync " + folder);
                commitThrough(folder);
            }
        }

        @Override
        public Storage deferringSyncs() {
            return new Mount(mountEpoch, false);
        }

        @Override
        public void syncTree(Path root) {
            synchronized (PowerLossDisk.this) {
                Path absolute = root.toAbsolutePath();
                step(mountEpoch, "sync tree " + root);
                for (Map.Entry<Path, Inode> entry : visible.entrySet()) {
                    if (entry.getKey().startsWith(absolute) && !entry.getValue().directory) {
                        entry.getValue().durable = entry.getValue().current.clone();
                    }
                }
                int last = -1;
                for (int i = 0; i < journal.size(); i++) {
                    if (journal.get(i).paths().stream().anyMatch(p -> p.startsWith(absolute))) {
                        last = i;
                    }
                }
                for (int i = 0; i <= last; i++) {
                    apply(committed, journal.get(i));
                }
                journal.subList(0, last + 1).clear();
            }
        }

        @Override
        public void syncPaths(java.util.Collection<Path> changed) {
            synchronized (PowerLossDisk.this) {
                // Per path, as an fsync of each would: a path the caller forgot stays at risk, and a test finds it.
                for (Path path : changed) {
                    Path absolute = path.toAbsolutePath();
                    step(mountEpoch, "fsync " + path);
                    Inode inode = visible.get(absolute);
                    if (inode != null && !inode.directory) {
                        inode.durable = inode.current.clone();
                    } else if (inode != null) {
                        commitThrough(absolute);
                    }
                }
            }
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            synchronized (PowerLossDisk.this) {
                Path absolute = dir.toAbsolutePath();
                if (visible.containsKey(absolute)) {
                    step(mountEpoch, "stat " + dir);
                    return;
                }
                createDirectories(absolute.getParent());
                step(mountEpoch, "mkdir " + dir);
                change(absolute, new Inode(true));
                sync(absolute.getParent());
            }
        }

        @Override
        public void writeAtomically(Path target, byte[] content) throws IOException {
            synchronized (PowerLossDisk.this) {
                Path folder = target.toAbsolutePath().getParent();
                requireAlive();
                requireFolder(folder);
                Path tmp = folder.resolve("." + target.getFileName() + "." + Math.abs(random.nextLong()) + ".tmp");
                step(mountEpoch, "create " + tmp);
                Inode inode = new Inode(false);
                change(tmp, inode);
                step(mountEpoch, "write " + tmp);
                inode.current = content.clone();
                if (syncEachChange) {
                    step(mountEpoch, "fsync " + tmp);
                    inode.durable = inode.current.clone();
                }
                step(mountEpoch, "rename " + tmp);
                record(new Change(List.of(tmp, target.toAbsolutePath()), Arrays.asList(null, inode)));
                sync(folder);
            }
        }

        @Override
        public byte[] read(Path path, int maxBytes) throws IOException {
            synchronized (PowerLossDisk.this) {
                step(mountEpoch, "read " + path);
                Inode inode = file(path);
                if (inode.current.length > maxBytes) {
                    throw new IOException(path + ": more than the limit of " + maxBytes);
                }
                return inode.current.clone();
            }
        }

        @Override
        public InputStream openRead(Path path) throws IOException {
            synchronized (PowerLossDisk.this) {
                step(mountEpoch, "open " + path);
                return new ByteArrayInputStream(file(path).current.clone());
            }
        }

        @Override
        public AppendFile openAppend(Path path) throws IOException {
            synchronized (PowerLossDisk.this) {
                Path absolute = path.toAbsolutePath();
                step(mountEpoch, "open for append " + path);
                if (!visible.containsKey(absolute)) {
                    requireFolder(absolute.getParent());
                    change(absolute, new Inode(false));
                    sync(absolute.getParent());
                }
                Inode inode = file(absolute);
                return new AppendFile() {
                    @Override
                    public long size() {
                        synchronized (PowerLossDisk.this) {
                            step(mountEpoch, "stat " + path);
                            return inode.current.length;
                        }
                    }

                    @Override
                    public void append(byte[] bytes) {
                        synchronized (PowerLossDisk.this) {
                            step(mountEpoch, "append " + path);
                            byte[] grown = Arrays.copyOf(inode.current, inode.current.length + bytes.length);
                            System.arraycopy(bytes, 0, grown, inode.current.length, bytes.length);
                            inode.current = grown;
                        }
                    }

                    @Override
                    public byte[] readAt(long position, int maxBytes) {
                        synchronized (PowerLossDisk.this) {
                            step(mountEpoch, "pread " + path);
                            int from = (int) Math.min(position, inode.current.length);
                            return Arrays.copyOfRange(inode.current, from, (int) Math.min(inode.current.length, from + (long) maxBytes));
                        }
                    }

                    @Override
                    public void force() {
                        synchronized (PowerLossDisk.this) {
                            step(mountEpoch, "fsync " + path);
                            inode.durable = inode.current.clone();
                        }
                        long latency = fsyncLatencyMillis;
                        if (latency > 0) {
                            try {
                                Thread.sleep(latency);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        }

        @Override
        public boolean exists(Path path) {
            synchronized (PowerLossDisk.this) {
                step(mountEpoch, "stat " + path);
                return visible.containsKey(path.toAbsolutePath());
            }
        }

        @Override
        public boolean isDirectory(Path path) {
            synchronized (PowerLossDisk.this) {
                step(mountEpoch, "stat " + path);
                Inode inode = visible.get(path.toAbsolutePath());
                return inode != null && inode.directory;
            }
        }

        @Override
        public List<Path> list(Path dir) {
            synchronized (PowerLossDisk.this) {
                step(mountEpoch, "list " + dir);
                Path absolute = dir.toAbsolutePath();
                return visible.keySet().stream()
                        .filter(p -> absolute.equals(p.getParent()))
                        .sorted()
                        .toList();
            }
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            synchronized (PowerLossDisk.this) {
                requireAlive();
                Path from = source.toAbsolutePath();
                Path to = target.toAbsolutePath();
                Inode inode = file(from);
                requireFolder(to.getParent());
                if (visible.containsKey(to) && visible.get(to).directory) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                step(mountEpoch, "rename " + source);
                record(new Change(List.of(from, to), Arrays.asList(null, inode)));
                sync(to.getParent());
                sync(from.getParent());
            }
        }

        @Override
        public void deleteIfExists(Path path) {
            synchronized (PowerLossDisk.this) {
                Path absolute = path.toAbsolutePath();
                step(mountEpoch, "unlink " + path);
                if (visible.containsKey(absolute)) {
                    change(absolute, null);
                    sync(absolute.getParent());
                }
            }
        }

        @Override
        public void truncate(Path path, long size) throws IOException {
            synchronized (PowerLossDisk.this) {
                step(mountEpoch, "truncate " + path);
                Inode inode = file(path);
                inode.current = Arrays.copyOf(inode.current, (int) size);
                if (syncEachChange) {
                    inode.durable = inode.current.clone();
                }
            }
        }
    }
}
