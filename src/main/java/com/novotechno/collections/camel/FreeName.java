package com.novotechno.collections.camel;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A name in a folder that no file has yet, so a second file of the same name never replaces the
 * first in processed/ or rejected/: the file's own name, else with the time before its extension
 * (a.json, a.20261127T150102.345Z.json), else with a counter after the time as well
 * (a.20261127T150102.345Z-2.json).
 */
final class FreeName {

    /** More same-named files than this within one millisecond is a runaway producer, not traffic. */
    static final int MAX_ATTEMPTS = 1000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private FreeName() {
    }

    static Path in(Path folder, String fileName, Instant now) {
        Path candidate = folder.resolve(fileName);
        return isFree(candidate) ? candidate : stamped(folder, fileName, now);
    }

    /** Always with the time (and a counter if that is taken too): for files named by when they were made. */
    static Path stamped(Path folder, String fileName, Instant now) {
        int dot = fileName.lastIndexOf('.');
        String base = (dot > 0 ? fileName.substring(0, dot) : fileName) + "." + STAMP.format(now);
        String extension = dot > 0 ? fileName.substring(dot) : "";
        Path candidate = folder.resolve(base + extension);
        for (int n = 2; !isFree(candidate); n++) {
            if (n > MAX_ATTEMPTS) {
                throw new IllegalStateException(folder + " holds " + MAX_ATTEMPTS + " files named " + base + "*");
            }
            candidate = folder.resolve(base + "-" + n + extension);
        }
        return candidate;
    }

    /**
     * No file has the name. A rejection report alone under it is an orphan (a crash came between
     * writing it and moving its file), and the retry of that same file writes it anew.
     */
    private static boolean isFree(Path file) {
        return !Files.exists(file, LinkOption.NOFOLLOW_LINKS); // a dangling link in rejected/ still takes its name
    }
}
