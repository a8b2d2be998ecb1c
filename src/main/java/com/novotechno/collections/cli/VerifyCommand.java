package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.integrity.FolderKeying;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** Checks every state file's checksum, the log's hash chain and the ledger's checksums; changes nothing. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Checks state files, event log and ledger for damage and edits; changes nothing.",
        "Every state file against the state the event log implies and against its checksum, the log's hash"
                + " chain, the ledger's checksum comments and each closed period's file, with their MACs under the"
                + " folder's key. It prints one line per fault naming the file (and line or ledger section), and is"
                + " silent but for its summary when all is intact. It may run beside the service."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:intact", "1:faults, one line each, or a rebuild is unfinished",
                "2:a usage error: a bad configuration value, or no data folder"})
final class VerifyCommand extends DataDirCommand {

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        Path dataDir = existingDataDir(settings, "verify");
        Keying keying = FolderKeying.forReader(settings.macKeyFile(), err()::println);
        StoreVerifier.Report report = new StoreVerifier(new FileSystemStorage(), new DataLayout(dataDir).withKeying(keying))
                .verify();
        PrintWriter out = out();
        report.faults().forEach(out::println);
        String macs = keying.key().map(key -> "; MACs checked under key " + key.id()
                + (keying.keyedSince() > 1 ? ", log lines 1 to " + (keying.keyedSince() - 1)
                + " written before the key existed and carrying none" : "")).orElse("; MACs not checked: no key");
        if (report.intact()) {
            out.printf("verify: intact (%d state files, event log chain whole, ledger checksums match%s)%n",
                    report.stateFiles(), macs);
            return CollectionsCommand.EXIT_OK;
        }
        out.printf("verify: %d faults (%s)%n", report.faults().size(), macs.substring(2));
        return CollectionsCommand.EXIT_FAULT;
    }
}
