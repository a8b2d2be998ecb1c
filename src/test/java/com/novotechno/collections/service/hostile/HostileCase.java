package com.novotechno.collections.service.hostile;

import java.util.List;
import java.util.Map;

/**
 * One line of cases.tsv: a hostile input, the messages that make the state it needs, how it is
 * delivered, and what each route is expected to do with it.
 *
 * @param body     a file in bodies/, generated:&lt;name&gt;, or "-" for a delivery that needs none
 * @param delivery "plain", or the special way of one route (cases.tsv's header lists them)
 */
record HostileCase(String name, List<String> setup, String body, String delivery, Map<Route, Expectation> expected,
                   String why) {

    static final String PLAIN = "plain";

    HostileCase {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,60}")) {
            // The name becomes a client ({K} = name.f) and a file name: it must be a valid one of both.
            throw new IllegalArgumentException("a case name is lower-case letters, digits and dashes, at most 61: " + name);
        }
        if (expected.size() != Route.values().length) {
            throw new IllegalArgumentException(name + ": an outcome for each route");
        }
    }

    Expectation expected(Route route) {
        return expected.get(route);
    }

    boolean runsOn(Route route) {
        return expected(route).kind() != Expectation.Kind.NOT_APPLICABLE;
    }

    /** The inbox file's name, or the queue message's HostileCase property: unique in the corpus. */
    String fileName() {
        return name + ".json";
    }

    @Override
    public String toString() {
        return name;
    }
}
