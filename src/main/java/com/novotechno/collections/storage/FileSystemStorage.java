package com.novotechno.collections.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The real disk. The atomic write follows the renameio recipe: a unique temporary file in the
 * target's own folder (so the rename never crosses a file system), fsync, atomic rename, fsync
 * of the folder.
 */
public final class FileSystemStorage implements Storage {

    /** Temporary files start with a dot and end in .tmp: every scanner of the data folder skips them. */
    public static final String TMP_SUFFIX = ".tmp";
    /**
     * A token of this process in every temporary file it makes, so that a sweep running beside its writers
     * (after a crash, in the background) removes what an earlier process left and never a write in flight.
     */
    public static final String RUN = "r" + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 1);

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_FILE_ATTR =
            PosixFilePermissions.asFileAttribute(OWNER_FILE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_DIR_ATTR =
            PosixFilePermissions.asFileAttribute(OWNER_DIR);

    /**
     * Folders this process created or synced into their parent: those need no second fsync (in
     * the deferringSyncs view: folders known to exist, which syncTree makes durable).
     */
    private static final int MAX_REMEMBERED_DIRECTORIES = 100_000;
    private final Set<Path> durableDirectories = ConcurrentHashMap.newKeySet();
    /** False for the {@link #deferringSyncs()} view: changes wait for {@link #syncTree}. */
    private final boolean syncEachChange;

    public FileSystemStorage() {
        this(true);
    }

    private FileSystemStorage(boolean syncEachChange) {
        this.syncEachChange = syncEachChange;
    }

    @Override
    public Storage deferringSyncs() {
        return new FileSystemStorage(false);
    }

    @Override
    public void syncTree(Path root) throws IOException {
        Path absolute = root.toAbsolutePath();
        if (!Files.exists(absolute)) {
            return;
        }
        if (FileSystemSync.available()) {
            // One syncfs makes every file and folder of the tree durable, and the parent's entry for it: a
            // rebuild of a million invoices otherwise waits for a million fsyncs, minutes on this disk.
            FileSystemSync.sync(absolute.getParent() == null ? List.of(absolute) : List.of(absolute, absolute.getParent()));
            return;
        }
        List<Path> entries;
        try (var walk = Files.walk(absolute)) {
            entries = walk.toList();
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                syncDirectory(entry);
            } else if (Files.isRegularFile(entry)) {
                try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
        if (absolute.getParent() != null) {
            syncDirectory(absolute.getParent());
        }
    }

    @Override
    public void syncPaths(Collection<Path> changed) throws IOException {
        if (changed.isEmpty()) {
            return;
        }
        if (FileSystemSync.available()) {
            FileSystemSync.sync(changed);
            return;
        }
        // One fsync per path, files before folders: only a disk without syncfs(2) pays this.
        List<Path> folders = new ArrayList<>();
        for (Path path : changed) {
            if (Files.isDirectory(path)) {
                folders.add(path);
            } else {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    channel.force(true);
                } catch (NoSuchFileException movedOrRemoved) {
                    // its new name, or its folder's entry, is in the set too
                }
            }
        }
        for (Path folder : folders) {
            try {
                syncDirectory(folder);
            } catch (NoSuchFileException removed) {
                // a folder removed since holds nothing to make durable
            }
        }
    }

    /** A temporary file an earlier process left (one this process made carries its {@link #RUN} token). */
    public static boolean isLeftByEarlierProcess(Path file) {
        return isTemporaryFile(file) && !file.getFileName().toString().contains("." + RUN + ".");
    }

    public static boolean isTemporaryFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TMP_SUFFIX);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (durableDirectories.contains(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, OWNER_DIR_ATTR);
            // The umask may have narrowed the mode but never widens it; set it exactly.
            Files.setPosixFilePermissions(absolute, OWNER_DIR);
        } catch (FileAlreadyExistsException existing) {
            if (!Files.isDirectory(absolute)) {
                throw existing;
            }
            // Made by another thread, or by a process killed before it synced the parent: sync it
            // anyway, or a file put in this folder could vanish with the folder at a power loss.
        }
        if (parent != null && syncEachChange) {
            syncDirectory(parent);
        }
        rememberDurable(absolute);
    }

    /** Bounded: forgetting only costs another parent fsync. */
    private void rememberDurable(Path dir) {
        if (durableDirectories.size() >= MAX_REMEMBERED_DIRECTORIES) {
            durableDirectories.clear();
        }
        durableDirectories.add(dir);
    }

    @Override
    public void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        boolean renamed = false;
        try {
            FileChannel channel = null;
            // A random name created exclusively (O_EXCL): two writers of one target never share a tmp file.
            while (channel == null) {
                Path candidate = dir.resolve("." + target.getFileName() + "." + RUN + "." + Long.toUnsignedString(
                        ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX);
                try {
                    channel = FileChannel.open(candidate,
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_FILE_ATTR);
                    tmp = candidate; // ours from here on: only now may the cleanup below delete it
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
            }
            try (FileChannel written = channel) {
                writeFully(written, content);
                // The data must be on disk before the rename publishes it, or a crash could expose
                // a renamed but empty file.
                if (syncEachChange) {
                    written.force(true);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
            // The rename lives in the folder: sync it so the new name survives power loss.
            if (syncEachChange) {
                syncDirectory(dir);
            }
        } finally {
            if (!renamed && tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    @Override
    public byte[] read(Path file, int maxBytes) throws IOException {
        // Opening a FIFO waits for a writer, for ever: every file the core reads whole is a regular file.
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > maxBytes) {
                throw new IOException(file + ": " + size + " bytes, more than the limit of " + maxBytes);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    break;
                }
            }
            if (buffer.hasRemaining()) {
                throw new IOException(file + ": shrank while being read");
            }
            return buffer.array();
        }
    }

    @Override
    public InputStream openRead(Path file) throws IOException {
        // As for read: opening a FIFO would wait for a writer for ever, and a directory is no data file.
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new CorruptFileException(file, "not a regular file");
        }
        return Files.newInputStream(file, StandardOpenOption.READ);
    }

    @Override
    public AppendFile openAppend(Path file) throws IOException {
        boolean created = !Files.exists(file);
        if (created) {
            try {
                Files.createFile(file, OWNER_FILE_ATTR);
            } catch (FileAlreadyExistsException raced) {
                created = false;
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (created && syncEachChange) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
        return new ChannelAppendFile(channel, file);
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public boolean isSymbolicLink(Path path) {
        return Files.isSymbolicLink(path);
    }

    @Override
    public Optional<FileStamp> stamp(Path file) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(file, "unix:isRegularFile,size,lastModifiedTime,ctime,fileKey",
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (UnsupportedOperationException noUnixView) {
            return Optional.empty(); // no ctime to tell an edit in place whose time was set back: read every time
        }
        // No inode where the file system gives none: the size and time alone would miss a same-size replacement.
        if (!Boolean.TRUE.equals(attributes.get("isRegularFile")) || attributes.get("fileKey") == null) {
            return Optional.empty();
        }
        return Optional.of(new FileStamp((Long) attributes.get("size"),
                ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                ((FileTime) attributes.get("ctime")).to(TimeUnit.NANOSECONDS), attributes.get("fileKey")));
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                entries.add(entry);
            }
        } catch (NoSuchFileException absent) {
            return List.of();
        }
        entries.sort(null);
        return entries;
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        if (syncEachChange) {
            syncDirectory(target.toAbsolutePath().getParent());
            syncDirectory(source.toAbsolutePath().getParent());
        }
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        if (Files.deleteIfExists(file) && syncEachChange) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
    }

    @Override
    public void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            if (syncEachChange) {
                channel.force(true);
            }
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void writeFully(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static final class ChannelAppendFile implements AppendFile {
        private final FileChannel channel;
        private final Path file;
        /** Opened at the first read and kept until close: see {@link AppendFile#readAt}. */
        private FileChannel reader;

        ChannelAppendFile(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
        }

        @Override
        public synchronized byte[] readAt(long position, int maxBytes) throws IOException {
            if (reader == null) {
                reader = FileChannel.open(file, StandardOpenOption.READ);
            }
            ByteBuffer buffer = ByteBuffer.allocate(maxBytes);
            while (buffer.hasRemaining() && reader.read(buffer, position + buffer.position()) > 0) {
                // a read returns what is there; the loop ends at the end of the file or the limit
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            writeFully(channel, bytes);
        }

        @Override
        public void force() throws IOException {
            // Data only: the file's length is metadata that fdatasync still flushes when it changed.
            channel.force(false);
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                channel.close();
            } finally {
                if (reader != null) {
                    reader.close();
                }
            }
        }
    }
}
