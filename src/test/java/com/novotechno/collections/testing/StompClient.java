package com.novotechno.collections.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

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
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) > 0) {
            frame.write(c);
        }
        return frame.toString(StandardCharsets.UTF_8).stripLeading();
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
