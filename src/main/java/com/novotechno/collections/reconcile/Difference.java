package com.novotechno.collections.reconcile;

import java.util.Objects;

/** One way the ledger and the state files disagree, about one invoice, held payment, section or line. */
public record Difference(Kind kind, String subject, String detail) {

    public enum Kind {
        LEDGER_MISSING("ledger missing"),
        LEDGER_EDITED("ledger edited"),
        LEDGER_BEHIND("ledger behind"),
        LEDGER_AHEAD("ledger ahead"),
        LEDGER_UNREADABLE("ledger unreadable"),
        STATE_UNREADABLE("state file unreadable"),
        MISSING_FROM_LEDGER("missing from the ledger"),
        MISSING_FROM_STATE("missing from the state"),
        SECTION_DIFFERS("section differs"),
        AMOUNT_DIFFERS("amount differs"),
        ROW_DIFFERS("row differs"),
        TOTAL_DIFFERS("total differs"),
        AGEING_DIFFERS("ageing differs"),
        HELD_MISSING_FROM_LEDGER("held payment missing from the ledger"),
        HELD_MISSING_FROM_STATE("held payment missing from the state"),
        HELD_DIFFERS("held payment differs"),
        UNAPPLIED_TOTAL_DIFFERS("unapplied total differs");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Difference {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(detail);
    }

    @Override
    public String toString() {
        return kind.label() + ": " + subject + ": " + detail;
    }
}
