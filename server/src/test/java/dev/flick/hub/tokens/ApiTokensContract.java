package dev.flick.hub.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API tokens over real HTTP on a real hub: shown once, stored as a hash, limited to their scope, their servers and
 * their owner's rights, refused at once when revoked, expired or their owner is disabled. Each test stands alone.
 */
abstract class ApiTokensContract {

    static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokens apiTokens;

    HubClient hub() {
        return new HubClient(port);
    }

    String localServerId(String admin) {
        for (JsonNode s : hub().get("/api/v1/servers", admin).json()) {
            if ("local".equals(s.path("mode").asString())) return s.path("id").asString();
        }
        throw new AssertionError("no local server");
    }

    JsonNode create(String jwt, String body) {
        HubClient.Response r = hub().post("/api/v1/tokens", body, jwt);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void aTokenIsShownOnceListedWithoutItAndRefusedOnceRevoked() {
        String admin = hub().admin();
        JsonNode created = create(admin, "{\"name\":\"grafana\",\"scope\":\"read\"}");
        String token = created.path("token").asString();
        assertThat(token).startsWith("flk_").hasSizeGreaterThanOrEqualTo(4 + 43);
        assertThat(created.path("name").asString()).isEqualTo("grafana");
        assertThat(created.path("scope").asString()).isEqualTo("read");
        assertThat(created.path("createdAt").asLong()).isPositive();
        String id = created.path("id").asString();

        assertThat(hub().get("/api/v1/servers", token).status()).isEqualTo(200);
        HubClient.Response list = hub().get("/api/v1/tokens", admin);
        assertThat(list.body()).contains(id).doesNotContain(token).doesNotContain("\"token\"");
        JsonNode mine = null;
        for (JsonNode t : list.json()) if (id.equals(t.path("id").asString())) mine = t;
        assertThat(mine).isNotNull();
        assertThat(mine.path("lastUsedAt").asLong()).isPositive();

        assertThat(hub().delete("/api/v1/tokens/" + id, admin).status()).isEqualTo(204);
        HubClient.Response after = hub().get("/api/v1/servers", token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.body()).doesNotContain(token);
        assertThat(hub().get("/api/v1/tokens", admin).body()).doesNotContain(id);
        assertThat(hub().delete("/api/v1/tokens/" + id, admin).status()).isEqualTo(404);
    }

    @Test
    void theDatabaseHoldsOnlyTheTokensHash() throws Exception {
        String admin = hub().admin();
        JsonNode created = create(admin, "{\"name\":\"hash check\",\"scope\":\"manage\"}");
        String token = created.path("token").asString();
        List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM api_tokens WHERE id = ?").param(created.path("id").asString())
                .query().listOfRows();
        assertThat(rows).hasSize(1);
        String secret = token.substring(4);
        for (Object v : rows.get(0).values()) {
            assertThat(String.valueOf(v)).doesNotContain(secret);
        }
        assertThat(rows.get(0).get("token_hash")).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void aReadTokenOnlyReadsAndAManageTokenActsAsItsOwner() {
        String admin = hub().admin();
        String local = localServerId(admin);
        String read = create(admin, "{\"name\":\"reader\",\"scope\":\"read\"}").path("token").asString();
        assertThat(hub().get("/api/v1/servers/" + local, read).status()).isEqualTo(200);
        assertThat(hub().post("/api/v1/servers", "{\"name\":\"x\",\"mode\":\"agent\"}", read).status()).isEqualTo(403);
        assertThat(hub().patch("/api/v1/servers/" + local, "{\"name\":\"renamed\"}", read).status()).isEqualTo(403);
        assertThat(hub().delete("/api/v1/servers/" + local, read).status()).isEqualTo(403);
        assertThat(hub().get("/api/v1/servers/" + local, admin).json().path("name").asString()).isNotEqualTo("renamed");

        String manage = create(admin, "{\"name\":\"automation\",\"scope\":\"manage\"}").path("token").asString();
        HubClient.Response added = hub().post("/api/v1/servers", "{\"name\":\"by-token\",\"mode\":\"agent\"}", manage);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(hub().delete("/api/v1/servers/" + added.json().path("id").asString(), manage).status()).isEqualTo(204);
        // A token cannot mint tokens that would outlive its own revocation.
        assertThat(hub().post("/api/v1/tokens", "{\"name\":\"child\",\"scope\":\"manage\"}", manage).status()).isEqualTo(403);
    }

    @Test
    void serverIdsNarrowTheRestAndMetrics() {
        String admin = hub().admin();
        String local = localServerId(admin);
        String other = hub().post("/api/v1/servers", "{\"name\":\"outside\",\"mode\":\"agent\"}", admin).json().path("id").asString();
        JsonNode created = create(admin, "{\"name\":\"one server\",\"scope\":\"read\",\"serverIds\":[\"" + local + "\"]}");
        assertThat(created.path("serverIds").get(0).asString()).isEqualTo(local);
        String token = created.path("token").asString();

        assertThat(hub().get("/api/v1/servers/" + local, token).status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/servers/" + other, token).status()).isEqualTo(404);
        assertThat(hub().get("/api/v1/servers", token).body()).contains(local).doesNotContain(other);
        HubClient.Response metrics = hub().get("/metrics", token);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("server_id=\"" + local + "\"").doesNotContain(other);
        assertThat(hub().get("/metrics", admin).body()).contains("server_id=\"" + other + "\"");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String admin = hub().admin();
        JsonNode created = create(admin, "{\"name\":\"short\",\"scope\":\"read\",\"expiresAt\":\""
                + Instant.now().plus(Duration.ofDays(1)) + "\"}");
        String token = created.path("token").asString();
        assertThat(created.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
        assertThat(hub().get("/api/v1/servers", token).status()).isEqualTo(200);
        jdbc.sql("UPDATE api_tokens SET expires_at = ? WHERE id = ?")
                .params(System.currentTimeMillis() - 1, created.path("id").asString()).update();
        assertThat(hub().get("/api/v1/servers", token).status()).isEqualTo(401);
        assertThat(hub().get("/metrics", token).status()).isEqualTo(401);
    }

    @Test
    void badInputIsABadRequestNamingTheField() {
        String admin = hub().admin();
        Map<String, String> cases = Map.of(
                "{\"scope\":\"read\"}", "name",
                "{\"name\":\"  \",\"scope\":\"read\"}", "name",
                "{\"name\":\"x\",\"scope\":\"write\"}", "scope",
                "{\"name\":\"x\",\"scope\":\"read\",\"serverIds\":[\"no-such-server\"]}", "serverIds",
                "{\"name\":\"x\",\"scope\":\"read\",\"serverIds\":[]}", "serverIds",
                "{\"name\":\"x\",\"scope\":\"read\",\"expiresAt\":\"tomorrow\"}", "expiresAt",
                "{\"name\":\"x\",\"scope\":\"read\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}", "expiresAt");
        cases.forEach((body, field) -> {
            HubClient.Response r = hub().post("/api/v1/tokens", body, admin);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            assertThat(r.json().path("errors").get(0).path("field").asString()).as(body).isEqualTo(field);
        });
        assertThat(hub().post("/api/v1/tokens", "{\"name\":\"x\",\"scope\":\"read\"}", null).status()).isEqualTo(401);
    }

    @Test
    void aTokenFollowsItsOwnersAccessAndStopsWhenTheOwnerIsDisabledOrDeleted() {
        String admin = hub().admin();
        String local = localServerId(admin);
        String email = "member-" + UUID.randomUUID() + "@example.com";
        HubClient.Response user = hub().post("/api/v1/users",
                "{\"email\":\"" + email + "\",\"role\":\"member\",\"password\":\"" + PASSWORD + "\"}", admin);
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        String userId = user.json().path("user").path("id").asString();
        String member = hub().post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", null)
                .json().path("accessToken").asString();
        // Not the member's server: neither visible through the token nor allowed in its list.
        assertThat(hub().post("/api/v1/tokens", "{\"name\":\"x\",\"scope\":\"read\",\"serverIds\":[\"" + local + "\"]}", member)
                .status()).isEqualTo(400);
        String token = create(member, "{\"name\":\"mine\",\"scope\":\"manage\"}").path("token").asString();
        assertThat(hub().get("/api/v1/servers/" + local, token).status()).isEqualTo(404);
        assertThat(hub().get("/metrics", token).body()).doesNotContain(local);
        assertThat(hub().get("/api/v1/servers", token).status()).isEqualTo(200);

        assertThat(hub().patch("/api/v1/users/" + userId, "{\"disabled\":true}", admin).status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/servers", token).status()).isEqualTo(401);
        assertThat(hub().patch("/api/v1/users/" + userId, "{\"disabled\":false}", admin).status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/servers", token).status()).isEqualTo(200);
        assertThat(hub().delete("/api/v1/users/" + userId, admin).status()).isEqualTo(204);
        assertThat(hub().get("/api/v1/servers", token).status()).isEqualTo(401);
    }

    @Test
    void metricsNeedsATokenAndSpeaksOpenMetricsWhenAsked() {
        String admin = hub().admin();
        String local = localServerId(admin);
        HubClient.Response anonymous = hub().get("/metrics", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("node_");
        assertThat(hub().get("/metrics", "flk_not-a-real-token").status()).isEqualTo(401);
        waitFor(Duration.ofSeconds(20), () -> {
            String body = hub().get("/metrics", admin).body();
            return body.contains("node_memory_MemTotal_bytes{server=") && body.contains("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"")
                    && body.contains("server_id=\"" + local + "\"");
        });
        HubClient.Response text = hub().get("/metrics", admin);
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain").contains("version=0.0.4");
        HubClient.Response om = send("/metrics", admin, "application/openmetrics-text; version=1.0.0");
        assertThat(om.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(om.body()).endsWith("# EOF\n").contains("# UNIT node_memory_MemTotal_bytes bytes");
    }

    @Test
    void lastUseIsKeptInMemoryAndWrittenAtMostOnceAMinute() {
        String admin = hub().admin();
        JsonNode created = create(admin, "{\"name\":\"used\",\"scope\":\"read\"}");
        String id = created.path("id").asString();
        long before = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) assertThat(hub().get("/api/v1/auth/me", created.path("token").asString()).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT last_used_at FROM api_tokens WHERE id = ?").param(id).query(Long.class).optional()).isEmpty();
        apiTokens.writeLastUsed(); // what the once-a-minute schedule runs
        assertThat(jdbc.sql("SELECT last_used_at FROM api_tokens WHERE id = ?").param(id).query(Long.class).single())
                .isGreaterThanOrEqualTo(before);
    }

    /** Polls a condition until it holds (or fails the test after the timeout). */
    static void waitFor(Duration timeout, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + timeout);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    HubClient.Response send(String path, String token, String accept) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(hub().base() + path)).header("Authorization", "Bearer " + token)
                    .header("Accept", accept).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new HubClient.Response(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
