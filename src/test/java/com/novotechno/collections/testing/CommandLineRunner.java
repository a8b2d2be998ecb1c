package com.novotechno.collections.testing;

import com.novotechno.collections.cli.CollectionsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line run in the test's JVM as a user types it: what a command test extends. After
 * {@link #run}, {@link #out} and {@link #err} hold what it printed; {@link #environment} stands in
 * for the process environment.
 */
public abstract class CommandLineRunner {

    protected final Map<String, String> environment = new HashMap<>();
    protected String out;
    protected String err;

    protected int run(String... args) {
        StringWriter outBuffer = new StringWriter();
        StringWriter errBuffer = new StringWriter();
        int exit = CollectionsCommand.execute(args, environment, new PrintWriter(outBuffer, true),
                new PrintWriter(errBuffer, true));
        out = outBuffer.toString();
        err = errBuffer.toString();
        return exit;
    }

    /** What the command printed on stderr but the notice of a MAC key made at a folder's first start. */
    protected java.util.List<String> errorLines() {
        return err.lines().filter(line -> !line.startsWith("made the MAC key ")).toList();
    }
}
