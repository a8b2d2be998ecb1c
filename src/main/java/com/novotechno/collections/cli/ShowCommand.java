package com.novotechno.collections.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Money;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.state.DunningStanding;
import com.novotechno.collections.state.InvoiceHistory;
import com.novotechno.collections.state.InvoiceHistory.Step;
import com.novotechno.collections.state.InvoiceState;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One invoice: where it stands and every log entry that brought it there, with the balance after
 * each. From the log, the truth the state files are written from; no lock, no write.
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows one invoice's state and its history from the event log.",
        "Its state (status, amount, balance, dates, contact or not, dunning level) and every log entry for it and"
                + " for its whole client (a pause, an erasure), in order: seq, time, type, source (a message, or the"
                + " service's own), amount, message_id, the balance after it, and the entry's other fields. An erased"
                + " client's personal values read [erased].",
        "It only reads, so it may run beside the service."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:the log never names the invoice, a rebuild is unfinished (rebuild.inprogress),"
                + " or the log is damaged", "2:a usage error: a malformed CLIENT/INVOICE, a bad configuration value, or"
                + " no data folder"})
final class ShowCommand extends DataDirCommand {

    @Parameters(index = "0", paramLabel = "CLIENT/INVOICE",
            description = "The invoice: its client and invoice_number, e.g. ACME/INV-2026-001.")
    String invoice;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        InvoiceKey key = parseKey(invoice);
        Settings settings = settings();
        DataLayout layout = new DataLayout(existingDataDir(settings, "show"));
        if (rebuildUnfinished(layout, "show")) {
            return CollectionsCommand.EXIT_FAULT;
        }
        Optional<InvoiceHistory> history;
        try {
            history = InvoiceHistory.fromLog(new FileSystemStorage(), layout, key);
        } catch (LogCorruptionException e) {
            err().println("show: " + e.getMessage());
            return CollectionsCommand.EXIT_FAULT;
        }
        if (history.isEmpty()) {
            err().println("show: no invoice " + key + " in " + layout.eventLog() + ": the log never names it");
            return CollectionsCommand.EXIT_FAULT;
        }
        if (json) {
            printJson(toJson(history.get()));
        } else {
            printText(history.get(), out());
        }
        return CollectionsCommand.EXIT_OK;
    }

    private InvoiceKey parseKey(String text) {
        int slash = text.indexOf('/');
        if (slash > 0) {
            String client = text.substring(0, slash);
            String number = text.substring(slash + 1);
            if (InvoiceKey.isValidName(client) && InvoiceKey.isValidName(number)) {
                return new InvoiceKey(client, number);
            }
        }
        String shown = text.length() <= 140 ? text : text.substring(0, 140) + "...";
        throw new CommandLine.ParameterException(spec.commandLine(), "expected CLIENT/INVOICE (a client and an"
                + " invoice_number, e.g. ACME/INV-2026-001), found '" + shown + "'");
    }

    private static void printText(InvoiceHistory history, PrintWriter out) {
        Optional<InvoiceState> state = history.record().invoice();
        if (state.isPresent()) {
            InvoiceState invoice = state.get();
            out.printf("%s: %s, amount %s, balance %s, issued %s, due %s, contact %s, dunning level %s (log seq %d)%n",
                    history.key(), invoice.status().wireName(), invoice.amount(), invoice.balance(), invoice.issuedOn(),
                    invoice.dueOn(), invoice.contactEmail().isPresent() ? "yes" : "no", DunningStanding.of(invoice).level().orElse("none"),
                    invoice.lastSeq());
        } else {
            out.printf("%s: not issued yet, %d payments held for it (log seq %d)%n", history.key(),
                    history.record().unapplied().size(), history.record().lastSeq());
        }
        out.printf("%-8s %-24s %-20s %-8s %20s %20s  %-36s %s%n", "seq", "time", "type", "source", "amount",
                "balance_after", "message_id", "details");
        for (Step step : history.steps()) {
            out.printf("%-8d %-24s %-20s %-8s %20s %20s  %-36s %s%n", step.entry().seq(), step.entry().time(),
                    step.entry().change().type().wireName(), step.source(), step.amount().map(Money::toString).orElse("-"),
                    step.balanceAfter().map(Money::toString).orElse("-"), step.entry().messageId(), details(step));
        }
        if (history.omitted() > 0) {
            out.printf("... and %d later entries not shown (at most %d are)%n", history.omitted(), InvoiceHistory.MAX_STEPS);
        }
    }

    /** The entry's fields but its amount, which has a column: key=value, in the log line's order. */
    private static String details(Step step) {
        StringJoiner details = new StringJoiner(" ");
        for (Iterator<Map.Entry<String, JsonNode>> fields = step.entry().data().fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("amount") && !field.getKey().equals("currency")) {
                details.add(field.getKey() + "=" + (field.getValue().isValueNode() ? field.getValue().asText() : field.getValue()));
            }
        }
        if (step.entry().invoice().isWholeClient()) {
            details.add("(for all of the client's invoices)");
        }
        return details.toString();
    }

    private static ObjectNode toJson(InvoiceHistory history) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("client", history.key().client());
        root.put("invoice_number", history.key().invoiceNumber());
        root.put("issued", history.record().invoice().isPresent());
        history.record().invoice().ifPresent(invoice -> {
            ObjectNode state = root.putObject("state");
            state.put("status", invoice.status().wireName());
            state.put("amount", invoice.amount().toPlainString());
            state.put("balance", invoice.balance().toPlainString());
            state.put("currency", invoice.amount().currency().getCurrencyCode());
            state.put("issued_on", invoice.issuedOn().toString());
            state.put("due_on", invoice.dueOn().toString());
            state.put("has_contact", invoice.contactEmail().isPresent());
            state.put("dunning_level", DunningStanding.of(invoice).level().orElse(null));
        });
        root.put("held_payments", history.record().unapplied().size());
        root.put("last_seq", history.record().lastSeq());
        ArrayNode events = root.putArray("events");
        for (Step step : history.steps()) {
            ObjectNode event = events.addObject();
            event.put("seq", step.entry().seq());
            event.put("time", step.entry().time().toString());
            event.put("type", step.entry().change().type().wireName());
            event.put("source", step.source());
            event.put("message_id", step.entry().messageId());
            event.put("whole_client", step.entry().invoice().isWholeClient());
            step.amount().ifPresent(amount -> event.put("amount", amount.toPlainString())
                    .put("currency", amount.currency().getCurrencyCode()));
            event.put("balance_after", step.balanceAfter().map(Money::toPlainString).orElse(null));
            event.set("data", step.entry().data());
        }
        root.put("omitted", history.omitted());
        return root;
    }
}
