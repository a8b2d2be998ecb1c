package com.novotechno.collections.cli;

import com.novotechno.collections.backup.DataFolderRestore;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A backup made the data folder again, with the service stopped (CONTRACT section 5). */
@Command(name = "restore", mixinStandardHelpOptions = true, description = {
        "With the service stopped, makes the data folder from the backup in DIR.",
        "The backup's log must be whole (hashes, chain, and MACs under the data folder's key,"
                + " collections.mac.key-file). Its log, keys/, broker-credentials.properties and format.json are copied"
                + " into a folder beside the data folder, the derived files rebuilt there and verified, and only then"
                + " is it renamed into place.",
        "The data folder must be new or empty; with --force one that holds anything is set aside whole, renamed to"
                + " <folder>.set-aside-<time>, never deleted.",
        "A backup taken before a client's erasure brings that client's data back: send their client.erased again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:restored and verified", "1:the backup is damaged or does not verify: nothing changed",
                "2:a usage error: the data folder is not empty (see --force), or no MAC key file"})
final class RestoreCommand extends DataDirCommand {

    @Parameters(index = "0", paramLabel = "DIR", description = "The backup folder, as 'backup' wrote it.")
    Path backupDir;

    @Option(names = "--force", description = "Set a data folder that holds anything aside (renamed beside it) instead of refusing.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        if (!Files.isDirectory(backupDir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no backup folder at " + backupDir.toAbsolutePath());
        }
        DataFolderRestore.Report report;
        try {
            report = DataFolderRestore.restore(new FileSystemStorage(), backupDir, settings.dataDir(), settings.storeSettings(),
                    force, err()::println);
        } catch (DataFolderRestore.RefusedException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = out();
        report.setAside().ifPresent(aside -> out.printf("restore: the folder that was there is set aside as %s%n", aside));
        out.printf("restore: %s from %s: events.log lines 1 to %d, last hash %s; copied %s%n", report.dataDir(),
                backupDir, report.lastSeq(), report.lastHash(),
                report.files().isEmpty() ? "no other files" : String.join(", ", report.files()));
        out.printf("restore: state files, ledger, period files and snapshot rebuilt from %d log entries%n", report.entries());
        out.printf("restore: verified: intact (%d state files, event log chain whole, ledger checksums match%s)%n",
                report.verification().stateFiles(),
                report.keyId().map(id -> ", MACs checked under key " + id + " in " + report.keyFile().orElseThrow()).orElse(""));
        out.println("restore: a client erased after the backup was taken has their data back: send their client.erased again");
        return CollectionsCommand.EXIT_OK;
    }
}
