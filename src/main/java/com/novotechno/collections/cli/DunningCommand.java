package com.novotechno.collections.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.dunning.DunningCandidate;
import com.novotechno.collections.dunning.DunningClock;
import com.novotechno.collections.dunning.DunningDecision;
import com.novotechno.collections.dunning.DunningPlan;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningRequest;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.state.DunningCandidates;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a dunning run on a date would request, planned from the log as the service would plan it,
 * and nothing changed: no lock, no write, so it may run beside the service. A run itself is the
 * service's (the dunning route), which logs each decision before emitting it.
 */
@Command(name = "dunning", mixinStandardHelpOptions = true, description = {
        "With --dry-run, shows what a dunning run on a date would request; changes nothing.",
        "Per invoice and level: request_id, level, days overdue, late_by_days and contact; then how many open"
                + " invoices have no contact, are paused or are below collections.dunning.min-balance. The date is"
                + " today in collections.time-zone unless --as-of names one. It plans from the event log as the service"
                + " does, without the folder's lock, so it may run beside the service; the runs themselves are the"
                + " service's."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:planned", "1:a rebuild is unfinished (rebuild.inprogress), or the log is damaged before its"
                + " end (run verify)",
                "2:a usage error: no --dry-run, a bad --as-of or configuration value, or no data folder"})
final class DunningCommand extends DataDirCommand {

    @Option(names = "--dry-run", description = "Plan only; required (a run is the service's).")
    boolean dryRun;

    @Option(names = "--as-of", paramLabel = "DATE", description = "The run's date, yyyy-mm-dd (default: today in the zone).")
    String asOf;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!dryRun) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "only 'dunning --dry-run' is a command: the service itself runs dunning (the dunning route)");
        }
        Settings settings = settings();
        DunningSettings dunning = dunningSettings(settings);
        LocalDate today = asOf == null ? DunningClock.today(Instant.now(), dunning.zone()) : parseAsOf(asOf);
        DataLayout layout = new DataLayout(existingDataDir(settings, "plan from"));
        if (rebuildUnfinished(layout, "dunning")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        List<DunningCandidate> candidates;
        try {
            candidates = DunningCandidates.fromLog(new FileSystemStorage(), layout);
        } catch (LogCorruptionException e) {
            err().println("dunning: " + e.getMessage());
            return CollectionsCommand.EXIT_FAULT;
        }
        if (rebuildUnfinished(layout, "dunning")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        DunningPlan plan = DunningPlanner.planRun(candidates, today, dunning);
        if (json) {
            out().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(plan, dunning)));
        } else {
            printText(plan, dunning, out());
        }
        return CollectionsCommand.EXIT_OK;
    }

    private DunningSettings dunningSettings(Settings settings) {
        try {
            return DunningSettings.of(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void printText(DunningPlan plan, DunningSettings settings, PrintWriter out) {
        int requests = plan.decisions().size();
        out.printf("dunning dry run for %s (%s): %d %s, nothing changed%n", plan.today(), settings.zone(), requests,
                requests == 1 ? "request" : "requests");
        plan.quietReason().ifPresent(out::println);
        if (!plan.decisions().isEmpty()) {
            out.printf("%-36s %-16s %12s %12s %-24s %s%n", "request_id", "level", "days_overdue", "late_by_days",
                    "invoice", "contact");
            for (DunningDecision decision : plan.decisions()) {
                DunningRequest request = decision.request();
                out.printf("%-36s %-16s %12d %12d %-24s %s%n", request.requestId(), request.level(),
                        request.daysOverdue(), request.lateByDays(), decision.key(),
                        request.contactEmail() == null ? "-" : request.contactEmail());
            }
        }
        out.println("per level: " + plan.requestsPerLevel().entrySet().stream()
                .map(level -> level.getKey() + " " + level.getValue()).collect(Collectors.joining(", ")));
        String noContact = plan.noContact().isEmpty() ? ""
                : plan.noContact().stream().map(InvoiceKey::toString).collect(Collectors.joining(", ", " (", ")"));
        out.printf("no contact: %d%s, paused: %d, below min balance: %d%n", plan.noContact().size(), noContact,
                plan.paused(), plan.belowMinBalance());
    }

    private static ObjectNode toJson(DunningPlan plan, DunningSettings settings) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("as_of", plan.today().toString());
        root.put("time_zone", settings.zone().getId());
        root.put("quiet_reason", plan.quietReason().orElse(null));
        ArrayNode requests = root.putArray("requests");
        // The very requests the emailer would receive, so a dry run reads like the outbox.
        plan.decisions().forEach(decision -> requests.add(mapper.<ObjectNode>valueToTree(decision.request())));
        ObjectNode perLevel = root.putObject("requests_per_level");
        plan.requestsPerLevel().forEach(perLevel::put);
        root.put("no_contact", plan.noContact().size());
        ArrayNode noContact = root.putArray("no_contact_invoices");
        plan.noContact().forEach(key -> noContact.add(key.toString()));
        root.put("paused", plan.paused());
        root.put("below_min_balance", plan.belowMinBalance());
        return root;
    }
}
