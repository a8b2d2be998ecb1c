package com.novotechno.collections.ledger;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** Days past due, in the buckets collections teams age balances by (CONTRACT section 5). */
public enum AgeingBucket {
    CURRENT("Current"),
    DAYS_1_30("1-30"),
    DAYS_31_60("31-60"),
    DAYS_61_90("61-90"),
    OVER_90("90+");

    private final String label;

    AgeingBucket(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Not yet past due (due today or later) is current; one day past due is 1-30. */
    public static AgeingBucket of(LocalDate dueOn, LocalDate asOf) {
        long daysPastDue = ChronoUnit.DAYS.between(dueOn, asOf);
        if (daysPastDue <= 0) {
            return CURRENT;
        }
        if (daysPastDue <= 30) {
            return DAYS_1_30;
        }
        if (daysPastDue <= 60) {
            return DAYS_31_60;
        }
        return daysPastDue <= 90 ? DAYS_61_90 : OVER_90;
    }
}
