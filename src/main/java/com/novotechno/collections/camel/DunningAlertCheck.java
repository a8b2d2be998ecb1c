package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.DunningStep;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dunning-alerts route's logic (CONTRACT section 3, "Feedback"): one alert listing each
 * delivery the emailer reported failed (reminder.failed) and each request it did not acknowledge
 * within collections.dunning.ack-timeout (so emitted once more) that this run of the service has
 * not alerted yet. As for the other alerts, what was alerted is remembered in memory only: after a
 * restart the same troubles are alerted once more, which errs on the side of being heard.
 */
public final class DunningAlertCheck {

    /** Bounds one alert's size; the rest come with the next, and the count is always given. */
    static final int MAX_LISTED = 1000;

    private final CollectionsStore store;
    private final Clock clock;
    // What was written and sent: "request_id:failure:N" and "request_id:unacknowledged"; guarded by this.
    private final Set<String> alerted = new HashSet<>();
    private List<String> pending = List.of();

    public DunningAlertCheck(CollectionsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The alert's JSON, or null when nothing is new. The timer route never runs this concurrently. */
    public synchronized String run() {
        List<String> fresh = new ArrayList<>();
        ArrayNode list = PrettyJson.JSON.createArrayNode();
        int count = 0;
        for (CollectionsStore.RequestOf request : store.troubledRequests()) {
            DunningStep step = request.step();
            List<String[]> troubles = new ArrayList<>();
            for (int i = 0; i < step.failures().size(); i++) {
                troubles.add(new String[] {step.requestId() + ":failure:" + i, "failed", step.failures().get(i)});
            }
            if (step.emittedAttempts() == DunningStep.MAX_ATTEMPTS && !step.acknowledged()) {
                troubles.add(new String[] {step.requestId() + ":unacknowledged", "unacknowledged",
                        "no reminder.sent within collections.dunning.ack-timeout: emitted once more"});
            }
            for (String[] trouble : troubles) {
                if (alerted.contains(trouble[0])) {
                    continue;
                }
                count++;
                if (fresh.size() < MAX_LISTED) {
                    fresh.add(trouble[0]);
                    list.addObject()
                            .put("kind", trouble[1])
                            .put("request_id", step.requestId())
                            .put("client", request.key().client())
                            .put("invoice_number", request.key().invoiceNumber())
                            .put("level", step.level())
                            .put("detail", trouble[2]);
                }
            }
        }
        if (fresh.isEmpty()) {
            return null;
        }
        pending = fresh;
        ObjectNode node = PrettyJson.JSON.createObjectNode();
        node.put("type", "dunning.alert");
        node.put("time", clock.instant().toString());
        node.put("trouble_count", count);
        node.set("troubles", list);
        return PrettyJson.of(node);
    }

    /** The route calls this once the alert is written and sent. */
    public synchronized void alerted() {
        alerted.addAll(pending);
        pending = List.of();
    }
}
