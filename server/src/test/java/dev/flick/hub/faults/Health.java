package dev.flick.hub.faults;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

/**
 * One answer of /actuator/health, read with the contract's 2 s limit (docs/durability.md, Health): a request that
 * takes longer counts as not answered. Components are read at {@code components.<name>.status}, details (admins
 * only) at {@code components.<name>.details}.
 */
public record Health(int status, JsonNode body, long millis, String failure) {

    public static final Duration LIMIT = Duration.ofSeconds(2);

    /** Reads the health once; {@code token} null asks as anyone, an admin's access token asks for the details. */
    public static Health read(int port, String token) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = HubProcess.get(port, "/actuator/health", token, LIMIT);
            long ms = (System.nanoTime() - start) / 1_000_000;
            JsonNode body = null;
            try {
                body = HubClient.JSON.readTree(r.body());
            } catch (RuntimeException e) {
                // not JSON: keep the status
            }
            return new Health(r.statusCode(), body, ms, null);
        } catch (HttpTimeoutException e) {
            return new Health(0, null, (System.nanoTime() - start) / 1_000_000, "no answer within " + LIMIT.toMillis() + " ms");
        } catch (IOException e) {
            return new Health(0, null, (System.nanoTime() - start) / 1_000_000, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(0, null, (System.nanoTime() - start) / 1_000_000, "interrupted");
        }
    }

    public boolean answered() {
        return status != 0;
    }

    /** The overall status (UP, DOWN, …), or null. */
    public String overall() {
        return body == null || body.get("status") == null ? null : body.get("status").asString();
    }

    /** {@code components.<name>.status}, or null when the component is not there. */
    public String component(String name) {
        JsonNode c = body == null ? null : body.path("components").get(name);
        return c == null || c.get("status") == null ? null : c.get("status").asString();
    }

    /** {@code components.<name>.details}, or null when not shown. */
    public JsonNode details(String name) {
        JsonNode c = body == null ? null : body.path("components").get(name);
        return c == null ? null : c.get("details");
    }

    @Override
    public String toString() {
        return failure != null ? "health: " + failure + " after " + millis + " ms"
                : "health: HTTP " + status + " in " + millis + " ms " + body;
    }
}
