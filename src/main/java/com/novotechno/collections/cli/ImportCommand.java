package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Applies messages from files, with the routes' checks and guarantees. A file ending in .jsonl
 * or .ndjson holds one message a line; any other file holds one message. Messages go to the store
 * in batches of {@value #BATCH}, each covered by one fsync of the log, and are reported one by one.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
        "Applies message files to the store with the routes' checks, the service stopped.",
        "A .jsonl or .ndjson file holds one message a line; any other file holds one message. Files are applied in"
                + " the order given. Each rejected message is reported as FILE:LINE: message ID rejected: REASON and"
                + " does not stop the rest. The data folder must exist and hold an event log, unless --create is given."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every message was accepted (duplicates included)",
                "1:a message was rejected or a file unreadable (the rest were applied), a rebuild is unfinished, or the"
                        + " folder is in use by the service",
                "2:a usage error: no FILE, a bad configuration value, or no data folder (without --create)"})
final class ImportCommand extends DataDirCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Message files to apply, in order.")
    List<Path> files;

    @Option(names = "--create", description = "Make the data folder if there is none (a first migration into a new"
            + " store); without it, a folder that does not exist or holds no event log is refused.")
    boolean create;

    /** Messages a batch collects before one fsync covers them: big enough to amortise it, small in memory. */
    private static final int BATCH = 1000;

    private long applied;
    private long duplicates;
    private long rejected;
    private final List<byte[]> batch = new ArrayList<>();
    private final List<String> batchSources = new ArrayList<>();
    private ImportProgress progress;

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        if (create) {
            newOrExistingDataDir(settings);
        } else {
            existingDataDir(settings, "import into", " (import --create makes a new data folder)");
        }
        PrintWriter out = out();
        PrintWriter err = err();
        progress = new ImportProgress(MessageFiles.count(files), err, System.console() != null);
        try (CollectionsStore store = CollectionsStore.open(settings.dataDir(), settings.storeSettings(), err::println)) {
            for (Path file : files) {
                importFile(store, file, err);
            }
            applyBatch(store, err);
        } catch (UncheckedIOException storeFailed) {
            throw storeFailed.getCause();
        }
        progress.finish();
        out.printf("import: %d applied, %d duplicates, %d rejected%n", applied, duplicates, rejected);
        return rejected == 0 ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
    }

    private void importFile(CollectionsStore store, Path file, PrintWriter err) throws IOException {
        try {
            MessageFiles.read(file, (message, where) -> add(store, message, where, err));
        } catch (NoSuchFileException e) {
            rejected++;
            err.println(file + ": rejected: no such file");
        } catch (IOException e) {
            // An unreadable input file is one bad input, not a reason to leave the others unapplied.
            rejected++;
            err.println(file + ": rejected: cannot read it: " + e.getMessage());
        }
    }

    private void add(CollectionsStore store, byte[] message, String where, PrintWriter err) {
        batch.add(message);
        batchSources.add(where);
        if (batch.size() == BATCH) {
            applyBatch(store, err);
        }
    }

    /**
     * Applies the batch and reports each message as one by one would. A failure of the store itself
     * must stop the import, unlike an unreadable input file: it leaves as unchecked so that
     * importFile's handling of file errors cannot swallow it.
     */
    private void applyBatch(CollectionsStore store, PrintWriter err) {
        if (batch.isEmpty()) {
            return;
        }
        List<CollectionsStore.BatchOutcome> outcomes;
        try {
            outcomes = store.applyBatch(batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < outcomes.size(); i++) {
            CollectionsStore.BatchOutcome outcome = outcomes.get(i);
            if (outcome.rejection() != null) {
                rejected++;
                progress.clearLine();
                err.println(batchSources.get(i) + ": " + outcome.rejection().getMessage());
            } else if (outcome.result().outcome() == ApplyResult.Outcome.APPLIED) {
                applied++;
            } else {
                duplicates++;
            }
        }
        progress.done(outcomes.size());
        batch.clear();
        batchSources.clear();
    }
}
