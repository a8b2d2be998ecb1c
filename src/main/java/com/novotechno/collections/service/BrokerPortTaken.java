package com.novotechno.collections.service;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The embedded broker cannot listen on a port it is configured for: one line for the operator naming the
 * port and the option that changes it. Checked before the broker starts, so that its own errors (a stack
 * trace of 25 lines) never come first; a port taken between the check and the broker's bind is reported
 * alike from the broker's failure.
 */
public final class BrokerPortTaken extends IOException {

    private static final long serialVersionUID = 1L;

    BrokerPortTaken(String host, int port, String key, String reason, Throwable cause) {
        super("port " + port + " on " + host + " " + reason + "; choose another with --" + key + "=N", cause);
    }

    /** Binds the address and lets it go at once: what the broker's acceptor will do next, without its noise. */
    static void requireFree(String host, int port, String key) throws BrokerPortTaken {
        try (ServerSocket probe = new ServerSocket()) {
            // As the broker's acceptor binds: a port left in TIME_WAIT by a stopped service is free to it.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw taken(host, port, key, e);
        } catch (IOException e) {
            throw new BrokerPortTaken(host, port, key, "cannot be listened on (" + Causes.rootMessage(e) + ")", e);
        }
    }

    static BrokerPortTaken taken(String host, int port, String key, Throwable cause) {
        String reason = Causes.rootMessage(cause);
        return new BrokerPortTaken(host, port, key, reason.contains("in use") ? "is taken by another program"
                : "cannot be listened on (" + reason + ")", cause);
    }
}
