package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar novotechno-collections.jar COMMAND [--data-dir DIR] [--key=value ...]}
 * (CONTRACT section 5). Exit codes: 0 success, 1 a fault found or a message rejected, 2 a usage error.
 */
@Command(name = "novotechno-collections",
        mixinStandardHelpOptions = true,
        version = "novotechno-collections 0.1.0",
        description = "Invoice state and ledger service of NovoTechno Collections.",
        footer = {"", "Any configuration key can be given as --key=value,", "e.g. --collections.terms-days=14.", ""},
        subcommands = {RunCommand.class, StatusCommand.class, DunningCommand.class, SubmitCommand.class, ImportCommand.class,
                VerifyCommand.class, ReconcileCommand.class, RebuildCommand.class, HealthCommand.class})
public final class CollectionsCommand implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAULT = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Map<String, String> overrides;

    CollectionsCommand(Map<String, String> environment, Map<String, String> overrides) {
        this.environment = environment;
        this.overrides = overrides;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            // --collections.x=y is a configuration key (CONTRACT section 6); everything else is picocli's.
            if (arg.startsWith("--collections.") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                overrides.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                rest.add(arg);
            }
        }
        CommandLine commandLine = new CommandLine(new CollectionsCommand(environment, overrides));
        // Output echoes file names and message fields: escaped, so input cannot drive the terminal.
        commandLine.setOut(new PrintWriter(new PrintableWriter(out), true));
        commandLine.setErr(new PrintWriter(new PrintableWriter(err), true));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return EXIT_FAULT;
        });
        return commandLine.execute(rest.toArray(String[]::new));
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("a COMMAND is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** The configuration for a subcommand, with its --data-dir applied. */
    Settings settings(CommandSpec subcommand, DataDirOption dataDir) {
        Map<String, String> commandLine = new LinkedHashMap<>(overrides);
        if (dataDir.dataDir != null) {
            commandLine.put(Settings.DATA_DIR, dataDir.dataDir.toString());
        }
        try {
            Settings settings = Settings.load(environment, commandLine);
            settings.storeSettings(); // surface a bad value as a usage error now, not mid-run
            return settings;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(subcommand.commandLine(), e.getMessage());
        }
    }
}
