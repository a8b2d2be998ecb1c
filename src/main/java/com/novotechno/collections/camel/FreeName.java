package com.novotechno.collections.camel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A name in a folder that no file has yet: the file's own, or with a counter before its
 * extension (a.json, a.2.json, ...), so a second file of the same name never replaces the
 * first in processed/ or rejected/.
 */
final class FreeName {

    /** More same-named files than this in one folder is a runaway producer, not traffic. */
    static final int MAX_ATTEMPTS = 100_000;

    private FreeName() {
    }

    static Path in(Path folder, String fileName) {
        Path candidate = folder.resolve(fileName);
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        String extension = dot > 0 ? fileName.substring(dot) : "";
        for (int n = 2; Files.exists(candidate) || Files.exists(errorFileOf(candidate)); n++) {
            if (n > MAX_ATTEMPTS) {
                throw new IllegalStateException(folder + " holds " + MAX_ATTEMPTS + " files named like " + fileName);
            }
            candidate = folder.resolve(base + "." + n + extension);
        }
        return candidate;
    }

    private static Path errorFileOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".error.json");
    }
}
