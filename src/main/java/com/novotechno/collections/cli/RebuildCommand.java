package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.state.StoreRebuilder;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Regenerates the state files and the ledger from the event log. */
@Command(name = "rebuild", mixinStandardHelpOptions = true, description = {
        "Regenerates state files and ledger from the event log, the service stopped.",
        "It writes the state files, the held payments files, ledger.qmd, the closed periods' files (ledger/) and"
                + " snapshot.bin anew from events.log, byte for byte as the service wrote them: a hand-edited ledger.qmd"
                + " or state file is replaced, and its edit is lost. It refuses, changing nothing, when the log is"
                + " damaged beyond a torn last line (restore it from a backup). Until it has finished"
                + " (rebuild.inprogress) every start and status, verify, reconcile and import refuse; an interrupted"
                + " rebuild is simply run again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rebuilt", "1:refused, nothing changed: the log is damaged, or the folder is in use by the"
                + " service", "2:a usage error: a bad configuration value, or no data folder (none there, or without"
                + " events.log)"})
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
