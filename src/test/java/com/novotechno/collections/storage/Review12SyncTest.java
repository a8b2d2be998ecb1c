package com.novotechno.collections.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 12: FileSystemSync promised that a sync --file-system that does not finish within its
 * timeout fails the call, but read the child's output (until its end) before the timeout started, so a
 * sync that hangs (a stalled file system, a hung device) hung the caller for ever: the start of the
 * service, import and rebuild, or the background checkpoint.
 */
class Review12SyncTest {

    @Test
    void aSyncThatHangsFailsAfterTheTimeoutInsteadOfHangingTheCaller() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> FileSystemSync.run(List.of("sleep", "600"), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aFailingSyncIsAFailureWithWhatItSaid() {
        assertThatThrownBy(() -> FileSystemSync.run(List.of("sh", "-c", "echo 'sync: error syncing: Input/output error'; exit 1"),
                Duration.ofSeconds(30))).isInstanceOf(IOException.class).hasMessageContaining("Input/output error");
    }
}
