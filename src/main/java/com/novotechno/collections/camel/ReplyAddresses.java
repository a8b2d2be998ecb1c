package com.novotechno.collections.camel;

/**
 * Where the queue route may answer a sender: only a temporary queue that the message's
 * broker-validated sender made (CONTRACT section 4), never an address a producer names, which
 * would let it have the service write wherever the service may.
 */
@FunctionalInterface
public interface ReplyAddresses {

    /** An external broker cannot be asked who made a queue: nobody is answered. */
    ReplyAddresses NONE = (address, sender) -> false;

    boolean isTemporaryQueueOf(String address, String sender);
}
