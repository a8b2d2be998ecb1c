package com.novotechno.collections.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.dunning.DunningClock;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.status.OverdueReport;
import com.novotechno.collections.status.OverdueReport.Overdue;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The open invoices past due, oldest first, read from the state files as status reads them. It only reads. */
@Command(name = "overdue", mixinStandardHelpOptions = true, description = {
        "Lists the open invoices past due, oldest first, with totals per currency.",
        "As of a date (default: today in collections.time-zone): CLIENT/INVOICE, section, due_on, days overdue,"
                + " balance and currency, dunning level (the highest requested) and whether it has a contact_email;"
                + " then per currency how many are overdue and their balance. From the state files.",
        "It only reads, so it may run beside the service."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:a rebuild is unfinished (rebuild.inprogress): nothing is listed",
                "2:a usage error: a bad --as-of, a bad configuration value, or no data folder"})
final class OverdueCommand extends DataDirCommand {

    @Option(names = "--as-of", paramLabel = "DATE",
            description = "The day to count from, yyyy-mm-dd (default: today in collections.time-zone).")
    String asOf;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        StoreSettings store = settings.storeSettings();
        LocalDate day = asOf == null ? DunningClock.today(store.clock().instant(), store.zone()) : parseAsOf(asOf);
        DataLayout layout = new DataLayout(existingDataDir(settings, "report on"));
        if (rebuildUnfinished(layout, "overdue")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        OverdueReport report = OverdueReport.of(StateFileScan.read(new FileSystemStorage(), layout, store.zone()), day);
        if (rebuildUnfinished(layout, "overdue")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        if (json) {
            printJson(toJson(report));
        } else {
            printText(report, out());
        }
        reportSkipped("overdue", report.unreadable());
        return CollectionsCommand.EXIT_OK;
    }

    private static void printText(OverdueReport report, PrintWriter out) {
        out.printf("overdue as of %s: %d open invoices past due%n", report.asOf(), report.invoices().size());
        if (!report.invoices().isEmpty()) {
            out.printf("%-32s %-10s %-10s %6s %20s %-8s %-16s %s%n", "invoice", "section", "due_on", "days", "balance",
                    "currency", "dunning_level", "contact");
            for (Overdue invoice : report.invoices()) {
                out.printf("%-32s %-10s %-10s %6d %20s %-8s %-16s %s%n", invoice.key(), invoice.section().heading(),
                        invoice.dueOn(), invoice.daysOverdue(), invoice.balance().toPlainString(),
                        invoice.balance().currency().getCurrencyCode(), invoice.level().orElse("-"),
                        invoice.hasContact() ? "yes" : "no");
            }
        }
        report.totals().forEach((currency, totals) -> out.printf("total %-8s %8d invoices %20s%n",
                currency.getCurrencyCode(), totals.invoices(), totals.balance().toPlainString()));
    }

    private static ObjectNode toJson(OverdueReport report) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("as_of", report.asOf().toString());
        ArrayNode invoices = root.putArray("invoices");
        for (Overdue invoice : report.invoices()) {
            invoices.addObject()
                    .put("client", invoice.key().client())
                    .put("invoice_number", invoice.key().invoiceNumber())
                    .put("section", invoice.section().name().toLowerCase(java.util.Locale.ROOT))
                    .put("due_on", invoice.dueOn().toString())
                    .put("days_overdue", invoice.daysOverdue())
                    .put("balance", invoice.balance().toPlainString())
                    .put("currency", invoice.balance().currency().getCurrencyCode())
                    .put("dunning_level", invoice.level().orElse(null))
                    .put("has_contact", invoice.hasContact());
        }
        ObjectNode totals = root.putObject("totals");
        report.totals().forEach((currency, sum) -> totals.putObject(currency.getCurrencyCode())
                .put("invoices", sum.invoices())
                .put("balance", sum.balance().toPlainString()));
        root.put("unreadable_state_files", report.unreadable().size());
        return root;
    }
}
