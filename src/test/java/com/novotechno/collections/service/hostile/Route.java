package com.novotechno.collections.service.hostile;

/** The two ways a message comes in. Each case's copy on a route has a client and message ids of its own (the tag). */
enum Route {
    INBOX("f"),
    QUEUE("q");

    private final String tag;

    Route(String tag) {
        this.tag = tag;
    }

    /** What {R} becomes in a body: one letter, so that names at their length limit stay there. */
    String tag() {
        return tag;
    }

    /** What {K} becomes: the case's client on this route, and the stem of its message ids. */
    String client(String caseName) {
        return caseName + "." + tag;
    }

    /** {K} and {R} of a body, a setup message or an expected reason, for this route's copy of a case. */
    String substitute(String caseName, String text) {
        return text.replace("{K}", client(caseName)).replace("{R}", tag);
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
