package com.novotechno.collections.camel;

import com.novotechno.collections.state.StateAudit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The state-audit route's walk for stray files: the folders directly in state/open, state/archive and
 * state/unapplied (a client's, in each), listed when a cycle begins and sorted by name, so a client's
 * folders are walked together. Each tick lists the files of the next folders until it has listed its
 * share; a folder is listed whole (the storage lists no part of one), so a tick after a large client's
 * folder lists nothing until the share it took ahead is paid back. On average a tick lists its share,
 * and at most one tick's share plus the largest folder.
 *
 * <p>A folder made mid-cycle joins the next cycle. Not thread-safe: the timer route calls it in turn.
 */
final class StrayFileWalk {

    private static final Comparator<Path> ORDER =
            Comparator.comparing((Path entry) -> entry.getFileName().toString()).thenComparing(Comparator.naturalOrder());

    private final StateAudit files;
    private List<Path> folders = List.of();
    private int cursor;
    /** Files this tick may still list; below zero after a folder larger than the shares it had. */
    private long credit;
    private long cyclesBegun;
    private long ticksInCycle;
    private long lastCycleTicks;

    StrayFileWalk(StateAudit files) {
        this.files = files;
    }

    /**
     * @param share the files a tick lists on average; none saved up beyond one share
     * @return the files under this tick's folders, each a candidate the store checks under its invoice's lock
     */
    List<StateAudit.StateFile> next(long share) throws IOException {
        if (share < 1) {
            throw new IllegalArgumentException("a share of " + share + " files");
        }
        credit = Math.min(credit + share, share);
        if (cursor >= folders.size() && credit > 0) {
            begin();
        }
        ticksInCycle++;
        List<StateAudit.StateFile> found = new ArrayList<>();
        while (credit > 0 && cursor < folders.size()) {
            List<StateAudit.StateFile> listed = files.filesUnder(folders.get(cursor++));
            credit -= Math.max(1, listed.size()); // an empty folder costs its listing too
            found.addAll(listed);
        }
        return found;
    }

    private void begin() throws IOException {
        List<Path> listed = new ArrayList<>(files.entries());
        listed.sort(ORDER);
        folders = listed;
        cursor = 0;
        if (cyclesBegun > 0) {
            lastCycleTicks = ticksInCycle;
        }
        ticksInCycle = 0;
        cyclesBegun++;
    }

    /** Ticks the last finished cycle took: compared with the ticks of a full period. */
    long lastCycleTicks() {
        return lastCycleTicks;
    }

    long cyclesBegun() {
        return cyclesBegun;
    }

    @Override
    public String toString() {
        return "cycle " + cyclesBegun + ": " + cursor + " of " + folders.size() + " folders";
    }
}
