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
        "Checks every state file's checksum, the event log's hash chain and the ledger's checksum comments,",
        "changing nothing.",
        "Exit 0 when intact; 1 with one line per fault naming the file (and line or ledger section)."})
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
