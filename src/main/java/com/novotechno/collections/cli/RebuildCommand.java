package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.state.StoreRebuilder;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Regenerates the state files from the event log. */
@Command(name = "rebuild", description = {
        "With the service stopped: regenerates the state files (and the message index) from the event log."})
final class RebuildCommand implements Callable<Integer> {

    @ParentCommand
    CollectionsCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() throws IOException {
        Settings settings = parent.settings(spec, dataDir);
        PrintWriter out = spec.commandLine().getOut();
        long entries = StoreRebuilder.rebuild(new FileSystemStorage(), settings.dataDir(), settings.storeSettings(),
                spec.commandLine().getErr()::println);
        out.printf("rebuild: state rebuilt from %d log entries%n", entries);
        return CollectionsCommand.EXIT_OK;
    }
}
