package com.novotechno.collections.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.service.BrokerCredentials;
import com.novotechno.collections.service.DeadLetters;
import com.novotechno.collections.service.DeadLetters.DeadLetter;
import com.novotechno.collections.service.DeadLetters.Listing;
import com.novotechno.collections.service.EmbeddedBroker;
import com.novotechno.collections.service.ServiceSettings;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The dead letters on the running service's broker, as the operator user: listed, and moved back once fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Lists dead letters, or moves them back to their queue once their cause is fixed.",
                "Logs in to the service's broker as the user 'operator' (its password from the data folder's"
                        + " broker-credentials.properties), or as collections.broker.user if set."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:see the subcommand", "1:see the subcommand", "2:a usage error: no subcommand, or a bad option"},
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Requeue.class})
final class DlqCommand implements Callable<Integer> {

    /** Characters of a body printed in the text listing; the JSON carries the whole body. */
    static final int EXCERPT_CHARS = 120;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("dlq: a subcommand is required: list or requeue");
        spec.commandLine().usage(spec.commandLine().getErr());
        return CollectionsCommand.EXIT_USAGE;
    }

    /** What both subcommands share: the operator's connection, and what to say when there is no broker. */
    abstract static class DlqSubcommand extends DataDirCommand {

        abstract String name();

        /** Connected as the operator; on failure says why and returns null (exit 1). */
        DeadLetters connect() {
            Settings settings = settings();
            ServiceSettings service = serviceSettings(settings);
            try {
                return DeadLetters.connect(BrokerLogin.factory(settings, service, BrokerCredentials.OPERATOR));
            } catch (BrokerLogin.NoCredentials e) {
                err().println(name() + ": " + e.getMessage());
            } catch (JMSException e) {
                err().println(name() + ": cannot reach the broker at " + service.connectUrl() + ": " + e.getMessage()
                        + (service.brokerUrl().isEmpty() ? " (is the service running on this data folder?)" : ""));
            }
            return null;
        }

        void failed(JMSException e) {
            err().println(name() + ": the broker failed: " + e.getMessage());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
            "Lists the messages on a dead-letter queue, oldest first, without taking any.",
            "Per message: JMS message id, time sent, the reason the service refused it (CollectionsRejectReason) or,"
                    + " for one the broker dead-lettered itself (redelivered too often, or expired), the address it came"
                    + " from and its delivery count; the message's type, message_id, client and invoice_number if its"
                    + " body is JSON; and an excerpt of the body. At most " + DeadLetters.MAX_LISTED + " messages."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "1:the broker cannot be reached (the service not running) or refuses the login",
                    "2:a usage error: an unknown --queue"})
    static final class ListDeadLetters extends DlqSubcommand {

        @Option(names = "--queue", paramLabel = "QUEUE", defaultValue = DeadLetters.INVOICES_DLQ,
                description = "collections.invoices.DLQ (default: the service's and the broker's dead letters of"
                        + " collections.invoices) or DLQ (the broker's for every other address, collections.emailer's too).")
        String queue;

        @Option(names = "--json", description = "Print one JSON object, with each message's whole body.")
        boolean json;

        @Override
        String name() {
            return "dlq list";
        }

        @Override
        public Integer call() throws IOException {
            if (!List.of(DeadLetters.INVOICES_DLQ, DeadLetters.BROKER_DLQ).contains(queue)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--queue must be "
                        + DeadLetters.INVOICES_DLQ + " or " + DeadLetters.BROKER_DLQ + ", found '" + queue + "'");
            }
            DeadLetters letters = connect();
            if (letters == null) {
                return CollectionsCommand.EXIT_FAULT;
            }
            Listing listing;
            try (letters) {
                listing = letters.list(queue);
            } catch (JMSException e) {
                failed(e);
                return CollectionsCommand.EXIT_FAULT;
            }
            if (json) {
                printJson(toJson(listing));
            } else {
                printText(listing, out());
            }
            return CollectionsCommand.EXIT_OK;
        }

        private static void printText(Listing listing, PrintWriter out) {
            out.printf("%s: %d dead letters%s%n", listing.queue(), listing.letters().size(),
                    listing.more() ? " (the first " + DeadLetters.MAX_LISTED + "; there are more)" : "");
            for (DeadLetter letter : listing.letters()) {
                out.println();
                out.printf("%s  %s%n", letter.jmsMessageId(), letter.time());
                out.println("  reason:   " + letter.reason().orElseGet(() -> brokerReason(letter)));
                Map<String, String> fields = letter.fields();
                if (!fields.isEmpty()) {
                    out.println("  message:  " + fields.entrySet().stream().map(field -> field.getKey() + "=" + field.getValue())
                            .collect(Collectors.joining(" ")));
                }
                out.println("  body:     " + letter.excerpt(EXCERPT_CHARS));
            }
        }

        /** A message the service never refused: the broker moved it, after too many deliveries or on expiry. */
        private static String brokerReason(DeadLetter letter) {
            return "dead-lettered by the broker (from " + letter.originalAddress().orElse("an unknown address")
                    + ", delivered " + letter.deliveryCount() + " times): redelivered too often, or expired";
        }

        private static ObjectNode toJson(Listing listing) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("queue", listing.queue());
            root.put("more", listing.more());
            ArrayNode messages = root.putArray("messages");
            for (DeadLetter letter : listing.letters()) {
                ObjectNode message = messages.addObject();
                message.put("jms_message_id", letter.jmsMessageId());
                message.put("time", letter.time().toString());
                message.put("reason", letter.reason().orElse(null));
                message.put("rejected_at", letter.rejectedAt().orElse(null));
                message.put("original_address", letter.originalAddress().orElse(null));
                message.put("delivery_count", letter.deliveryCount());
                letter.fields().forEach(message::put);
                message.put("body", letter.body());
            }
            return root;
        }
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true, description = {
            "Moves dead letters from collections.invoices.DLQ back to collections.invoices.",
            "Once their cause is fixed (say, the invoice a payment was for has since been issued). Each move is one"
                    + " transaction: taken off the DLQ and sent to the queue together, so a crash never loses or doubles"
                    + " one. The service applies it anew: one still refused comes back to the DLQ with its reason, one"
                    + " applied already is a duplicate. Prints each message moved."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every message named was moved", "1:a named id is not on the DLQ, or the broker cannot be"
                    + " reached", "2:a usage error: --all with ids, or neither"})
    static final class Requeue extends DlqSubcommand {

        /** Ids named at once: more is a job for --all. */
        static final int MAX_IDS = 1000;

        @Option(names = "--all", description = "Every message on collections.invoices.DLQ now (at most "
                + DeadLetters.MAX_LISTED + ").")
        boolean all;

        @Parameters(paramLabel = "MESSAGE_ID", arity = "0..*",
                description = "The JMS message ids to move, as 'dlq list' prints them (ID:...).")
        List<String> ids = new ArrayList<>();

        @Override
        String name() {
            return "dlq requeue";
        }

        @Override
        public Integer call() {
            if (all == !ids.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "name the MESSAGE_IDs to move, or --all, not both nor neither");
            }
            if (ids.size() > MAX_IDS) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "at most " + MAX_IDS + " MESSAGE_IDs at once, found " + ids.size() + ": use --all");
            }
            DeadLetters letters = connect();
            if (letters == null) {
                return CollectionsCommand.EXIT_FAULT;
            }
            int moved = 0;
            int missing = 0;
            try (letters) {
                List<String> named = all ? letters.list(DeadLetters.INVOICES_DLQ).letters().stream()
                        .map(DeadLetter::jmsMessageId).toList() : ids;
                for (String id : named) {
                    if (letters.requeue(DeadLetters.INVOICES_DLQ, id, EmbeddedBroker.INVOICES)) {
                        moved++;
                        out().println("requeued " + id + " to " + EmbeddedBroker.INVOICES);
                    } else {
                        missing++;
                        err().println("dlq requeue: no message " + id + " on " + DeadLetters.INVOICES_DLQ);
                    }
                }
            } catch (JMSException e) {
                failed(e);
                out().printf("dlq requeue: %d moved before the failure%n", moved);
                return CollectionsCommand.EXIT_FAULT;
            }
            out().printf("dlq requeue: %d moved, %d not found%n", moved, missing);
            return missing == 0 ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
        }
    }
}
