package com.novotechno.collections.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.backup.DataFolderRestore;
import com.novotechno.collections.config.Settings;
import com.novotechno.collections.service.ServiceSettings;
import com.novotechno.collections.state.StateFileScan;
import com.novotechno.collections.storage.DataLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.stream.Stream;
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

    /**
     * The data folder of a command that works on an existing store. One that does not exist, or
     * holds no event log, is a usage error naming it, and is left as it was: a mistyped --data-dir
     * must neither read as an empty book nor become a new one. Only 'run' (and 'import --create')
     * make a data folder.
     */
    Path existingDataDir(Settings settings, String verb) {
        return existingDataDir(settings, verb, "");
    }

    /** As {@link #existingDataDir(Settings, String)}, the refusal ending with {@code hint}. */
    Path existingDataDir(Settings settings, String verb, String hint) {
        Path folder = settings.dataDir();
        if (!Files.isDirectory(folder)) {
            throw usageError("no data folder at " + folder.toAbsolutePath() + ": nothing to " + verb + hint);
        }
        Path log = new DataLayout(folder).eventLog();
        if (!Files.isRegularFile(log)) {
            throw usageError(folder.toAbsolutePath() + " holds no event log (" + log.getFileName() + "), so it is not a"
                    + " data folder, or one whose log was lost (restore it from a backup): nothing to " + verb + hint);
        }
        return folder;
    }

    /**
     * A restore killed between its two renames left no data folder and its verified copy beside it: a new, empty
     * store made there would hide both. The operator finishes the restore (again, or by moving the copy in).
     */
    static void refuseWhereARestoreWasCutOff(Path folder) throws IOException {
        Optional<Path> copy = DataFolderRestore.cutOffCopy(folder);
        if (copy.isPresent()) {
            throw new IllegalStateException("no data folder at " + folder.toAbsolutePath() + ", but " + copy.get().getFileName()
                    + " beside it: a restore was cut off before it moved its verified copy into place (the old folder,"
                    + " if any, is beside it as .set-aside-*); run restore again, or move " + copy.get() + " to "
                    + folder.toAbsolutePath() + "; nothing was made");
        }
    }

    /**
     * The data folder a command may make: an existing one, a folder not there yet, or an empty one;
     * never a folder of other files, which a mistyped path (a home folder) would fill with a store.
     */
    Path newOrExistingDataDir(Settings settings) throws IOException {
        Path folder = settings.dataDir();
        refuseWhereARestoreWasCutOff(folder);
        if (Files.isDirectory(folder) && !Files.isRegularFile(new DataLayout(folder).eventLog())) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw usageError(folder.toAbsolutePath() + " is not empty and holds no event log (events.log):"
                            + " a new data folder is made only where there is none, or in an empty folder");
                }
            }
        }
        return folder;
    }

    CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
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

    static final int FIRST_AS_OF_YEAR = 1900;
    static final int LAST_AS_OF_YEAR = 9999;

    /** An --as-of date; anything but yyyy-mm-dd in the years 1900 to 9999 is a usage error. */
    LocalDate parseAsOf(String value) {
        try {
            LocalDate day = LocalDate.parse(value);
            // The years a message's dates may have: beyond them the planner's day arithmetic overflows.
            if (day.getYear() < FIRST_AS_OF_YEAR || day.getYear() > LAST_AS_OF_YEAR) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--as-of must fall in the years "
                        + FIRST_AS_OF_YEAR + " to " + LAST_AS_OF_YEAR + ", found '" + value + "'");
            }
            return day;
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
