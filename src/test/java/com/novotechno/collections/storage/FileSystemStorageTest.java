package com.novotechno.collections.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStorageTest {

    @TempDir
    Path dir;

    private final FileSystemStorage storage = new FileSystemStorage();

    @Test
    void deferredChangesAreRememberedAndSyncedEvenWhenMovedOrRemovedSince() throws IOException {
        DeferredSyncs deferred = new DeferredSyncs(new FileSystemStorage());
        Path kept = dir.resolve("a/b/kept.json");
        Path moved = dir.resolve("a/b/moved.json");
        Path removed = dir.resolve("a/c/removed.json");
        deferred.createDirectories(kept.getParent());
        deferred.createDirectories(removed.getParent());
        deferred.writeAtomically(kept, "1".getBytes(StandardCharsets.UTF_8));
        deferred.writeAtomically(moved, "2".getBytes(StandardCharsets.UTF_8));
        deferred.move(moved, dir.resolve("a/moved.json"));
        deferred.writeAtomically(removed, "3".getBytes(StandardCharsets.UTF_8));
        deferred.deleteIfExists(removed);
        // The new folders, each file, and each folder whose entries changed: nothing a power cut could take back.
        assertThat(deferred.pending()).isEqualTo(8);
        deferred.syncChanged();
        assertThat(deferred.pending()).isZero();
        assertThat(Files.readString(kept)).isEqualTo("1");
        assertThat(dir.resolve("a/moved.json")).hasContent("2");
    }

    @Test
    void theWholeFileSystemIsSyncedByCoreutilsWhereItIs() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/sync"))
                || Files.isExecutable(Path.of("/bin/sync")), "coreutils' sync");
        assertThat(FileSystemSync.available()).isTrue();
        Path file = dir.resolve("x.json");
        Files.writeString(file, "x");
        FileSystemSync.sync(List.of(file, dir.resolve("gone/long/ago.json"))); // a path removed since: its folder's disk
    }

    @Test
    void anAtomicWriteReplacesTheFileOwnerOnlyAndLeavesNoTmpFile() throws Exception {
        Path target = dir.resolve("a").resolve("b").resolve("state.json");
        storage.createDirectories(target.getParent());
        storage.writeAtomically(target, "first".getBytes(StandardCharsets.UTF_8));
        storage.writeAtomically(target, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a")))).isEqualTo("rwx------");
        assertThat(filesUnder(dir)).containsExactly(target);
    }

    @Test
    void aFailedWriteRemovesItsTmpFileAndKeepsTheOldContent() throws Exception {
        // A folder in the target's place makes the final rename fail after the tmp file was written.
        Path target = dir.resolve("blocked.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThatThrownBy(() -> storage.writeAtomically(target, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(filesUnder(dir)).containsExactly(target.resolve("keep"));
    }

    @Test
    void concurrentWritersOfOneTargetNeverShareATmpFile() throws Exception {
        Path target = dir.resolve("shared.json");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] content = ("writer " + i + " ").repeat(100).getBytes(StandardCharsets.UTF_8);
            writes.add(pool.submit(() -> {
                storage.writeAtomically(target, content);
                return null;
            }));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
        // Whichever write won, the file is one writer's content whole, never a mix.
        String content = Files.readString(target);
        String first = content.substring(0, content.indexOf(' ', 7) + 1);
        assertThat(content).isEqualTo(first.repeat(100));
        assertThat(filesUnder(dir)).containsExactly(target);
    }

    @Test
    void readsRefuseFilesOverTheirLimit() throws Exception {
        Path file = dir.resolve("big");
        Files.write(file, new byte[1025]);
        assertThatThrownBy(() -> storage.read(file, 1024)).hasMessageContaining("more than the limit of 1024");
        assertThat(storage.read(file, 1025)).hasSize(1025);
    }

    @Test
    void appendsAndTruncationAreSeenByReaders() throws Exception {
        Path file = dir.resolve("log");
        try (Storage.AppendFile append = storage.openAppend(file)) {
            append.append("one\n".getBytes(StandardCharsets.UTF_8));
            append.append("two\n".getBytes(StandardCharsets.UTF_8));
            append.force();
            assertThat(append.size()).isEqualTo(8);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        storage.truncate(file, 4);
        assertThat(Files.readString(file)).isEqualTo("one\n");
    }

    @Test
    void moveIsARenameThatLeavesOneFile() throws Exception {
        Path from = dir.resolve("open.json");
        Path to = dir.resolve("archive.json");
        Files.writeString(from, "paid");
        storage.move(from, to);
        assertThat(from).doesNotExist();
        assertThat(to).hasContent("paid");
        storage.deleteIfExists(to);
        storage.deleteIfExists(to);
        assertThat(to).doesNotExist();
    }

    @Test
    void listIsSortedAndEmptyForAMissingFolder() throws Exception {
        Files.writeString(dir.resolve("b"), "");
        Files.writeString(dir.resolve("a"), "");
        assertThat(storage.list(dir)).containsExactly(dir.resolve("a"), dir.resolve("b"));
        assertThat(storage.list(dir.resolve("missing"))).isEmpty();
    }

    static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
