package com.novotechno.collections.camel;

import com.novotechno.collections.dunning.DunningClock;
import com.novotechno.collections.dunning.DunningDecision;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.state.CollectionsStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dunning route's run (CONTRACT section 3, "When"): once at start, then once a day from
 * {@code collections.dunning.at} in {@code collections.time-zone}. The planner decides from the
 * open invoices as the log implies them; each decision is logged by the store before anything is
 * emitted, so a crash between a decision and its emission loses nothing, and a run repeated after a
 * crash logs nothing twice. The timer route asks every minute; this decides whether a run is due.
 */
public final class DunningRun {

    private static final Logger LOG = LoggerFactory.getLogger(DunningRun.class);

    private final CollectionsStore store;
    private final DunningSettings settings;
    private final Clock clock;
    /** The day of the last run since start; null until the run at start. */
    private LocalDate lastRun;

    public DunningRun(CollectionsStore store, DunningSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** @return how many requests this call decided (0 when no run was due) */
    public synchronized int runIfDue() throws IOException {
        Instant now = clock.instant();
        LocalDate today = DunningClock.today(now, settings.zone());
        if (lastRun != null) {
            boolean ranToday = !today.isAfter(lastRun);
            if (ranToday || LocalTime.ofInstant(now, settings.zone()).isBefore(settings.at())) {
                return 0;
            }
        }
        lastRun = today;
        List<DunningDecision> logged = store.requestDunning(
                DunningPlanner.plan(store.dunningCandidates(), today, settings));
        LOG.info("dunning: run for {} in {} decided {} requests", today, settings.zone(), logged.size());
        return logged.size();
    }
}
