package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every command working on a data folder shares: its --data-dir, the configuration, and the output streams. */
abstract class DataDirCommand implements Callable<Integer> {

    @ParentCommand
    CollectionsCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    /** The configuration with --data-dir applied; a bad value is a usage error (exit 2). */
    Settings settings() {
        return parent.settings(spec, dataDir);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
