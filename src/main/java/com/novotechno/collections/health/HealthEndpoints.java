package com.novotechno.collections.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * What routes/http.yaml answers, from Camel's health-check registry (its context, route and consumer
 * checks, and the store's and broker's here) and from the findings:
 * <ul>
 *   <li>{@code live}: the process and its store work (Camel's context check and the store's); 200 or 503</li>
 *   <li>{@code ready}: every readiness check, so also the broker, every route started, every consumer
 *       connected; 200 or 503</li>
 *   <li>{@code all}: both, every check, and the findings, which never change the status code</li>
 *   <li>{@code metrics}: the Prometheus text</li>
 * </ul>
 */
public final class HealthEndpoints {

    /** The group of the service's own checks in Camel's registry. */
    static final String GROUP = "collections";
    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CamelContext camel;
    private final Findings findings;
    private final ServiceMetrics metrics;

    HealthEndpoints(CamelContext camel, Findings findings, ServiceMetrics metrics) {
        this.camel = camel;
        this.findings = findings;
        this.metrics = metrics;
    }

    public void live(Exchange exchange) {
        if (refusedForAnotherHost(exchange.getMessage())) {
            return;
        }
        Collection<HealthCheck.Result> results = liveness();
        answer(exchange.getMessage(), up(results), report(up(results), results));
    }

    public void ready(Exchange exchange) {
        if (refusedForAnotherHost(exchange.getMessage())) {
            return;
        }
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(camel);
        answer(exchange.getMessage(), up(results), report(up(results), results));
    }

    public void all(Exchange exchange) {
        if (refusedForAnotherHost(exchange.getMessage())) {
            return;
        }
        boolean live = up(liveness());
        boolean ready = up(HealthCheckHelper.invokeReadiness(camel));
        ObjectNode body = report(live && ready, HealthCheckHelper.invoke(camel));
        body.put("live", status(live));
        body.put("ready", status(ready));
        ArrayNode found = body.putArray("findings");
        for (Findings.Finding finding : findings.now()) {
            found.addObject().put("id", finding.id()).put("detail", finding.detail());
        }
        answer(exchange.getMessage(), live && ready, body);
    }

    public void metrics(Exchange exchange) {
        Message message = exchange.getMessage();
        if (refusedForAnotherHost(message)) {
            return;
        }
        ownHeadersOnly(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, PROMETHEUS);
        message.setBody(metrics.scrape());
    }

    /** Camel's context check and the store's: its route and consumer checks are readiness alone. */
    private Collection<HealthCheck.Result> liveness() {
        return HealthCheckHelper.invokeLiveness(camel);
    }

    /** Up when every check is; a registry with no check of the kind (none registered yet) is not up. */
    private static boolean up(Collection<HealthCheck.Result> results) {
        return !results.isEmpty() && results.stream().allMatch(result -> result.getState() == HealthCheck.State.UP);
    }

    private static ObjectNode report(boolean up, Collection<HealthCheck.Result> results) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("status", status(up));
        ArrayNode checks = body.putArray("checks");
        results.stream().sorted(Comparator.comparing(result -> result.getCheck().getId())).forEach(result -> {
            ObjectNode check = checks.addObject();
            check.put("id", result.getCheck().getId());
            check.put("status", result.getState().name());
            result.getMessage().ifPresent(text -> check.put("message", text));
            result.getError().ifPresent(error -> check.put("error", error.toString()));
        });
        return body;
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }

    /**
     * Camel makes the request's headers and query parameters headers of the message, and writes the message's headers
     * into the response: a web page could have 127.0.0.1 answer it with Access-Control-Allow-Origin: * (and read the
     * answer) or set a cookie. The answer carries only the headers set after this.
     */
    /**
     * DNS rebinding: a web page on a name its owner points at 127.0.0.1 is, to the browser, of the same origin as
     * these answers, and could read them. Only a request whose Host names this machine by its loopback address or
     * as localhost is answered; any other gets 403 (its Host not echoed).
     */
    private static boolean refusedForAnotherHost(Message message) {
        if (!(message instanceof org.apache.camel.component.platform.http.vertx.HttpMessage http)) {
            return false; // not asked over HTTP
        }
        // Camel's HTTP header filter leaves Host out of the message's headers: the request has it, as its authority
        // (HTTP/1.1's Host, HTTP/2's :authority, which a client that upgraded the connection sends instead).
        io.vertx.core.net.HostAndPort authority = http.getRequest().authority();
        String name = authority == null ? "" : authority.host().strip().toLowerCase(java.util.Locale.ROOT);
        if (name.equals(HttpSettings.HOST) || name.equals("localhost")) {
            return false;
        }
        ownHeadersOnly(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        message.setBody("refused: this server answers requests for " + HttpSettings.HOST + " or localhost only\n");
        return true;
    }

    private static void ownHeadersOnly(Message message) {
        message.removeHeaders("*");
    }

    private static void answer(Message message, boolean up, ObjectNode body) {
        ownHeadersOnly(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        message.setHeader(Exchange.CONTENT_TYPE, JSON);
        message.setBody(body.toString());
    }
}
