package com.novotechno.collections.camel;

import com.novotechno.collections.domain.Printable;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The inbox's entries the file route never reads (notes.txt, a folder), each reported once per run
 * so that none sits there unnoticed, and none is reported at every poll. It remembers a bounded
 * number of names: beyond that it says once that the rest go unnamed, rather than grow or repeat.
 */
final class UnreadInboxEntries {

    /** Names remembered; more strays than this is a misdirected producer, and one warning says so. */
    static final int MAX_REMEMBERED = 10_000;
    static final String TAKEN = "only regular files named *.json (not starting with '.') are read; a name ending in"
            + " .tmp is taken as a file still being written";

    private final Consumer<String> warnings;
    private final int maxRemembered;
    private final Set<String> reported = new HashSet<>();
    private boolean full;

    UnreadInboxEntries(Consumer<String> warnings, int maxRemembered) {
        if (maxRemembered < 1) {
            throw new IllegalArgumentException("remembers at least one name, not " + maxRemembered);
        }
        this.warnings = warnings;
        this.maxRemembered = maxRemembered;
    }

    /** The poll passed over {@code name}; {@code directory} says which warning fits it. */
    synchronized void passedOver(String name, boolean directory) {
        if (reported.contains(name)) {
            return;
        }
        if (reported.size() == maxRemembered) {
            if (!full) {
                full = true;
                warnings.accept("inbox: more than " + maxRemembered + " entries are not read; the others are not named"
                        + " until the service restarts");
            }
            return;
        }
        reported.add(name);
        String shown = Printable.escape(name);
        warnings.accept(directory
                ? "inbox: " + shown + " is a directory, not read and left in the inbox: " + TAKEN
                : "inbox: " + shown + " is not read and stays in the inbox: " + TAKEN);
    }
}
