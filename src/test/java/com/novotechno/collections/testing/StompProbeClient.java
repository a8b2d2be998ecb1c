package com.novotechno.collections.testing;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The probes over STOMP in raw frames ({@link StompClient}), as a producer in another language
 * speaks it. Its refusals are ERROR frames, thrown as {@link Refused}. STOMP cannot browse.
 */
final class StompProbeClient implements ProbeClient {

    /** An ERROR frame where the client expected CONNECTED, RECEIPT or MESSAGE. */
    static final class Refused extends IOException {
        Refused(String frame) {
            super(frame);
        }
    }

    /** How long an answer the broker owes (a receipt) may take before the client gives up. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

    private final StompClient stomp;
    /** The receipts of subscriptions the broker has confirmed. */
    private final Set<String> confirmed = new HashSet<>();

    private StompProbeClient(StompClient stomp) {
        this.stomp = stomp;
    }

    static StompProbeClient open(int port, String user, String password) throws IOException {
        StompClient stomp = StompClient.open(port);
        try {
            expect("CONNECTED", stomp.connect(user, password));
        } catch (IOException e) {
            stomp.close();
            throw e;
        }
        return new StompProbeClient(stomp);
    }

    @Override
    public void send(String queue, String probe) throws IOException {
        // With a receipt: the broker answers RECEIPT once the message is on disk, or ERROR.
        expect("RECEIPT", stomp.send(queue, "probe", Map.of(PROPERTY, probe)));
    }

    /** Consumes with client acknowledgement: the probe counts as taken once the broker has confirmed its ACK. */
    @Override
    public boolean consume(String queue, String probe, Duration wait) throws IOException {
        String subscription = stomp.subscribe(queue, Map.of("selector", ProbeClient.selector(probe), "ack", "client-individual"));
        Instant end = Instant.now().plus(wait);
        Optional<String> message = next(end, frame -> frame.startsWith("MESSAGE")
                && StompClient.header(frame, PROPERTY).orElse("").equals(probe), subscription);
        if (message.isEmpty()) {
            return false;
        }
        String acknowledged = stomp.ack(message.get());
        next(Instant.now().plus(ANSWER_WAIT), frame -> isReceipt(frame, acknowledged), subscription)
                .orElseThrow(() -> new IOException("the broker did not confirm the ACK within " + ANSWER_WAIT));
        return true;
    }

    /**
     * The next frame the test wants, read until the deadline past RECEIPTs and other MESSAGEs; empty
     * if none came. An ERROR is the refusal; no answer at all to the subscription is a failure.
     */
    private Optional<String> next(Instant end, Predicate<String> wanted, String subscription) throws IOException {
        while (true) {
            Optional<String> frame = stomp.readFrame(Duration.between(Instant.now(), end));
            if (frame.isEmpty()) {
                if (!confirmed.contains(subscription)) {
                    throw new IOException("no answer to SUBSCRIBE");
                }
                return Optional.empty();
            }
            if (wanted.test(frame.get())) {
                return frame;
            }
            if (frame.get().startsWith("RECEIPT")) {
                confirmed.add(StompClient.header(frame.get(), "receipt-id").orElse(""));
            } else if (!frame.get().startsWith("MESSAGE")) {
                expect("MESSAGE", frame.get());
            }
        }
    }

    private static boolean isReceipt(String frame, String id) {
        return frame.startsWith("RECEIPT") && StompClient.header(frame, "receipt-id").orElse("").equals(id);
    }

    @Override
    public void subscribe(String address) throws IOException {
        String subscription = stomp.subscribe(address, Map.of("destination-type", "MULTICAST"));
        next(Instant.now().plus(ANSWER_WAIT), frame -> isReceipt(frame, subscription), subscription)
                .orElseThrow(() -> new IOException("the broker did not answer SUBSCRIBE within " + ANSWER_WAIT));
    }

    @Override
    public boolean browse(String queue, String probe, Duration wait) {
        throw new UnsupportedOperationException("Artemis' STOMP has no browsing subscriptions");
    }

    private static void expect(String command, String frame) throws IOException {
        if (frame.startsWith("ERROR")) {
            throw new Refused(frame);
        }
        if (!frame.startsWith(command)) {
            throw new IOException("expected " + command + ", got: " + frame);
        }
    }

    @Override
    public void close() throws IOException {
        stomp.close();
    }
}
