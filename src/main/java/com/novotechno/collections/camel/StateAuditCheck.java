package com.novotechno.collections.camel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StateAudit;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state-audit route's logic: after start and then every reconciliation period, every state file is compared with the state
 * the event log implies and rewritten where it differs. A start repairs only what a crash may
 * have touched; a file that differs elsewhere was edited, deleted or damaged (or a disk is
 * failing), which an operator must hear of: the repairs come back as an alert, null when none.
 */
public final class StateAuditCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StateAuditCheck.class);
    /** Bounds the alert's size; the total is always given, and 'verify' on a stopped service lists them all. */
    static final int MAX_LISTED_REPAIRS = 1000;

    private final CollectionsStore store;
    private final Clock clock;
    private volatile boolean done;

    public StateAuditCheck(CollectionsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Whether the audit after start has run: until it has, the reconcile route waits (see {@link ReconcileCheck}). */
    public boolean done() {
        return done;
    }

    public String run() throws IOException {
        StateAudit.Report report = store.auditStateFiles();
        done = true;
        List<String> repairs = report.repairs();
        if (repairs.isEmpty()) {
            LOG.info("state audit: every state file agrees with the event log");
            return null;
        }
        ObjectNode node = PrettyJson.JSON.createObjectNode();
        node.put("type", "state-audit.alert");
        node.put("time", clock.instant().toString());
        node.put("repair_count", repairs.size());
        ArrayNode list = node.putArray("repairs");
        repairs.subList(0, Math.min(MAX_LISTED_REPAIRS, repairs.size())).forEach(list::add);
        return PrettyJson.of(node);
    }
}
