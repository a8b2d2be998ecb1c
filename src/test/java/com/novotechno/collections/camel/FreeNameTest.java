package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A name taken in processed/ or rejected/ (CONTRACT section 2): the time before the extension, then a counter. */
class FreeNameTest {

    private static final Instant NOW = Instant.parse("2026-11-27T15:01:02.345Z");

    @TempDir
    Path folder;

    @Test
    void aFreeNameIsKeptATakenOneGetsTheTimeAndThenACounter() throws Exception {
        assertThat(FreeName.in(folder, "a.json", NOW)).isEqualTo(folder.resolve("a.json"));
        Files.writeString(folder.resolve("a.json"), "first");
        assertThat(FreeName.in(folder, "a.json", NOW)).isEqualTo(folder.resolve("a.20261127T150102.345Z.json"));
        Files.writeString(folder.resolve("a.20261127T150102.345Z.json"), "second");
        assertThat(FreeName.in(folder, "a.json", NOW)).isEqualTo(folder.resolve("a.20261127T150102.345Z-2.json"));
    }

    @Test
    void aDanglingLinkStillTakesItsName() throws Exception {
        Files.createSymbolicLink(folder.resolve("b.json"), folder.resolve("nowhere"));
        assertThat(FreeName.in(folder, "b.json", NOW)).isEqualTo(folder.resolve("b.20261127T150102.345Z.json"));
    }
}
