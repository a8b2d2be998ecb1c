package com.novotechno.collections.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --data-dir option every command shares; it overrides collections.data-dir. */
final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The data folder (default: collections.data-dir, ./data).")
    Path dataDir;
}
