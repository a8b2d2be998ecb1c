package com.novotechno.collections.camel;

import com.novotechno.collections.state.ApplyResult;

/**
 * What one intake route (the inbox or the queue) tells its metrics: each message accepted, with how long
 * the store took, and each one rejected. The beans stay independent of the metrics library; the default
 * counts nothing.
 */
public interface IntakeMeter {

    IntakeMeter NONE = new IntakeMeter() {
        @Override
        public void accepted(ApplyResult.Outcome outcome, long nanos) {
        }

        @Override
        public void rejected() {
        }
    };

    /** A message the store applied, or recognised as a duplicate, in {@code nanos} (its fsync included). */
    void accepted(ApplyResult.Outcome outcome, long nanos);

    /** A message refused with a reason: dead-lettered, or moved to rejected/. */
    void rejected();
}
