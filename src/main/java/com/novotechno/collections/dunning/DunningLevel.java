package com.novotechno.collections.dunning;

import java.util.Objects;

/**
 * One rung of the dunning ladder (CONTRACT section 3).
 *
 * @param name      the level's name, as in the request and its request_id
 * @param days      days past due_on from which it may be requested
 * @param position  1 for the first level of the schedule
 * @param escalates true for the last level only: requesting it escalates the invoice
 */
public record DunningLevel(String name, int days, int position, boolean escalates) {

    public DunningLevel {
        Objects.requireNonNull(name, "name");
        if (days < 0 || position < 1) {
            throw new IllegalArgumentException("level " + name + ": days " + days + ", position " + position);
        }
    }

    @Override
    public String toString() {
        return days + ":" + name;
    }
}
