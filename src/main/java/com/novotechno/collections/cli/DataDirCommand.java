package com.novotechno.collections.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.service.ServiceSettings;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.storage.DataLayout;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command working on a data folder shares: its --data-dir, the configuration, and the output streams. */
abstract class DataDirCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    /** The configuration with --data-dir applied; a bad value is a usage error (exit 2). */
    Settings settings() {
        // The top command holds the configuration given on the command line, also for a group's subcommands (dlq list).
        return ((CollectionsCommand) spec.root().userObject()).settings(spec, dataDir);
    }

    /** The service's settings, for the commands that run it or talk to its broker; a bad value is a usage error. */
    ServiceSettings serviceSettings(Settings settings) {
        try {
            return ServiceSettings.of(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The data folder of a command that only reads it: a folder that is not there is a usage error. */
    Path existingDataDir(Settings settings, String verb) {
        if (!Files.isDirectory(settings.dataDir())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no data folder at " + settings.dataDir().toAbsolutePath() + ": nothing to " + verb);
        }
        return settings.dataDir();
    }

    /**
     * True, having said so, while a rebuild is unfinished: its state files and ledger may be
     * partial, so a command that reports from them must not (exit 1) until 'rebuild' has run
     * again. Reports call it before and after reading, to catch a rebuild that starts midway.
     */
    boolean rebuildUnfinished(DataLayout layout, String command) {
        if (!Files.exists(layout.rebuildMarker())) {
            return false;
        }
        err().println(command + ": a rebuild of " + layout.root() + " has not finished ("
                + layout.rebuildMarker().getFileName() + "), so its state files may be incomplete; run 'rebuild' to"
                + " finish it");
        return true;
    }

    /** An --as-of date; anything but yyyy-mm-dd is a usage error. */
    LocalDate parseAsOf(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            String shown = value.length() <= 40 ? value : value.substring(0, 40) + "...";
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--as-of must be an ISO date (yyyy-mm-dd), found '" + shown + "'");
        }
    }

    /** One JSON object, pretty printed: what --json prints. */
    void printJson(JsonNode json) throws JsonProcessingException {
        out().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    /** The state files a report from them left out, each named with why, so the numbers are not taken for whole. */
    void reportSkipped(String command, List<StateFileScan.Unreadable> unreadable) {
        for (StateFileScan.Unreadable file : unreadable) {
            err().println(command + ": skipped unreadable state file " + file.file() + ": " + file.problem() + " (run verify)");
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
