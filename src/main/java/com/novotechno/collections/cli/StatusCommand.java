package com.novotechno.collections.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.dunning.DunningClock;
import com.novotechno.collections.dunning.DunningSchedule;
import com.novotechno.collections.ledger.AgeingBucket;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.UnappliedStatus;
import com.novotechno.collections.ledger.UnappliedTotals;
import com.novotechno.collections.state.HeldPaymentScan;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.status.DunningCounts;
import com.novotechno.collections.status.PortfolioStatus;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Counts, totals per section and currency, ageing as of today and held payments, read from the state files. It only reads. */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
        "Reports counts, totals, ageing, held payments and dunning from the state files.",
        "Open counts (unpaid, escalated) and closed ones (paid, credited, void, written off); totals per section"
                + " and currency, with the amount credited or written off; the ageing of open balances (current, 1-30,"
                + " 31-60, 61-90, 90+ days past due) as of today in collections.time-zone; the payments held for"
                + " invoices not yet issued (waiting, and to refund) per currency; and per dunning level the open invoices"
                + " at it and the requests awaiting acknowledgement.",
        "It only reads, so it may run beside the service."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reported", "1:a rebuild is unfinished (rebuild.inprogress): nothing is reported",
                "2:a usage error: a bad configuration value, or no data folder (none there, or without events.log)"})
final class StatusCommand extends DataDirCommand {

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        DataLayout layout = new DataLayout(existingDataDir(settings, "report on"));
        if (rebuildUnfinished(layout, "status")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        StoreSettings store = settings.storeSettings();
        DunningSchedule schedule = schedule(settings);
        LocalDate today = DunningClock.today(store.clock().instant(), store.zone());
        FileSystemStorage storage = new FileSystemStorage();
        PortfolioStatus status = PortfolioStatus.of(StateFileScan.read(storage, layout, store.zone()),
                HeldPaymentScan.read(storage, layout), today, schedule);
        if (rebuildUnfinished(layout, "status")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        if (json) {
            printJson(toJson(status));
        } else {
            printText(status, out());
        }
        reportSkipped("status", status.unreadable());
        return CollectionsCommand.EXIT_OK;
    }

    /** Only the schedule: status reports levels, it plans nothing. A bad one is a usage error. */
    private DunningSchedule schedule(Settings settings) {
        try {
            return DunningSchedule.parse(settings.get(Settings.DUNNING_SCHEDULE));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Package-private, as {@link #toJson}, so a test can print sections the state files cannot make yet. */
    static void printText(PortfolioStatus status, PrintWriter out) {
        List<String> open = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        for (LedgerSection section : LedgerSection.values()) {
            (section.isOpen() ? open : closed).add(status.count(section) + " " + section.heading().toLowerCase(Locale.ROOT));
        }
        out.printf("status as of %s: %d open invoices (%s), %s%n", status.asOf(), status.openCount(),
                String.join(", ", open), String.join(", ", closed));
        out.println();
        // closed: the amount credited (Credited) or written off (Written off); the other sections have none.
        out.printf("%-12s %-8s %8s %20s %20s %20s%n", "section", "currency", "invoices", "amount", "balance", "closed");
        for (LedgerSection section : LedgerSection.values()) {
            for (CurrencyTotals totals : status.totals().get(section).values()) {
                out.printf("%-12s %-8s %8d %20s %20s %20s%n", section.heading(), totals.currency().getCurrencyCode(),
                        totals.invoices(), totals.amount().toPlainString(), totals.balance().toPlainString(),
                        section.closedAmountColumn().isPresent() ? totals.closedAmount().toPlainString() : "-");
            }
        }
        out.println();
        out.printf("unapplied payments: %d held for an invoice not yet issued, %d to refund%n",
                status.heldCount(UnappliedStatus.HELD), status.heldCount(UnappliedStatus.TO_REFUND));
        if (!status.unapplied().isEmpty()) {
            out.printf("%-10s %-8s %8s %20s%n", "unapplied", "currency", "payments", "amount");
            for (UnappliedTotals totals : status.unapplied()) {
                out.printf("%-10s %-8s %8d %20s%n", totals.status().label(), totals.currency().getCurrencyCode(),
                        totals.payments(), totals.amount().toPlainString());
            }
        }
        printDunning(status.dunning(), out);
        out.println();
        out.printf("%-8s", "ageing");
        for (AgeingBucket bucket : AgeingBucket.values()) {
            out.printf(" %18s", bucket.label());
        }
        out.println();
        for (Map.Entry<Currency, Map<AgeingBucket, Money>> row : status.ageing().balances().entrySet()) {
            out.printf("%-8s", row.getKey().getCurrencyCode());
            for (AgeingBucket bucket : AgeingBucket.values()) {
                out.printf(" %18s", row.getValue().get(bucket).toPlainString());
            }
            out.println();
        }
    }

    private static void printDunning(DunningCounts dunning, PrintWriter out) {
        out.println();
        out.printf("dunning: %d open invoices at no level yet, %d unpaid without contact_email, %d paused,"
                + " %d requests failed%n", dunning.notRequested(), dunning.noContact(), dunning.paused(), dunning.failed());
        out.printf("%-32s %8s %12s%n", "level", "invoices", "awaiting ack");
        dunning.levels().forEach((level, counts) -> out.printf("%-32s %8d %12d%n", level, counts.invoices(),
                counts.awaitingAcknowledgement()));
    }

    /** snake_case, as every key of the JSON: WRITTEN_OFF and "Written off" give written_off. */
    private static String jsonKey(String name) {
        return name.toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    static ObjectNode toJson(PortfolioStatus status) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("as_of", status.asOf().toString());
        ObjectNode counts = root.putObject("invoices");
        counts.put("open", status.openCount());
        for (LedgerSection section : LedgerSection.values()) {
            if (!section.isOpen()) {
                counts.put(jsonKey(section.name()), status.count(section));
            }
        }
        ObjectNode sections = root.putObject("sections");
        for (LedgerSection section : LedgerSection.values()) {
            ObjectNode bySection = sections.putObject(jsonKey(section.name()));
            bySection.put("open", section.isOpen());
            bySection.put("invoices", status.count(section));
            ObjectNode byCurrency = bySection.putObject("totals");
            for (CurrencyTotals totals : status.totals().get(section).values()) {
                ObjectNode inCurrency = byCurrency.putObject(totals.currency().getCurrencyCode())
                        .put("invoices", totals.invoices())
                        .put("amount", totals.amount().toPlainString())
                        .put("balance", totals.balance().toPlainString());
                section.closedAmountColumn().ifPresent(column ->
                        inCurrency.put(jsonKey(column), totals.closedAmount().toPlainString()));
            }
        }
        ObjectNode ageing = root.putObject("ageing");
        status.ageing().balances().forEach((currency, buckets) -> {
            ObjectNode byBucket = ageing.putObject(currency.getCurrencyCode());
            buckets.forEach((bucket, balance) -> byBucket.put(bucket.label().toLowerCase(Locale.ROOT), balance.toPlainString()));
        });
        ObjectNode unapplied = root.putObject("unapplied");
        for (UnappliedStatus held : UnappliedStatus.values()) {
            ObjectNode byStatus = unapplied.putObject(held.name().toLowerCase(Locale.ROOT));
            byStatus.put("payments", status.heldCount(held));
            ObjectNode byCurrency = byStatus.putObject("totals");
            status.unapplied().stream().filter(t -> t.status() == held).forEach(t -> byCurrency
                    .putObject(t.currency().getCurrencyCode())
                    .put("payments", t.payments())
                    .put("amount", t.amount().toPlainString()));
        }
        ObjectNode dunning = root.putObject("dunning");
        ObjectNode levels = dunning.putObject("levels");
        status.dunning().levels().forEach((level, atLevel) -> levels.putObject(level)
                .put("invoices", atLevel.invoices())
                .put("awaiting_acknowledgement", atLevel.awaitingAcknowledgement()));
        dunning.put("not_requested", status.dunning().notRequested());
        dunning.put("no_contact", status.dunning().noContact());
        dunning.put("paused", status.dunning().paused());
        dunning.put("failed", status.dunning().failed());
        root.put("unreadable_state_files", status.unreadable().size());
        return root;
    }
}
