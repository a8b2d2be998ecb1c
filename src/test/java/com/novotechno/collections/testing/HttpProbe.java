package com.novotechno.collections.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GETs from a running service's health and metrics server, as a probe or Prometheus does. */
public final class HttpProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpProbe() {
    }

    public record Answer(int status, String contentType, String body) {
    }

    public static Answer get(int port, String path) throws IOException, InterruptedException {
        return send(port, path, "GET");
    }

    public static Answer send(int port, String path, String method) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /**
     * The value of one sample in Prometheus text, {@code name{labels}} exactly as written there (labels in
     * Micrometer's order, which is alphabetical); fails when the sample is not there.
     */
    public static double sample(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        if (!matcher.find()) {
            throw new AssertionError("no sample " + series + " in:\n" + metrics);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /** The sample of {@code series} at {@code port}'s /metrics now. */
    public static double sample(int port, String series) throws IOException, InterruptedException {
        return sample(get(port, "/metrics").body(), series);
    }
}
