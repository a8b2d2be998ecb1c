package com.novotechno.collections.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A STOMP 1.2 client in raw frames over a socket, as a producer in another language writes it:
 * nothing of the broker's own client libraries, so the tests see what such a client sees.
 */
public final class StompClient implements AutoCloseable {

    /** A frame's reads give up after this, so a broker that never answers fails the test instead of hanging it. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private int receipts;

    private StompClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public static StompClient open(Socket socket) throws IOException {
        return new StompClient(socket);
    }

    public static StompClient open(int port) throws IOException {
        return new StompClient(new Socket("127.0.0.1", port));
    }

    /** Sends CONNECT, with login and passcode unless null, and returns the answer: CONNECTED or ERROR. */
    public String connect(String login, String passcode) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept-version", "1.2");
        headers.put("host", "127.0.0.1");
        if (login != null) {
            headers.put("login", login);
            headers.put("passcode", passcode);
        }
        write("CONNECT", headers, "");
        return readFrame();
    }

    /** Sends to an anycast queue as the README shows, without a persistent header, and returns the answer to its receipt. */
    public String send(String queue, String body, Map<String, String> extraHeaders) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("destination", queue);
        headers.put("destination-type", "ANYCAST");
        headers.put("content-type", "application/json");
        headers.put("receipt", "r" + ++receipts);
        headers.putAll(extraHeaders);
        write("SEND", headers, body);
        return readFrame();
    }

    /** Subscribes to a queue and returns the next frame: a MESSAGE, or an ERROR if the broker refuses. */
    public String subscribeAndRead(String queue) throws IOException {
        write("SUBSCRIBE", Map.of("id", "1", "destination", queue, "destination-type", "ANYCAST", "ack", "auto"), "");
        return readFrame();
    }

    /**
     * Subscribes to a queue with extra headers (a selector, an ack mode) and a receipt, without
     * waiting: the RECEIPT, an ERROR, and MESSAGEs may come in any order, read with {@link #readFrame(Duration)}.
     *
     * @return the receipt's id
     */
    public String subscribe(String queue, Map<String, String> extraHeaders) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("id", "s" + ++receipts);
        headers.put("destination", queue);
        headers.put("destination-type", "ANYCAST");
        headers.put("ack", "auto");
        headers.put("receipt", "r" + receipts);
        headers.putAll(extraHeaders);
        write("SUBSCRIBE", headers, "");
        return "r" + receipts;
    }

    /** Acknowledges a MESSAGE frame of a client-acknowledged subscription, with a receipt, without waiting; returns the receipt's id. */
    public String ack(String messageFrame) throws IOException {
        String id = header(messageFrame, "ack").orElseThrow(() -> new IOException("no ack header in " + messageFrame));
        write("ACK", Map.of("id", id, "receipt", "r" + ++receipts), "");
        return "r" + receipts;
    }

    /** A header's value in a frame, if the frame has it. */
    public static Optional<String> header(String frame, String name) {
        int end = frame.indexOf("\n\n");
        for (String line : (end < 0 ? frame : frame.substring(0, end)).split("\n")) {
            if (line.startsWith(name + ":")) {
                return Optional.of(line.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    public String send(String queue, String body) throws IOException {
        return send(queue, body, Map.of());
    }

    private void write(String command, Map<String, String> headers, String body) throws IOException {
        StringBuilder frame = new StringBuilder(command).append('\n');
        headers.forEach((key, value) -> frame.append(key).append(':').append(value).append('\n'));
        frame.append('\n').append(body).append('\0');
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next frame, heart-beat newlines skipped; empty if the broker closed the connection. */
    public String readFrame() throws IOException {
        return readFrameFrom(in.read());
    }

    private String readFrameFrom(int first) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        for (int c = first; c > 0; c = in.read()) {
            frame.write(c);
        }
        return frame.toString(StandardCharsets.UTF_8).stripLeading();
    }

    /** The next frame if one begins within the wait, else empty; once begun, it is read whole as by {@link #readFrame()}. */
    public Optional<String> readFrame(Duration wait) throws IOException {
        int first;
        socket.setSoTimeout(Math.toIntExact(Math.max(1, wait.toMillis())));
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
        return Optional.of(readFrameFrom(first));
    }

    @Override
    public void close() throws IOException {
        try {
            write("DISCONNECT", Map.of(), "");
        } catch (IOException e) {
            // the broker may have closed the connection already, after an ERROR frame
        } finally {
            socket.close();
        }
    }
}
