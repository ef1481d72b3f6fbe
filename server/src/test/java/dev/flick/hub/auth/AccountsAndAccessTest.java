package dev.flick.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.Snapshot;
import dev.flick.hub.HubClient;
import dev.flick.hub.LiveClient;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.Ingest;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Accounts end to end over real HTTP and real WebSockets: an owner, a viewer the server is shared with, and an
 * outsider. For every endpoint and socket message that takes an id, the outsider gets 404 and no data; the viewer
 * sees but cannot change; ended sessions close sockets; throttling backs off and releases; TOTP gates sign-in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AccountsAndAccessTest.ThrottleTime.class)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsAndAccessTest {

    static final String PASSWORD = "correct horse battery";

    /** The sign-in throttle's time: it moves only when a test moves it, however slow the machine is. */
    static final ManualClock clock = new ManualClock();

    static final class ManualClock implements InstantSource {
        private volatile Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    @TestConfiguration
    static class ThrottleTime {
        @Bean
        InstantSource throttleClock() {
            return clock;
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-accounts-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.auth.login-attempts", () -> "3");
        registry.add("flick.auth.login-attempts-per-ip", () -> "1000");
        registry.add("flick.auth.login-window", () -> "3s");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Ingest ingest;
    @Autowired
    EventLog eventLog;

    static String admin;
    static String owner;
    static String ownerId;
    static String viewer;
    static String viewerId;
    static String outsider;
    static String outsiderId;
    static String outsiderRefresh;
    static String serverId;
    static String eventId;
    static String ruleId;
    static String channelId;

    HubClient hub() {
        return new HubClient(port);
    }

    @Test
    @Order(1)
    void adminCreatesUsersWithPasswordsOrInvites() {
        JsonNode setup = hub().post("/api/v1/auth/setup", "{\"email\":\"admin@example.com\",\"password\":\"" + PASSWORD + "\"}", null).json();
        admin = setup.path("accessToken").asString();

        HubClient.Response weak = hub().post("/api/v1/users", "{\"email\":\"weak@example.com\",\"role\":\"member\",\"password\":\"password123\"}", admin);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("errors").get(0).path("field").asString()).isEqualTo("password");
        HubClient.Response likeEmail = hub().post("/api/v1/users",
                "{\"email\":\"someone.long@example.com\",\"role\":\"member\",\"password\":\"someone.long@example.com\"}", admin);
        assertThat(likeEmail.status()).isEqualTo(400);

        ownerId = create("owner@example.com", "member");
        viewerId = create("viewer@example.com", "viewer");
        outsiderId = create("outsider@example.com", "member");
        owner = login("owner@example.com");
        viewer = login("viewer@example.com");
        JsonNode out = hub().post("/api/v1/auth/login", "{\"email\":\"outsider@example.com\",\"password\":\"" + PASSWORD + "\"}", null).json();
        outsider = out.path("accessToken").asString();
        outsiderRefresh = out.path("refreshToken").asString();

        HubClient.Response invited = hub().post("/api/v1/users", "{\"email\":\"invited@example.com\",\"role\":\"viewer\"}", admin);
        assertThat(invited.status()).isEqualTo(201);
        String code = invited.json().path("inviteCode").asString();
        assertThat(code).isNotBlank();
        HubClient.Response accepted = hub().post("/api/v1/auth/password/set", "{\"code\":\"" + code + "\",\"newPassword\":\"" + PASSWORD + "\"}", null);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().path("user").path("email").asString()).isEqualTo("invited@example.com");
        assertThat(hub().post("/api/v1/auth/password/set", "{\"code\":\"" + code + "\",\"newPassword\":\"" + PASSWORD + "x\"}", null).status())
                .as("an invite code works once").isEqualTo(401);

        assertThat(hub().get("/api/v1/users", owner).status()).as("members do not administer users").isEqualTo(403);
        assertThat(hub().get("/api/v1/users", admin).json().size()).isEqualTo(5);
    }

    @Test
    @Order(2)
    void theLastAdminCannotBeDemotedDisabledOrDeleted() {
        String adminId = hub().get("/api/v1/auth/me", admin).json().path("id").asString();
        assertThat(hub().patch("/api/v1/users/" + adminId, "{\"role\":\"member\"}", admin).status()).isEqualTo(409);
        assertThat(hub().patch("/api/v1/users/" + adminId, "{\"disabled\":true}", admin).status()).isEqualTo(409);
        assertThat(hub().delete("/api/v1/users/" + adminId, admin).status()).isEqualTo(409);
        List<String> roleChanges = jdbc.sql("SELECT message FROM logs WHERE message LIKE 'User % created as %'").query(String.class).list();
        eventLog.flush();
        assertThat(jdbc.sql("SELECT count(*) FROM logs WHERE message LIKE 'User % created as %'").query(Long.class).single())
                .as("user changes are audited").isGreaterThanOrEqualTo(3L + roleChanges.size() * 0);
    }

    @Test
    @Order(3)
    void anOwnerSharesReadOnlyAndTheChangeIsAudited() throws Exception {
        serverId = "srv-" + UUID.randomUUID();
        jdbc.sql("INSERT INTO servers (id, name, mode, owner_id, status, created_at) VALUES (?, 'box', 'agent', ?, 'pending', ?)")
                .params(serverId, ownerId, System.currentTimeMillis()).update();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) ingest.accept(snapshot(serverId, now - 3_000 + i * 1_000, 30 + i));
        eventId = UUID.randomUUID().toString();
        jdbc.sql("""
                        INSERT INTO alert_events (id, rule_id, rule_name, server_id, metric, level, stage, state, value, threshold, started_at)
                        VALUES (?, 'r', 'hot', ?, 'cpu.usage', 'warning', 1, 'firing', 95, 90, ?)""")
                .params(eventId, serverId, now).update();
        eventLog.hub("info", "box rebooted", null, null, serverId);
        eventLog.flush();
        HubClient.Response rule = hub().post("/api/v1/alerts/rules",
                "{\"name\":\"hot\",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":90,\"serverIds\":[\"" + serverId + "\"]}", owner);
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        ruleId = rule.json().path("id").asString();
        HubClient.Response channel = hub().post("/api/v1/alerts/channels",
                "{\"name\":\"ops mail\",\"type\":\"email\",\"config\":{\"to\":[\"ops@example.com\"]}}", owner);
        assertThat(channel.status()).as(channel.body()).isEqualTo(201);
        channelId = channel.json().path("id").asString();

        HubClient.Response shared = hub().put("/api/v1/servers/" + serverId + "/access",
                "[{\"userId\":\"" + viewerId + "\",\"level\":\"view\"}]", owner);
        assertThat(shared.status()).as(shared.body()).isEqualTo(200);
        assertThat(shared.json().get(0).path("email").asString()).isEqualTo("viewer@example.com");
        assertThat(hub().get("/api/v1/servers/" + serverId + "/access", owner).json().size()).isEqualTo(1);
        eventLog.flush();
        assertThat(jdbc.sql("SELECT count(*) FROM logs WHERE message LIKE 'Server access changed%' AND server_id = ?")
                .param(serverId).query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    @Order(4)
    void anOutsiderGetsNotFoundAndNoDataFromEveryEndpointThatTakesAnId() {
        String s = "/api/v1/servers/" + serverId;
        Map<String, HubClient.Response> answers = new java.util.LinkedHashMap<>();
        answers.put("GET server", hub().get(s, outsider));
        answers.put("GET metrics", hub().get(s + "/metrics", outsider));
        answers.put("GET processes", hub().get(s + "/processes", outsider));
        answers.put("GET access", hub().get(s + "/access", outsider));
        answers.put("PUT access", hub().put(s + "/access", "[{\"userId\":\"" + outsiderId + "\",\"level\":\"manage\"}]", outsider));
        answers.put("GET logs of server", hub().get("/api/v1/logs?serverId=" + serverId, outsider));
        answers.put("GET events of server", hub().get("/api/v1/alerts/events?serverId=" + serverId, outsider));
        answers.put("GET event", hub().get("/api/v1/alerts/events/" + eventId, outsider));
        answers.put("POST ack", hub().post("/api/v1/alerts/events/" + eventId + "/ack", "{}", outsider));
        answers.put("GET rule", hub().get("/api/v1/alerts/rules/" + ruleId, outsider));
        answers.put("PUT rule", hub().put("/api/v1/alerts/rules/" + ruleId,
                "{\"name\":\"mine\",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":10}", outsider));
        answers.put("DELETE rule", hub().delete("/api/v1/alerts/rules/" + ruleId, outsider));
        String c = "/api/v1/alerts/channels/" + channelId;
        answers.put("GET channel", hub().get(c, outsider));
        answers.put("PUT channel", hub().put(c, "{\"name\":\"x\",\"type\":\"email\",\"config\":{\"to\":[\"me@example.com\"]}}", outsider));
        answers.put("POST channel test", hub().post(c + "/test", "{}", outsider));
        answers.put("GET channel deliveries", hub().get(c + "/deliveries", outsider));
        answers.put("DELETE channel", hub().delete(c, outsider));
        answers.put("PATCH server", hub().patch(s, "{\"name\":\"mine now\"}", outsider));
        answers.put("POST token", hub().post(s + "/token", "{}", outsider));
        answers.put("POST host-key accept", hub().post(s + "/host-key/accept", "{}", outsider));
        answers.put("DELETE server", hub().delete(s, outsider));
        answers.forEach((what, r) -> {
            assertThat(r.status()).as(what).isEqualTo(404);
            // The problem's "instance" echoes the path the caller sent; nothing else may name or describe the server.
            tools.jackson.databind.node.ObjectNode body = (tools.jackson.databind.node.ObjectNode) r.json();
            body.remove("instance");
            assertThat(body.toString()).as(what).doesNotContain(serverId).doesNotContain("box").doesNotContain("burn")
                    .doesNotContain("ops@example.com");
        });
        HubClient.Response badRule = hub().post("/api/v1/alerts/rules",
                "{\"name\":\"spy\",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":1,\"serverIds\":[\"" + serverId + "\"]}", outsider);
        assertThat(badRule.status()).as("a rule on someone else's server").isEqualTo(400);
        HubClient.Response badChannel = hub().post("/api/v1/alerts/rules",
                "{\"name\":\"spy\",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":1,\"channelIds\":[\"" + channelId + "\"]}", outsider);
        assertThat(badChannel.status()).as("someone else's channel").isEqualTo(400);
        assertThat(hub().get("/api/v1/alerts/channels", outsider).body()).doesNotContain(channelId).doesNotContain("ops@example.com");

        assertThat(hub().get("/api/v1/servers", outsider).body()).doesNotContain(serverId);
        assertThat(hub().get("/api/v1/logs", outsider).body()).doesNotContain("box rebooted");
        assertThat(hub().get("/api/v1/alerts/events", outsider).body()).doesNotContain(eventId);
        assertThat(hub().get("/api/v1/alerts/rules", outsider).body()).doesNotContain(ruleId);
        assertThat(hub().get("/api/v1/servers/" + serverId, admin).status()).as("admins see every server").isEqualTo(200);
    }

    @Test
    @Order(5)
    void aViewerSeesASharedServerButCannotChangeAnything() {
        String s = "/api/v1/servers/" + serverId;
        assertThat(hub().get(s, viewer).status()).isEqualTo(200);
        assertThat(hub().get(s + "/metrics", viewer).status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/alerts/events/" + eventId, viewer).status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/logs?serverId=" + serverId, viewer).body()).contains("box rebooted");
        assertThat(hub().get("/api/v1/servers", viewer).body()).contains(serverId);

        assertThat(hub().get(s + "/access", viewer).status()).isEqualTo(403);
        assertThat(hub().put(s + "/access", "[]", viewer).status()).isEqualTo(403);
        assertThat(hub().post("/api/v1/alerts/events/" + eventId + "/ack", "{}", viewer).status()).isEqualTo(403);
        assertThat(hub().post("/api/v1/alerts/rules",
                "{\"name\":\"v\",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":1}", viewer).status()).isEqualTo(403);
        assertThat(hub().post("/api/v1/alerts/channels", "{\"name\":\"v\",\"type\":\"webhook\",\"config\":{\"url\":\"https://example.com\"}}",
                viewer).status()).isEqualTo(403);
        assertThat(hub().get("/api/v1/users/lookup?email=owner@example.com", viewer).status()).isEqualTo(403);
        assertThat(hub().patch(s, "{\"name\":\"renamed\"}", viewer).status()).isEqualTo(403);
        assertThat(hub().post(s + "/token", "{}", viewer).status()).isEqualTo(403);
        assertThat(hub().delete(s, viewer).status()).isEqualTo(403);
        assertThat(hub().post("/api/v1/servers", "{\"name\":\"v\",\"mode\":\"agent\"}", viewer).status()).isEqualTo(403);
        assertThat(hub().get(s, owner).json().path("name").asString()).as("nothing changed").isEqualTo("box");
    }

    @Test
    @Order(6)
    void socketsDeliverOnlyServersTheUserMaySeeEvenForStar() throws Exception {
        try (LiveClient out = socket(outsider); LiveClient view = socket(viewer)) {
            out.send("{\"type\":\"subscribe\",\"serverIds\":[\"" + serverId + "\"]}");
            JsonNode refused = out.next("error", 3_000);
            assertThat(refused.path("code").asString()).isEqualTo("not-found");
            out.send("{\"type\":\"subscribe\",\"serverIds\":\"*\",\"since\":1}");
            view.send("{\"type\":\"subscribe\",\"serverIds\":\"*\",\"since\":1}");
            assertThat(view.next("snapshot", 3_000)).as("the ring replays to the viewer").isNotNull();
            ingest.accept(snapshot(serverId, System.currentTimeMillis(), 77));
            JsonNode live = view.next("snapshot", 3_000);
            assertThat(live).isNotNull();
            assertThat(live.path("serverId").asString()).isEqualTo(serverId);
            Thread.sleep(500);
            assertThat(out.messages.stream().filter(m -> m.toString().contains(serverId)).toList())
                    .as("nothing about someone else's server reaches the outsider").isEmpty();

            out.send("{\"type\":\"subscribe-logs\",\"serverIds\":[\"" + serverId + "\"]}");
            assertThat(out.next("error", 3_000).path("code").asString()).isEqualTo("not-found");
            out.send("{\"type\":\"subscribe-logs\",\"serverIds\":\"*\"}");
            view.send("{\"type\":\"subscribe-logs\",\"serverIds\":\"*\"}");
            Thread.sleep(200);
            eventLog.hub("warning", "disk on box is failing", null, null, serverId);
            eventLog.hub("notice", "hub-only event for admins", "admin@example.com", null, null);
            JsonNode line = view.next("log", 5_000);
            assertThat(line).as("the viewer tails the shared server's log").isNotNull();
            assertThat(line.toString()).contains("disk on box is failing");
            Thread.sleep(500);
            assertThat(view.messages.stream().filter(m -> m.toString().contains("hub-only event")).toList())
                    .as("hub events are for admins").isEmpty();
            assertThat(out.messages.stream().filter(m -> "log".equals(m.path("type").asString())).toList())
                    .as("no log lines of servers the outsider may not see, nor hub events").isEmpty();
        }
    }

    @Test
    @Order(7)
    void alertNotificationsReachOnlyPeopleWhoMaySeeTheServer() throws Exception {
        try (LiveClient out = socket(outsider); LiveClient view = socket(viewer)) {
            ingest.accept(snapshot(serverId, System.currentTimeMillis(), 99));
            JsonNode pushed = view.next("notification", 5_000);
            assertThat(pushed).as("the viewer the server is shared with hears of it").isNotNull();
            assertThat(pushed.path("serverId").asString()).isEqualTo(serverId);
            String event = pushed.path("eventId").asString();
            assertThat(hub().get("/api/v1/notifications", owner).body()).contains(event);
            Thread.sleep(300);
            assertThat(out.messages.stream().filter(m -> m.toString().contains(serverId) || m.toString().contains(event)).toList()).isEmpty();
            assertThat(hub().get("/api/v1/notifications", outsider).body()).doesNotContain(event).doesNotContain("box");
        }
    }

    @Test
    @Order(8)
    void changingAPasswordClosesTheUsersSocketsWithinSecondsAndEndsOldTokens() throws Exception {
        try (LiveClient live = socket(owner)) {
            long start = System.nanoTime();
            HubClient.Response changed = hub().post("/api/v1/auth/password",
                    "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"another horse battery\"}", owner);
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            int code = live.closeCode.get(3, TimeUnit.SECONDS);
            assertThat(code).isEqualTo(4401);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
            assertThat(hub().get("/api/v1/servers", owner).status()).as("the old access token").isEqualTo(401);
            owner = changed.json().path("accessToken").asString();
            assertThat(hub().get("/api/v1/servers", owner).status()).as("the new session").isEqualTo(200);
        }
    }

    @Test
    @Order(9)
    void signingOutEverywhereAndDisablingAlsoCloseSockets() throws Exception {
        try (LiveClient live = socket(outsider)) {
            assertThat(hub().post("/api/v1/auth/logout-all", "{}", outsider).status()).isEqualTo(204);
            assertThat(live.closeCode.get(3, TimeUnit.SECONDS)).isEqualTo(4401);
            assertThat(hub().post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + outsiderRefresh + "\"}", null).status()).isEqualTo(401);
        }
        outsider = login("outsider@example.com");
        try (LiveClient live = socket(outsider)) {
            assertThat(hub().patch("/api/v1/users/" + outsiderId, "{\"disabled\":true}", admin).status()).isEqualTo(200);
            assertThat(live.closeCode.get(3, TimeUnit.SECONDS)).isEqualTo(4401);
            assertThat(hub().get("/api/v1/auth/me", outsider).status()).isEqualTo(401);
        }
        assertThat(hub().post("/api/v1/auth/login", "{\"email\":\"outsider@example.com\",\"password\":\"" + PASSWORD + "\"}", null).status())
                .as("a disabled account cannot sign in").isEqualTo(401);
    }

    @Test
    @Order(10)
    void aRoleChangeAppliesAtOnce() throws Exception {
        try (LiveClient live = socket(viewer)) {
            assertThat(hub().patch("/api/v1/users/" + viewerId, "{\"role\":\"member\"}", admin).status()).isEqualTo(200);
            assertThat(live.closeCode.get(3, TimeUnit.SECONDS)).isEqualTo(4401);
            assertThat(hub().get("/api/v1/servers", viewer).status()).isEqualTo(401);
        }
        viewer = login("viewer@example.com");
        assertThat(hub().get("/api/v1/auth/me", viewer).json().path("role").asString()).isEqualTo("member");
        eventLog.flush();
        assertThat(jdbc.sql("SELECT count(*) FROM logs WHERE message LIKE 'Role of viewer@example.com changed%'")
                .query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    @Order(11)
    void failedSignInsBackOffAlikeForKnownAndUnknownAccountsThenRelease() throws Exception {
        HubClient.Response known = null;
        HubClient.Response unknown = null;
        for (int i = 0; i < 3; i++) {
            known = hub().post("/api/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"wrong password " + i + "\"}", null);
            unknown = hub().post("/api/v1/auth/login", "{\"email\":\"ghost@example.com\",\"password\":\"wrong password " + i + "\"}", null);
            assertThat(known.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(known.body()).isEqualTo(unknown.body());
        }
        HubClient.Response knownThrottled = hub().post("/api/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        HubClient.Response unknownThrottled = hub().post("/api/v1/auth/login", "{\"email\":\"ghost@example.com\",\"password\":\"x\"}", null);
        assertThat(knownThrottled.status()).as("even the right password waits").isEqualTo(429);
        assertThat(unknownThrottled.status()).isEqualTo(429);
        assertThat(knownThrottled.headers().firstValue("Retry-After")).isPresent();
        assertThat(unknownThrottled.headers().firstValue("Retry-After")).isPresent();
        assertThat(hub().post("/api/v1/auth/login", "{\"email\":\"owner@example.com\",\"password\":\"another horse battery\"}", null).status())
                .as("other accounts are not held back").isEqualTo(200);
        long wait = Long.parseLong(knownThrottled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(wait).isBetween(1L, 4L);
        clock.advance(Duration.ofSeconds(wait));
        assertThat(hub().post("/api/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"" + PASSWORD + "\"}", null).status())
                .as("released after the window").isEqualTo(200);
    }

    @Test
    @Order(12)
    void withTwoFactorOnSignInNeedsACurrentCodeOrARecoveryCode() {
        JsonNode enrollment = hub().post("/api/v1/auth/totp/setup", "{}", viewer).json();
        String secret = enrollment.path("secret").asString();
        assertThat(enrollment.path("otpauthUri").asString()).startsWith("otpauth://totp/FLick:viewer%40example.com?secret=" + secret);
        long now = System.currentTimeMillis();
        String previous = Totp.code(Totp.fromBase32(secret), Totp.step(now) - 1, 6);
        HubClient.Response confirmed = hub().post("/api/v1/auth/totp/confirm", "{\"code\":\"" + previous + "\"}", viewer);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        List<String> recovery = new java.util.ArrayList<>();
        confirmed.json().path("recoveryCodes").forEach(c -> recovery.add(c.asString()));
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();

        JsonNode first = hub().post("/api/v1/auth/login", "{\"email\":\"viewer@example.com\",\"password\":\"" + PASSWORD + "\"}", null).json();
        assertThat(first.path("mfaRequired").asBoolean()).isTrue();
        assertThat(first.has("accessToken")).isFalse();
        String mfaToken = first.path("mfaToken").asString();
        assertThat(hub().post("/api/v1/auth/login/totp", "{\"mfaToken\":\"" + mfaToken + "\",\"code\":\"000000\"}", null).status()).isEqualTo(401);
        assertThat(hub().post("/api/v1/auth/login/totp", "{\"mfaToken\":\"" + mfaToken + "\",\"code\":\"" + previous + "\"}", null).status())
                .as("a code already used does not work twice").isEqualTo(401);
        String current = Totp.code(Totp.fromBase32(secret), Totp.step(now), 6);
        HubClient.Response done = hub().post("/api/v1/auth/login/totp", "{\"mfaToken\":\"" + mfaToken + "\",\"code\":\"" + current + "\"}", null);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("accessToken").asString()).isNotBlank();
        assertThat(hub().post("/api/v1/auth/login/totp", "{\"mfaToken\":\"" + mfaToken + "\",\"code\":\"" + current + "\"}", null).status())
                .as("the mfaToken is single-use").isEqualTo(401);

        String again = hub().post("/api/v1/auth/login", "{\"email\":\"viewer@example.com\",\"password\":\"" + PASSWORD + "\"}", null)
                .json().path("mfaToken").asString();
        HubClient.Response byRecovery = hub().post("/api/v1/auth/login/totp", "{\"mfaToken\":\"" + again + "\",\"code\":\"" + recovery.get(0) + "\"}", null);
        assertThat(byRecovery.status()).isEqualTo(200);
        String third = hub().post("/api/v1/auth/login", "{\"email\":\"viewer@example.com\",\"password\":\"" + PASSWORD + "\"}", null)
                .json().path("mfaToken").asString();
        assertThat(hub().post("/api/v1/auth/login/totp", "{\"mfaToken\":\"" + third + "\",\"code\":\"" + recovery.get(0) + "\"}", null).status())
                .as("a recovery code works once").isEqualTo(401);
        assertThat(hub().get("/api/v1/auth/me", byRecovery.json().path("accessToken").asString()).json().path("recoveryCodesLeft").asInt())
                .isEqualTo(9);
        assertThat(jdbc.sql("SELECT totp_secret FROM users WHERE email = 'viewer@example.com'").query(String.class).single())
                .as("the secret is sealed at rest").isNotEqualTo(secret).doesNotContain(secret);
    }

    private String create(String email, String role) {
        HubClient.Response r = hub().post("/api/v1/users",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\",\"password\":\"" + PASSWORD + "\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("user").path("id").asString();
    }

    private String login(String email) {
        HubClient.Response r = hub().post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("accessToken").asString();
    }

    private LiveClient socket(String token) throws InterruptedException {
        LiveClient live = new LiveClient(port);
        live.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        assertThat(live.next("ready", 5_000)).isNotNull();
        return live;
    }

    static Snapshot snapshot(String serverId, long ts, double cpu) {
        return new Snapshot(serverId, ts,
                new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 0.5, 0.4, 0.3),
                new Snapshot.Memory(1_000, 400, 600, 100, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 10_000, 5_000)),
                new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(1, List.of(new Snapshot.Processes.Process(42, "burn", "root", cpu, 1_000, "burn"))));
    }
}
