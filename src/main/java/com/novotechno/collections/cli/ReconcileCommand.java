package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Compares the ledger with the state files; reports, never repairs. */
@Command(name = "reconcile", mixinStandardHelpOptions = true, description = {
        "Compares ledger.qmd with the state files, per section and currency: the same invoices, amounts and",
        "totals, to the cent. Only reads: it may run beside the service, and never rewrites the ledger.",
        "Exit 0 when they agree; 1 with one line per difference."})
final class ReconcileCommand extends DataDirCommand {

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        if (!Files.isDirectory(settings.dataDir())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no data folder at " + settings.dataDir().toAbsolutePath() + ": nothing to reconcile");
        }
        ReconcileReport report = new Reconciler(new FileSystemStorage(), new DataLayout(settings.dataDir())).reconcile();
        PrintWriter out = out();
        report.differences().stream().map(Difference::toString).forEach(out::println);
        String inFlight = report.inFlight() == 0 ? ""
                : ", " + report.inFlight() + " changed since and not compared";
        if (report.agrees()) {
            out.printf("reconcile: the ledger agrees with the state files (%d invoices, log seq %d%s)%n",
                    report.invoices(), report.ledgerSeq(), inFlight);
            return CollectionsCommand.EXIT_OK;
        }
        out.printf("reconcile: %d differences%n", report.differences().size());
        return CollectionsCommand.EXIT_FAULT;
    }
}
