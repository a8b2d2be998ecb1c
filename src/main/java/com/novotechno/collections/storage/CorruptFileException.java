package com.novotechno.collections.storage;

import java.io.IOException;
import java.nio.file.Path;

/** A file in the data folder fails its checksum or its rules. The message names the file. */
public final class CorruptFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String problem;

    public CorruptFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.problem = problem;
    }

    public String problem() {
        return problem;
    }
}
