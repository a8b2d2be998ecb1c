package com.novotechno.collections.service;

import java.time.Duration;

/** What the service kill test's kills hit, counted as they happen, and its line of figures at the end. */
final class KillTally {

    int kills;
    /** Before the service said it was running: in recovery, the broker's start, the routes' start. */
    int duringStartUp;
    /** After a SIGTERM: in the stop's drain, ledger flush, clean checkpoint or snapshot. */
    int duringStop;
    /** Aimed at a background checkpoint's or a stop's snapshot's write (see the writes cut for the hits). */
    int atCheckpoint;
    int atSnapshot;
    /** Accepted messages delivered (a file dropped, a send confirmed) and not yet in the log at the kill. */
    int midTraffic;
    /** Kills that left a checkpoint's, a snapshot's or another file's atomic write unfinished. */
    int inCheckpointWrite;
    int inSnapshotWrite;
    int inOtherWrite;

    void count(ServiceKillTest.KillMoment moment, boolean beforeRunning) {
        kills++;
        duringStartUp += beforeRunning ? 1 : 0;
        duringStop += moment == ServiceKillTest.KillMoment.STOP || moment == ServiceKillTest.KillMoment.SNAPSHOT ? 1 : 0;
        atCheckpoint += moment == ServiceKillTest.KillMoment.CHECKPOINT ? 1 : 0;
        atSnapshot += moment == ServiceKillTest.KillMoment.SNAPSHOT ? 1 : 0;
    }

    String figures(int messages, int invalid, int duplicates, int requests, int revocations, int repeats, int lost,
                   int twice, int corrupt, Duration elapsed) {
        return String.format("service kills: %,d (%,d during start-up, %,d during a stop, %,d aimed at a checkpoint, %,d at a"
                        + " snapshot, %,d mid-traffic; writes cut: %,d checkpoint, %,d snapshot, %,d other), messages %,d"
                        + " (%,d invalid, %,d duplicates), dunning requests %,d and revocations %,d (%d came again after their take),"
                        + " lost %d, twice %d, corrupt %d,"
                        + " elapsed %ds (%.1fs a kill)",
                kills, duringStartUp, duringStop, atCheckpoint, atSnapshot, midTraffic, inCheckpointWrite, inSnapshotWrite,
                inOtherWrite, messages, invalid, duplicates, requests, revocations, repeats, lost, twice, corrupt, elapsed.toSeconds(),
                kills == 0 ? 0.0 : elapsed.toMillis() / 1000.0 / kills);
    }
}
