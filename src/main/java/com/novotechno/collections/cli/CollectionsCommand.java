package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.logging.LogSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar novotechno-collections.jar COMMAND [--data-dir DIR] [--config FILE] [--key=value ...]}
 * (CONTRACT section 5). Exit codes: 0 success, 1 a fault found or a message rejected, 2 a usage error.
 */
@Command(name = "novotechno-collections",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Invoice state and ledger service of NovoTechno Collections.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the command did what it was asked", "1:it found a fault, or a message was rejected",
                "2:a usage error: unknown command or option, bad configuration value, no data folder"},
        footer = {"", "Any configuration key can be given as --key=value, e.g. --collections.terms-days=14; before or after"
                + " COMMAND; 'run --help' lists them with their defaults. --config FILE (or COLLECTIONS_CONFIG) names a"
                + " file of them. 'help COMMAND' or 'COMMAND --help' explains a command.", ""},
        subcommands = {RunCommand.class, StatusCommand.class, ShowCommand.class, OverdueCommand.class, DunningCommand.class, DlqCommand.class,
                SubmitCommand.class, ImportCommand.class, VerifyCommand.class, ReconcileCommand.class, RebuildCommand.class,
                BackupCommand.class, RestoreCommand.class, HealthCommand.class,
                CommandLine.HelpCommand.class})
public final class CollectionsCommand implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAULT = 1;
    public static final int EXIT_USAGE = 2;
    /** Wide enough that a command's summary and an option's description fit on a line; a terminal of 100 columns or more. */
    static final int USAGE_WIDTH = 100;

    @Spec
    CommandSpec spec;

    /** A file of configuration keys; the environment's COLLECTIONS_CONFIG names one otherwise. */
    static final String CONFIG_OPTION = "--config";

    private final Map<String, String> environment;
    private final Optional<Path> configFile;
    private final Map<String, String> overrides;

    CollectionsCommand(Map<String, String> environment, Optional<Path> configFile, Map<String, String> overrides) {
        this.environment = environment;
        this.configFile = configFile;
        this.overrides = overrides;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Optional<Path> configFile = Optional.empty();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            // --collections.x=y is a configuration key and --config FILE a file of them (CONTRACT section 6), before or
            // after the command; everything else is picocli's.
            if (arg.startsWith("--collections.") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                overrides.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (arg.equals(CONFIG_OPTION) || arg.startsWith(CONFIG_OPTION + "=")) {
                String file = arg.equals(CONFIG_OPTION) ? (i + 1 < args.length ? args[++i] : "") : arg.substring(CONFIG_OPTION.length() + 1);
                if (file.isEmpty()) {
                    err.println("error: " + CONFIG_OPTION + " needs a FILE");
                    return EXIT_USAGE;
                }
                configFile = Optional.of(Path.of(file));
            } else {
                rest.add(arg);
            }
        }
        CommandLine commandLine = new CommandLine(new CollectionsCommand(environment, configFile, overrides));
        // Output echoes file names and message fields: escaped, so input cannot drive the terminal.
        commandLine.setOut(new PrintWriter(new PrintableWriter(out), true));
        commandLine.setErr(new PrintWriter(new PrintableWriter(err), true));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        commandLine.setUsageHelpWidth(USAGE_WIDTH);
        HelpText.install(commandLine, USAGE_WIDTH);
        // -V on any command prints the version, not an empty line: a subcommand's own provider is none.
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
        commandLine.getSubcommands().get("run").getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> ConfigurationHelp.text(USAGE_WIDTH));
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

    /** The configuration for a subcommand, with its --data-dir applied, and the logging it configures in force. */
    Settings settings(CommandSpec subcommand, DataDirOption dataDir) {
        Map<String, String> commandLine = new LinkedHashMap<>(overrides);
        if (dataDir.dataDir != null) {
            commandLine.put(Settings.DATA_DIR, dataDir.dataDir.toString());
        }
        try {
            Settings settings = Settings.load(environment, configFile, commandLine);
            // Before anything that logs: the service's first line is already in the configured format.
            LogSetup.apply(settings, LogSetup.jarFolder());
            settings.storeSettings(); // surface a bad value as a usage error now, not mid-run
            return settings;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(subcommand.commandLine(), e.getMessage());
        }
    }
}
