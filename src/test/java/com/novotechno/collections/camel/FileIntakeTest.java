package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file route's bean on its own: what it reads when a file changes kind after the route's filter let it by. */
class FileIntakeTest {

    @TempDir
    Path data;

    @TempDir
    Path outside;

    @Test
    void aFileSwappedForASymbolicLinkAfterTheFilterIsRejectedWithoutFollowingIt() throws Exception {
        Files.write(outside.resolve("valid.json"), Messages.issued("s1", "ACME", "INV-9", "9.00", "USD"));
        try (CollectionsStore store = Stores.open(data)) {
            DataLayout layout = new DataLayout(data);
            Files.createDirectories(layout.inbox());
            Path link = Files.createSymbolicLink(layout.inbox().resolve("a.json"), outside.resolve("valid.json"));
            FileIntake intake = new FileIntake(store, new FileSystemStorage(), layout, Clock.systemUTC(), () -> { });

            assertThatThrownBy(() -> intake.apply(link.toString(), new HashMap<>()))
                    .isInstanceOf(RejectedMessageException.class)
                    .hasMessage("message rejected: not a regular file but a symbolic link; it was not followed");
            assertThat(store.lastSeq()).isZero();
        }
    }
}
