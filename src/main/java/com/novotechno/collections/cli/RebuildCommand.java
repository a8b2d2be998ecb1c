package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.state.StoreRebuilder;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Regenerates the state files and the ledger from the event log. */
@Command(name = "rebuild", mixinStandardHelpOptions = true, description = {
        "With the service stopped: regenerates the state files, the message index and the ledger from the event log."})
final class RebuildCommand extends DataDirCommand {

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        PrintWriter out = out();
        long entries = StoreRebuilder.rebuild(new FileSystemStorage(), existingDataDir(settings, "rebuild from"), settings.storeSettings(),
                err()::println);
        out.printf("rebuild: state files and ledger rebuilt from %d log entries%n", entries);
        return CollectionsCommand.EXIT_OK;
    }
}
