package com.novotechno.collections.cli;

import com.novotechno.collections.backup.DataFolderBackup;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** A verified copy of the data folder, also while the service runs (CONTRACT section 5). */
@Command(name = "backup", mixinStandardHelpOptions = true, description = {
        "Copies the data folder into DIR and verifies the copy, also while the service runs.",
        "The event log's whole lines up to the last one on disk (seq N), keys/, broker-credentials.properties and"
                + " format.json are copied. Then the state files, ledger, period files and snapshot are rebuilt in DIR"
                + " from the copied log, as rebuild does, and DIR is verified under the data folder's MAC key, as verify"
                + " does. DIR must be new or empty, and outside the data folder; the data folder is never changed.",
        "The MAC key file is not copied: back it up separately (its path is printed)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:DIR holds a verified copy", "1:the copy failed or does not verify",
                "2:a usage error: DIR not empty or inside the data folder, or no data folder"})
final class BackupCommand extends DataDirCommand {

    @Parameters(index = "0", paramLabel = "DIR", description = "The backup folder: new, or empty.")
    Path backupDir;

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        Path dataDir = existingDataDir(settings, "back up");
        try {
            DataFolderBackup.requireUsableTarget(dataDir, backupDir);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        DataFolderBackup.Report report = DataFolderBackup.take(new FileSystemStorage(), dataDir, backupDir,
                settings.storeSettings(), err()::println);
        PrintWriter out = out();
        out.printf("backup: %s: events.log lines 1 to %d (%d bytes), last hash %s%n", report.backup(), report.lastSeq(),
                report.logBytes(), report.lastHash());
        out.printf("backup: copied %d files beside it: %s%n", report.files().size(),
                report.files().isEmpty() ? "none" : String.join(", ", report.files()));
        out.printf("backup: state files, ledger, period files and snapshot rebuilt from %d log entries%n", report.entries());
        if (report.keyFile().isPresent()) {
            out.printf("backup: the MAC key %s (key %s) is NOT in the backup: back it up separately, apart from it;"
                    + " a restore needs it%n", report.keyFile().get(), report.keyId().orElse("?"));
        } else {
            out.printf("backup: no MAC key at %s: the backup's MACs were not checked%n", settings.macKeyFile());
        }
        report.verification().faults().forEach(out::println);
        if (!report.verification().intact()) {
            out.printf("backup: %s does NOT verify (%d faults): it is no backup; %s is unchanged%n", report.backup(),
                    report.verification().faults().size(), dataDir);
            return CollectionsCommand.EXIT_FAULT;
        }
        out.printf("backup: verified: intact (%d state files, event log chain whole, ledger checksums match%s)%n",
                report.verification().stateFiles(), report.keyId().map(id -> ", MACs checked under key " + id).orElse(""));
        return CollectionsCommand.EXIT_OK;
    }
}
