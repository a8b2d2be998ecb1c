package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.state.ApplyResult;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Applies messages from files, with the routes' checks and guarantees. A file ending in .jsonl
 * or .ndjson holds one message a line; any other file holds one message.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
        "Applies messages from JSON files (one message each) or JSON Lines files (.jsonl, .ndjson: one a line).",
        "Run it with the service stopped. Rejected messages are reported with file, line and reason;",
        "they do not stop the rest. Exit 0 when all were accepted (duplicates included), 1 if any was rejected."})
final class ImportCommand extends DataDirCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Message files to apply, in order.")
    List<Path> files;

    private long applied;
    private long duplicates;
    private long rejected;

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        PrintWriter out = out();
        PrintWriter err = err();
        try (CollectionsStore store = CollectionsStore.open(settings.dataDir(), settings.storeSettings(), err::println)) {
            for (Path file : files) {
                importFile(store, file, err);
            }
        } catch (UncheckedIOException storeFailed) {
            throw storeFailed.getCause();
        }
        out.printf("import: %d applied, %d duplicates, %d rejected%n", applied, duplicates, rejected);
        return rejected == 0 ? CollectionsCommand.EXIT_OK : CollectionsCommand.EXIT_FAULT;
    }

    private void importFile(CollectionsStore store, Path file, PrintWriter err) throws IOException {
        try {
            MessageFiles.read(file, (message, where) -> applyOne(store, message, where, err));
        } catch (NoSuchFileException e) {
            rejected++;
            err.println(file + ": rejected: no such file");
        } catch (IOException e) {
            // An unreadable input file is one bad input, not a reason to leave the others unapplied.
            rejected++;
            err.println(file + ": rejected: cannot read it: " + e.getMessage());
        }
    }

    private void applyOne(CollectionsStore store, byte[] message, String where, PrintWriter err) {
        try {
            ApplyResult result = applyOrStop(store, message);
            if (result.outcome() == ApplyResult.Outcome.APPLIED) {
                applied++;
            } else {
                duplicates++;
            }
        } catch (RejectedMessageException e) {
            rejected++;
            err.println(where + ": " + e.getMessage());
        }
    }

    /**
     * A failure of the store itself must stop the import, unlike an unreadable input file: it
     * leaves as unchecked so that importFile's handling of file errors cannot swallow it.
     */
    private static ApplyResult applyOrStop(CollectionsStore store, byte[] message) throws RejectedMessageException {
        try {
            return store.apply(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
