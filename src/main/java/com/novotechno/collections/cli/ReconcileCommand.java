package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.reconcile.Difference;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.storage.DataDirLock;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import picocli.CommandLine.Command;

/** Compares the ledger with the state files; reports, never repairs. */
@Command(name = "reconcile", mixinStandardHelpOptions = true, description = {
        "Compares the ledger with the state files to the cent; only reads.",
        "ledger.qmd against the state files per invoice and per section and currency (the same invoices, amounts and"
                + " totals, no tolerance), the closed periods' files and the held payments. It never rewrites the"
                + " ledger. Beside a running service it leaves out the invoices changed since the ledger's last batch"
                + " (written every half second). It ends with how many state files it compared and how long it took."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the ledger agrees with the state files", "1:differences, one line each, or a rebuild is"
                + " unfinished", "2:a usage error: a bad configuration value, or no data folder"})
final class ReconcileCommand extends DataDirCommand {

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        Path dataDir = existingDataDir(settings, "reconcile");
        DataLayout layout = new DataLayout(dataDir);
        if (rebuildUnfinished(layout, "reconcile")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        PrintWriter out = out();
        long start = System.nanoTime();
        ReconcileReport report = reconcile(dataDir, settings.storeSettings().zone(), out);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (rebuildUnfinished(layout, "reconcile")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        report.differences().stream().map(Difference::toString).forEach(out::println);
        String inFlight = report.inFlight() == 0 ? ""
                : ", " + report.inFlight() + " changed since and not compared";
        if (report.agrees()) {
            out.printf("reconcile: the ledger agrees with the state files (%d invoices, log seq %d%s)%n",
                    report.invoices(), report.ledgerSeq(), inFlight);
        } else {
            out.printf("reconcile: %d differences%n", report.differences().size());
        }
        // The whole comparison's cost, which grows with the book: the figure an operator sizes the route by.
        out.printf(Locale.ROOT, "reconcile: compared %d state files with %s in %.2f s%n", report.invoices(),
                layout.ledger().getFileName(), seconds);
        return report.agrees() ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
    }

    /**
     * With the service stopped, holds the folder's lock so none starts midway, and compares
     * everything; beside a running service, leaves out what changed after the ledger's last batch.
     */
    private static ReconcileReport reconcile(Path dataDir, ZoneId zone, PrintWriter out) throws IOException {
        Reconciler reconciler = new Reconciler(new FileSystemStorage(), new DataLayout(dataDir), zone);
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dataDir);
        } catch (DataDirLock.DataDirLockedException running) {
            out.println("reconcile: the service is running; invoices changed since the ledger's last batch are not"
                    + " compared");
            ReconcileReport first = reconciler.reconcile(Reconciler.Mode.LIVE);
            if (first.agrees()) {
                return first;
            }
            return reconciler.reconcile(Reconciler.Mode.LIVE).confirmedBy(first);
        }
        try (lock) {
            return reconciler.reconcile(Reconciler.Mode.AT_REST);
        }
    }
}
