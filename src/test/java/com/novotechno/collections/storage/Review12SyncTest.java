package com.novotechno.collections.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 12: FileSystemSync promises that a sync --file-system that does not finish within 120 s
 * fails the call. It reads the child's output (readNBytes, until end of stream) before waitFor's timeout
 * starts, so a sync that hangs (a stalled file system, a hung device) hangs the caller for ever: the start
 * of the service, import and rebuild (the probe and the open's sync), or the background checkpoint.
 * Seen with the real jar: import with such a sync in PATH was still waiting after 200 s.
 */
class Review12SyncTest {

    @TempDir
    Path tmp;

    /** What the child JVM runs: one sync of a folder through the real disk. */
    public static void main(String[] args) throws Exception {
        new FileSystemStorage().syncPaths(List.of(Path.of(args[0])));
    }

    @Test
    void aSyncThatHangsFailsAfterTheTimeoutInsteadOfHangingTheCaller() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path sync = bin.resolve("sync");
        Files.writeString(sync, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(sync, PosixFilePermissions.fromString("rwx------"));
        Path folder = Files.createDirectories(tmp.resolve("data"));
        ProcessBuilder builder = JavaProcess.builder(Review12SyncTest.class, folder.toString());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.redirectErrorStream(true).redirectOutput(tmp.resolve("child.out").toFile());
        Process child = builder.start();
        try {
            // The documented bound is 120 s; some margin for a busy machine.
            boolean finished = child.waitFor(140, TimeUnit.SECONDS);
            assertThat(finished).as("the sync call returned or failed within its 120 s timeout").isTrue();
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }
}
