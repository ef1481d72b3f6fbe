package dev.flick.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole hub, end to end over real HTTP and a real WebSocket, on whichever database the subclass starts.
 * The methods build on each other in order, like a new user's first minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HubFlowContract {

    static final String EMAIL = "admin@example.com";
    static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;

    @Autowired
    Ingest ingest;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    dev.flick.hub.logs.EventLog eventLog;

    HubClient hub() {
        return new HubClient(port);
    }

    static String accessToken;
    static String refreshToken;
    static String localServerId;

    @Test
    @Order(1)
    void firstRunAsksForSetupAndRefusesAnonymousApiCalls() {
        JsonNode status = hub().get("/api/v1/auth/status", null).json();
        assertThat(status.path("setupRequired").asBoolean()).isTrue();
        HubClient.Response servers = hub().get("/api/v1/servers", null);
        assertThat(servers.status()).isEqualTo(401);
        assertThat(servers.body()).contains("\"status\":401").doesNotContain("Exception");
        assertThat(hub().get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void setupValidatesFieldsThenCreatesTheAdminOnce() {
        HubClient.Response badEmail = hub().post("/api/v1/auth/setup", "{\"email\":\"not-an-email\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().path("errors").get(0).path("field").asString()).isEqualTo("email");

        HubClient.Response shortPassword = hub().post("/api/v1/auth/setup", "{\"email\":\"" + EMAIL + "\",\"password\":\"short\"}", null);
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().path("errors").get(0).path("field").asString()).isEqualTo("password");

        HubClient.Response created = hub().post("/api/v1/auth/setup",
                "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Ada\"}", null);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("user").path("role").asString()).isEqualTo("admin");
        assertThat(created.json().path("accessToken").asString()).isNotBlank();

        HubClient.Response again = hub().post("/api/v1/auth/setup",
                "{\"email\":\"other@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(hub().get("/api/v1/auth/status", null).json().path("setupRequired").asBoolean()).isFalse();
    }

    @Test
    @Order(3)
    void loginRefusesWrongPasswordsAndMalformedJson() {
        assertThat(hub().post("/api/v1/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"wrong password!\"}", null).status())
                .isEqualTo(401);
        assertThat(hub().post("/api/v1/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"wrong password!\"}", null).status())
                .isEqualTo(401);
        HubClient.Response malformed = hub().post("/api/v1/auth/login", "{\"email\": ", null);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(malformed.body()).doesNotContain("Exception").doesNotContain("at dev.flick");

        HubClient.Response ok = hub().post("/api/v1/auth/login", "{\"email\":\"ADMIN@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(ok.status()).isEqualTo(200);
        accessToken = ok.json().path("accessToken").asString();
        refreshToken = ok.json().path("refreshToken").asString();
        assertThat(ok.json().path("expiresIn").asLong()).isBetween(60L, 900L);
        assertThat(hub().get("/api/v1/auth/me", accessToken).json().path("email").asString()).isEqualTo(EMAIL);
    }

    @Test
    @Order(4)
    void theHubListsItsOwnHostAsALocalServer() {
        HubClient.Response list = hub().get("/api/v1/servers", accessToken);
        assertThat(list.status()).isEqualTo(200);
        JsonNode local = null;
        for (JsonNode s : list.json()) if ("local".equals(s.path("mode").asString())) local = s;
        assertThat(local).as("a server of mode local").isNotNull();
        localServerId = local.path("id").asString();
        JsonNode one = hub().get("/api/v1/servers/" + localServerId, accessToken).json();
        assertThat(one.path("info").path("cores").asInt()).isPositive();
        assertThat(one.path("info").path("hostname").asString()).isNotBlank();
        HubClient.Response unknown = hub().get("/api/v1/servers/no-such-server", accessToken);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("status").asInt()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void webSocketStreamsLiveSnapshotsAfterAuth() throws Exception {
        try (LiveClient live = new LiveClient(port)) {
            live.send("{\"type\":\"auth\",\"token\":\"" + accessToken + "\"}");
            assertThat(live.next("ready", 5_000)).isNotNull();
            live.send("{\"type\":\"subscribe\",\"serverIds\":[\"" + localServerId + "\"]}");
            List<Long> stamps = new ArrayList<>();
            while (stamps.size() < 3) {
                JsonNode snap = live.next("snapshot", 5_000);
                assertThat(snap).as("snapshot %d", stamps.size() + 1).isNotNull();
                assertThat(snap.path("serverId").asString()).isEqualTo(localServerId);
                assertThat(snap.path("cpu").path("usage").asDouble()).isBetween(0.0, 100.0);
                assertThat(snap.path("memory").path("total").asLong()).isPositive();
                stamps.add(snap.path("ts").asLong());
            }
            assertThat(stamps).isSorted().doesNotHaveDuplicates();

            live.send("{\"type\":\"subscribe\"}");
            assertThat(live.next("error", 3_000).path("code").asString()).isEqualTo("bad-message");
        }
    }

    @Test
    @Order(6)
    void resumingWithSinceReplaysTheGapWithoutDuplicates() throws Exception {
        long since;
        try (LiveClient first = new LiveClient(port)) {
            first.send("{\"type\":\"auth\",\"token\":\"" + accessToken + "\"}");
            first.next("ready", 5_000);
            first.send("{\"type\":\"subscribe\",\"serverIds\":[\"" + localServerId + "\"]}");
            since = first.next("snapshot", 5_000).path("ts").asLong();
        }
        Thread.sleep(1_200); // snapshots keep arriving while "disconnected"
        try (LiveClient second = new LiveClient(port)) {
            second.send("{\"type\":\"auth\",\"token\":\"" + accessToken + "\"}");
            second.next("ready", 5_000);
            second.send("{\"type\":\"subscribe\",\"serverIds\":[\"" + localServerId + "\"],\"since\":" + since + "}");
            List<Long> stamps = new ArrayList<>();
            for (int i = 0; i < 4; i++) stamps.add(second.next("snapshot", 5_000).path("ts").asLong());
            assertThat(stamps.getFirst()).isGreaterThan(since);
            assertThat(stamps.getFirst() - since).as("first replayed snapshot follows since by one interval")
                    .isLessThanOrEqualTo(FlowSettings.INTERVAL_MS * 2);
            assertThat(stamps).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    @Order(7)
    void webSocketClosesWith4401OnABadToken() throws Exception {
        try (LiveClient live = new LiveClient(port)) {
            live.send("{\"type\":\"auth\",\"token\":\"not-a-token\"}");
            assertThat(live.closeCode.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4401);
        }
        try (LiveClient silent = new LiveClient(port)) {
            assertThat(silent.closeCode.get(8, java.util.concurrent.TimeUnit.SECONDS)).as("no auth within 5 s").isEqualTo(4401);
        }
    }

    @Test
    @Order(8)
    void historyReturnsStoredPointsAndProcessesAtAPastMoment() throws Exception {
        long to = System.currentTimeMillis();
        JsonNode history = null;
        for (int i = 0; i < 40; i++) {
            history = hub().get("/api/v1/servers/" + localServerId + "/metrics?from=" + (to - 60_000) + "&to=" + (to + 1_000), accessToken).json();
            if (history.path("points").size() >= 3) break;
            Thread.sleep(250);
        }
        assertThat(history.path("tier").asString()).isEqualTo("raw");
        assertThat(history.path("points").size()).isGreaterThanOrEqualTo(3);
        JsonNode point = history.path("points").get(1);
        assertThat(point.path("memTotal").asLong()).isPositive();
        assertThat(point.path("memUsed").asLong()).isPositive();
        assertThat(point.path("diskTotal").asLong()).isPositive();

        long pastTs = point.path("ts").asLong();
        Thread.sleep(FlowSettings.INTERVAL_MS * 3);
        JsonNode processes = hub().get("/api/v1/servers/" + localServerId + "/processes?at=" + pastTs, accessToken).json();
        assertThat(processes.path("ts").asLong()).isEqualTo(pastTs);
        assertThat(processes.path("top").size()).as("top 10 by CPU plus top 10 by memory").isBetween(1, 20);
        assertThat(processes.path("top").get(0).path("pid").asInt()).isPositive();
        assertThat(processes.path("count").asInt()).isGreaterThanOrEqualTo(processes.path("top").size());

        String iso = java.time.Instant.ofEpochMilli(pastTs).toString();
        assertThat(hub().get("/api/v1/servers/" + localServerId + "/processes?at=" + iso, accessToken).json().path("ts").asLong())
                .isEqualTo(pastTs);
        HubClient.Response bad = hub().get("/api/v1/servers/" + localServerId + "/metrics?from=yesterday", accessToken);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("field").asString()).isEqualTo("from");
    }

    @Test
    @Order(9)
    void rollupsMergePartialBucketsIntoTheMinuteTier() throws Exception {
        String id = "rollup-" + System.nanoTime();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'synthetic', 'agent', 'pending', ?)")
                .params(id, System.currentTimeMillis()).update();
        long minute = (System.currentTimeMillis() / 60_000 - 30) * 60_000; // half an hour ago: raw tier not used for a 2 h range
        double[] firstHalf = {10, 20, 30};
        double[] secondHalf = {50, 90};
        for (int i = 0; i < firstHalf.length; i++) ingest.accept(Snapshots.withCpu(id, minute + i * 1_000, firstHalf[i]));
        awaitRollup(id, minute, 3);
        for (int i = 0; i < secondHalf.length; i++) ingest.accept(Snapshots.withCpu(id, minute + 30_000 + i * 1_000, secondHalf[i]));
        awaitRollup(id, minute, 5);

        JsonNode h = hub().get("/api/v1/servers/" + id + "/metrics?from=" + (minute - 3_600_000) + "&to=" + (minute + 3_600_000)
                + "&step=60000", accessToken).json();
        assertThat(h.path("tier").asString()).isEqualTo("1m");
        JsonNode p = h.path("points").get(0);
        assertThat(p.path("ts").asLong()).isEqualTo(minute);
        assertThat(p.path("cpu").asDouble()).isEqualTo(40.0); // (10+20+30+50+90)/5
        assertThat(p.path("cpuMin").asDouble()).isEqualTo(10.0);
        assertThat(p.path("cpuMax").asDouble()).isEqualTo(90.0);
        // Without raw rows (as after raw retention), the minute's peak moment answers "which process?"
        jdbc.sql("DELETE FROM metrics_snapshots WHERE server_id = ?").param(id).update();
        jdbc.sql("DELETE FROM metrics_blocks WHERE server_id = ?").param(id).update();
        JsonNode peak = hub().get("/api/v1/servers/" + id + "/processes?at=" + (minute + 10_000), accessToken).json();
        assertThat(peak.path("top").get(0).path("cpu").asDouble()).as("processes at the bucket's peak").isEqualTo(90.0);
    }

    private void awaitRollup(String id, long minute, int samples) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            Integer n = jdbc.sql("SELECT samples FROM metrics_1m WHERE server_id = ? AND ts = ?").params(id, minute)
                    .query(Integer.class).optional().orElse(0);
            if (n == samples) return;
            Thread.sleep(200);
        }
        throw new AssertionError("rollup of " + samples + " samples never written");
    }

    @Test
    @Order(12)
    void theEventLogRecordsSignInsAndPagesNewestFirstWithACursor() throws Exception {
        HubClient.Response failed = null;
        for (int i = 0; i < 40; i++) {
            failed = hub().get("/api/v1/logs?source=hub&q=Failed%20sign-in&limit=1", accessToken);
            if (failed.json().path("items").size() == 1) break;
            Thread.sleep(100);
        }
        JsonNode item = failed.json().path("items").get(0);
        assertThat(item.path("level").asString()).isEqualTo("warning");
        assertThat(item.path("actor").asString()).isIn(EMAIL, "nobody@example.com");
        assertThat(failed.json().path("nextCursor").asString()).as("two failed sign-ins, one per page").isNotBlank();
        JsonNode second = hub().get("/api/v1/logs?source=hub&q=Failed%20sign-in&limit=1&cursor="
                + failed.json().path("nextCursor").asString(), accessToken).json();
        assertThat(second.path("items").get(0).path("id").asLong()).isLessThan(item.path("id").asLong());
        assertThat(second.path("items").get(0).path("ts").asLong()).isLessThanOrEqualTo(item.path("ts").asLong());

        JsonNode signIns = hub().get("/api/v1/logs?level=info&q=signed%20in", accessToken).json();
        assertThat(signIns.path("items").size()).isGreaterThanOrEqualTo(1);
        assertThat(signIns.path("items").get(0).path("message").asString()).containsIgnoringCase("signed in");

        assertThat(hub().get("/api/v1/logs?level=loud", accessToken).json().path("errors").get(0).path("field").asString())
                .isEqualTo("level");
        assertThat(hub().get("/api/v1/logs?cursor=%21%21", accessToken).status()).isEqualTo(400);
        assertThat(hub().get("/api/v1/logs", null).status()).isEqualTo(401);
    }

    @Test
    @Order(14)
    void logSearchFindsRareAndCommonSubstringsCaseInsensitively() {
        long t = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 2_500; i++) {
            jdbc.sql("INSERT INTO logs (ts, server_id, source, level, unit, message) VALUES (?, ?, 'journal', 'info', 'cron', ?)")
                    .params(t + i, localServerId, "CRON[" + i + "]: session opened for user root").update();
        }
        jdbc.sql("INSERT INTO logs (ts, server_id, source, level, unit, message) VALUES (?, ?, 'journal', 'critical', 'kernel', ?)")
                .params(t + 10, localServerId, "Kernel panic - not syncing: Fatal exception").update();

        JsonNode common = hub().get("/api/v1/logs?serverId=" + localServerId + "&q=SESSION%20OPENED&limit=100", accessToken).json();
        assertThat(common.path("items").size()).isEqualTo(100);
        assertThat(common.path("items").get(0).path("message").asString()).isEqualTo("CRON[2499]: session opened for user root");
        assertThat(common.path("nextCursor").asString()).isNotBlank();

        JsonNode rare = hub().get("/api/v1/logs?q=panic%20-%20not&limit=100", accessToken).json();
        assertThat(rare.path("items").size()).isEqualTo(1);
        assertThat(rare.path("items").get(0).path("level").asString()).isEqualTo("critical");
        JsonNode literal = hub().get("/api/v1/logs?q=100%25&limit=100", accessToken).json();
        assertThat(literal.path("items").size()).as("%% is a literal character, not a wildcard").isZero();
    }

    @Test
    @Order(15)
    void logLinesAreTailedLiveToSubscribedSockets() throws Exception {
        try (LiveClient live = new LiveClient(port)) {
            live.send("{\"type\":\"auth\",\"token\":\"" + accessToken + "\"}");
            live.next("ready", 5_000);
            live.send("{\"type\":\"subscribe-logs\",\"serverIds\":[\"" + localServerId + "\"]}");
            Thread.sleep(300);
            eventLog.append(new dev.flick.hub.logs.LogEntry(System.currentTimeMillis(), "some-other-server", "syslog", "info",
                    "cron", "not for this socket", null, null));
            eventLog.append(new dev.flick.hub.logs.LogEntry(System.currentTimeMillis(), localServerId, "journal", "error",
                    "app.service", "payment failed for order 17", null, null));
            JsonNode line = live.next("log", 5_000);
            assertThat(line).isNotNull();
            assertThat(line.path("serverId").asString()).isEqualTo(localServerId);
            assertThat(line.path("message").asString()).isEqualTo("payment failed for order 17");
            assertThat(line.path("level").asString()).isEqualTo("error");
            live.send("{\"type\":\"subscribe-logs\",\"serverIds\":[\"nope\"]}");
            assertThat(live.next("error", 3_000).path("code").asString()).isEqualTo("not-found");
        }
    }

    @Test
    @Order(16)
    void serverChangesAreWrittenToTheEventLogWithTheirActor() throws Exception {
        HubClient.Response created = hub().post("/api/v1/servers", "{\"name\":\"audit-me\",\"mode\":\"agent\"}", accessToken);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(hub().delete("/api/v1/servers/" + id, accessToken).status()).isEqualTo(204);
        JsonNode items = null;
        for (int i = 0; i < 40; i++) {
            items = hub().get("/api/v1/logs?source=hub&q=audit-me", accessToken).json().path("items");
            if (items.size() >= 2) break;
            Thread.sleep(100);
        }
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("message").asString()).contains("removed");
        assertThat(items.get(1).path("message").asString()).contains("added (agent)");
        assertThat(items.get(1).path("actor").asString()).isEqualTo(EMAIL);
        assertThat(items.get(1).path("target").asString()).isEqualTo("server:" + id);
        assertThat(items.toString()).as("no token in the log").doesNotContain(created.json().path("agentToken").asString());
    }

    @Test
    @Order(13)
    void retentionIsValidatedStoredAndStorageIsReported() {
        JsonNode defaults = hub().get("/api/v1/settings/retention", accessToken).json();
        assertThat(defaults.path("raw").asString()).isEqualTo("P14D");
        assertThat(defaults.path("hour").asString()).isEqualTo("P730D");

        HubClient.Response bad = hub().put("/api/v1/settings/retention",
                "{\"raw\":\"P2D\",\"minute\":\"PT1H\",\"hour\":\"P730D\",\"logs\":\"soon\",\"events\":\"P365D\"}", accessToken);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("field").asString()).isEqualTo("logs");
        HubClient.Response inconsistent = hub().put("/api/v1/settings/retention",
                "{\"raw\":\"P2D\",\"minute\":\"P1D\",\"hour\":\"P730D\",\"logs\":\"P30D\",\"events\":\"P365D\"}", accessToken);
        assertThat(inconsistent.status()).isEqualTo(400);
        assertThat(inconsistent.json().path("errors").get(0).path("field").asString()).isEqualTo("minute");

        HubClient.Response ok = hub().put("/api/v1/settings/retention",
                "{\"raw\":\"P2D\",\"minute\":\"P30D\",\"hour\":\"P365D\",\"logs\":\"P7D\",\"events\":\"P90D\"}", accessToken);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/settings/retention", accessToken).json().path("minute").asString()).isEqualTo("P30D");

        JsonNode storage = hub().get("/api/v1/settings/storage", accessToken).json();
        assertThat(storage.path("totalBytes").asLong()).isPositive();
        JsonNode blocks = null;
        for (JsonNode t : storage.path("tables")) if ("metrics_blocks".equals(t.path("name").asString())) blocks = t;
        assertThat(blocks).isNotNull();
        JsonNode raw = storage.path("tiers").get(0);
        assertThat(raw.path("tier").asString()).isEqualTo("raw");
        assertThat(raw.path("bytes").asLong()).isPositive();
        assertThat(raw.path("rows").asLong()).as("snapshots stored, in blocks or open minutes").isPositive();
        assertThat(raw.path("oldest").asLong()).isPositive().isLessThanOrEqualTo(raw.path("newest").asLong());
        assertThat(storage.path("tiers").get(1).path("tier").asString()).isEqualTo("1m");
        assertThat(storage.path("layout").asString()).isIn("sqlite", "partitions", "timescaledb");
    }

    @Test
    @Order(11)
    void openApiDocumentAndItsBrowsableUiAreServed() {
        HubClient.Response doc = hub().get("/api/v1/openapi.json", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().path("info").path("title").asString()).isEqualTo("FLick API");
        assertThat(doc.json().path("paths").has("/api/v1/servers/{id}/metrics")).isTrue();
        assertThat(hub().get("/api/v1/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @Test
    @Order(10)
    void refreshRotatesAndReuseRevokesTheFamily() {
        HubClient.Response first = hub().post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}", null);
        assertThat(first.status()).isEqualTo(200);
        String next = first.json().path("refreshToken").asString();
        assertThat(next).isNotEqualTo(refreshToken);
        assertThat(first.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("HttpOnly").contains("SameSite=Strict"));

        HubClient.Response reuse = hub().post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}", null);
        assertThat(reuse.status()).isEqualTo(401);
        HubClient.Response afterReuse = hub().post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + next + "\"}", null);
        assertThat(afterReuse.status()).as("the whole family is revoked").isEqualTo(401);
        assertThat(hub().get("/api/v1/auth/me", accessToken).status()).as("and the access tokens issued in it").isEqualTo(401);
        HubClient.Response again = hub().post("/api/v1/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(again.status()).isEqualTo(200);
        accessToken = again.json().path("accessToken").asString();

        String stored = jdbc.sql("SELECT token_hash FROM refresh_tokens LIMIT 1").query(String.class).single();
        assertThat(stored).hasSize(64).isNotEqualTo(next);
    }

    static final class FlowSettings {
        static final long INTERVAL_MS = 250;
    }

    /** Snapshots with known numbers, for arithmetic through the real ingest path. */
    static final class Snapshots {
        static Snapshot withCpu(String serverId, long ts, double cpu) {
            return new Snapshot(serverId, ts,
                    new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 0.5, 0.4, 0.3),
                    new Snapshot.Memory(1_000, 400, 600, 100, 0, 0),
                    List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 10_000, 5_000)),
                    new Snapshot.DiskIo(0, 0, List.of()),
                    new Snapshot.Network(0, 0, List.of()),
                    new Snapshot.Processes(1, List.of(new Snapshot.Processes.Process(42, "burn", "root", cpu, 1_000, "burn"))));
        }
    }
}
