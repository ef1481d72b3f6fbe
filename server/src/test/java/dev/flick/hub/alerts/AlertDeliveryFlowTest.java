package dev.flick.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;

import dev.flick.collector.Snapshot;
import dev.flick.hub.HubClient;
import dev.flick.hub.LiveClient;
import dev.flick.hub.metrics.Ingest;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Alerts end to end with real parts: snapshots through the one ingest path, a real SMTP server (GreenMail),
 * a real HTTP receiver on loopback, the real WebSocket. The methods build on each other in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertDeliveryFlowTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    static HttpServer receiver;
    static final BlockingQueue<String> hooks = new LinkedBlockingQueue<>();
    static final AtomicInteger failingCalls = new AtomicInteger();
    static final String SERVER = "srv-" + UUID.randomUUID().toString().substring(0, 8);

    static String token;
    static String adminId;
    static String emailChannel;
    static String hookChannel;
    static String ruleId;
    static String eventId;
    static LiveClient live;

    @LocalServerPort
    int port;

    @Autowired
    Ingest ingest;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        registry.add("flick.data-dir", () -> tempDir());
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("SMTP_HOST", () -> "127.0.0.1");
        registry.add("SMTP_PORT", () -> smtp.getSmtp().getPort());
        registry.add("SMTP_TLS", () -> "false");
        registry.add("SMTP_FROM", () -> "flick@example.com");
        registry.add("FLICK_PUBLIC_URL", () -> "https://flick.example.com");
        registry.add("flick.notify.retry-base", () -> "300ms");
        registry.add("flick.notify.retry-sweep", () -> "200");
        registry.add("flick.alerts.flap-cooldown", () -> "1s");
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("flick-alerts-test").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/broken", exchange -> {
            failingCalls.incrementAndGet();
            byte[] body = "SECRET-RESPONSE-BODY".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        if (live != null) live.close();
        receiver.stop(0);
    }

    HubClient hub() {
        return new HubClient(port);
    }

    String hookUrl(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    /** The newest ts handed to the hub so far: alerts only hear of snapshots newer than any seen (Ingest). */
    static long newest;

    /** A ts after every snapshot sent so far, so the hub treats it as live rather than a back-fill. */
    static long fresh() {
        return Math.max(System.currentTimeMillis(), newest + 1_000);
    }

    static Snapshot snapshot(String server, long ts, double cpu) {
        newest = Math.max(newest, ts);
        return new Snapshot(server, ts,
                new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 0.5, 0.4, 0.3),
                new Snapshot.Memory(1000, 400, 600, 100, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100, 10)),
                new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(2, List.of(new Snapshot.Processes.Process(4242, "cpu-burner", "root", 195.5, 1 << 20, "cpu-burner --all"),
                        new Snapshot.Processes.Process(1, "init", "root", 0.1, 1 << 10, "/sbin/init"))));
    }

    @Test
    @Order(1)
    void setUp() throws Exception {
        JsonNode session = hub().post("/api/v1/auth/setup", "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}", null).json();
        token = session.path("accessToken").asString();
        adminId = session.path("user").path("id").asString();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'web-1', 'agent', 'pending', ?)")
                .params(SERVER, System.currentTimeMillis()).update();
        live = new LiveClient(port);
        live.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        assertThat(live.next("ready", 5_000)).isNotNull();
        live.send("{\"type\":\"subscribe\",\"serverIds\":\"*\"}");
    }

    @Test
    @Order(2)
    void badRulesAreRefusedNamingTheField() {
        String base = "\"name\":\"cpu\",\"durationSeconds\":0,\"channelIds\":[],\"enabled\":true";
        assertField("{" + base + ",\"metric\":\"cpu.temperature\",\"comparator\":\">\",\"warning\":80}", "metric");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\">=\",\"warning\":80}", "comparator");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":90,\"critical\":80}", "critical");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\"<\",\"warning\":10,\"critical\":20}", "critical");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\">\"}", "warning");
        assertField("{" + base + ",\"metric\":\"memory.usage\",\"comparator\":\">\",\"warning\":180}", "warning");
        assertField("{\"name\":\"cpu\",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":80,\"durationSeconds\":-5}", "durationSeconds");
        assertField("{" + base.replace("[]", "[\"no-such-channel\"]") + ",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":80}", "channelIds");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":80,\"serverIds\":[\"nope\"]}", "serverIds");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":80,\"mount\":\"/\"}", "mount");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":80,\"warningLevel\":\"loud\"}", "warningLevel");
        assertField("{" + base + ",\"metric\":\"cpu.usage\",\"comparator\":\">\",\"warning\":80,\"recoveryMargin\":-1}", "recoveryMargin");
    }

    private void assertField(String body, String field) {
        HubClient.Response r = hub().post("/api/v1/alerts/rules", body, token);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().path("errors").get(0).path("field").asString()).as(body).isEqualTo(field);
        assertThat(r.body()).doesNotContain("Exception");
    }

    @Test
    @Order(3)
    void channelsAreValidatedAndWebhookUrlsNeverComeBackInFull() {
        HubClient.Response badEmail = hub().post("/api/v1/alerts/channels",
                "{\"name\":\"ops\",\"type\":\"email\",\"config\":{\"to\":[\"not an address\"]}}", token);
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().path("errors").get(0).path("field").asString()).isEqualTo("config.to");
        HubClient.Response badUrl = hub().post("/api/v1/alerts/channels",
                "{\"name\":\"hook\",\"type\":\"webhook\",\"config\":{\"url\":\"ftp://example.com/x\"}}", token);
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.json().path("errors").get(0).path("field").asString()).isEqualTo("config.url");

        HubClient.Response email = hub().post("/api/v1/alerts/channels",
                "{\"name\":\"ops\",\"type\":\"email\",\"config\":{\"to\":[\"ops@example.com\"]}}", token);
        assertThat(email.status()).isEqualTo(201);
        emailChannel = email.json().path("id").asString();

        String url = hookUrl("/hook?token=s3cr3t-token");
        HubClient.Response hook = hub().post("/api/v1/alerts/channels",
                "{\"name\":\"hook\",\"type\":\"webhook\",\"allowPrivate\":true,\"config\":{\"url\":\"" + url + "\",\"format\":\"json\"}}", token);
        assertThat(hook.status()).isEqualTo(201);
        hookChannel = hook.json().path("id").asString();
        assertThat(hook.body()).doesNotContain("s3cr3t-token");
        assertThat(hub().get("/api/v1/alerts/channels", token).body()).doesNotContain("s3cr3t-token").contains("127.0.0.1");
        byte[] stored = jdbc.sql("SELECT secret FROM alert_channels WHERE id = ?").param(hookChannel).query(byte[].class).single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t-token").doesNotContain("127.0.0.1");
    }

    @Test
    @Order(4)
    void aThresholdCrossedForItsDurationIsRecordedPushedLiveMailedAndPosted() throws Exception {
        HubClient.Response created = hub().post("/api/v1/alerts/rules", """
                {"name":"CPU hot","metric":"cpu.usage","comparator":">","warning":80,"critical":90,"durationSeconds":1,
                 "recoveryMargin":5,"serverIds":["%s"],"channelIds":["%s","%s"],"enabled":true}"""
                .formatted(SERVER, emailChannel, hookChannel), token);
        assertThat(created.status()).isEqualTo(201);
        ruleId = created.json().path("id").asString();
        assertThat(created.json().path("warningLevel").asString()).isEqualTo("warning");

        long t = fresh();
        for (int i = 0; i < 4; i++) ingest.accept(snapshot(SERVER, t + i * 500L, 96.5));

        JsonNode alert = live.next("alert", 10_000);
        assertThat(alert).isNotNull();
        assertThat(alert.path("state").asString()).isEqualTo("firing");
        assertThat(alert.path("level").asString()).isEqualTo("critical");
        assertThat(alert.path("threshold").asDouble()).isEqualTo(90);
        assertThat(alert.path("evidence").path("processes").get(0).path("name").asString()).isEqualTo("cpu-burner");
        eventId = alert.path("id").asString();

        JsonNode note = live.next("notification", 10_000);
        assertThat(note).isNotNull();
        assertThat(note.path("title").asString()).contains("critical").contains("CPU usage").contains("web-1");
        assertThat(note.path("read").asBoolean()).isFalse();
        assertThat(note.path("level").asString()).isEqualTo("critical");

        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
        assertThat(mail.getSubject()).contains("critical").contains("CPU usage").contains("web-1").contains("96.5 %");
        String text = textOf(mail, "text/plain");
        assertThat(text).contains("cpu-burner").contains("4242").contains("195.5").contains("> 90.0 %")
                .contains("https://flick.example.com/#/servers/" + SERVER + "?at=");
        assertThat(textOf(mail, "text/html")).contains("<td>cpu-burner</td>").contains("href=\"https://flick.example.com/#/servers/");

        String posted = hooks.poll(10, TimeUnit.SECONDS);
        assertThat(posted).isNotNull();
        JsonNode payload = HubClient.JSON.readTree(posted);
        assertThat(payload.path("version").asInt()).isEqualTo(1);
        assertThat(payload.path("kind").asString()).isEqualTo("firing");
        assertThat(payload.path("alert").path("eventId").asString()).isEqualTo(eventId);
        assertThat(payload.path("alert").path("level").asString()).isEqualTo("critical");
        assertThat(payload.path("alert").path("value").asDouble()).isEqualTo(96.5);
        assertThat(payload.path("processes").get(0).path("name").asString()).isEqualTo("cpu-burner");
        assertThat(payload.path("link").asString()).startsWith("https://flick.example.com/#/servers/" + SERVER + "?at=");
    }

    static String textOf(Part part, String type) throws Exception {
        if (part.isMimeType(type)) return (String) part.getContent();
        if (part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                String found = textOf(p, type);
                if (found != null) return found;
            }
        }
        return null;
    }

    @Test
    @Order(5)
    void eventsAreListedFilteredAndAcknowledged() throws Exception {
        JsonNode firing = hub().get("/api/v1/alerts/events?state=firing&serverId=" + SERVER, token).json();
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).path("id").asString()).isEqualTo(eventId);
        assertThat(firing.get(0).path("ruleName").asString()).isEqualTo("CPU hot");
        assertThat(hub().get("/api/v1/alerts/events?severity=warning", token).json()).isEmpty();
        assertThat(hub().get("/api/v1/alerts/events?state=maybe", token).status()).isEqualTo(400);

        HubClient.Response ack = hub().post("/api/v1/alerts/events/" + eventId + "/ack", "", token);
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.json().path("ackedBy").asString()).isEqualTo(adminId);
        JsonNode pushed = live.next("alert", 5_000);
        assertThat(pushed.path("ackedBy").asString()).isEqualTo(adminId);
        assertThat(hub().post("/api/v1/alerts/events/nope/ack", "", token).status()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void aLevelChangeAndTheRecoveryHappenInPlaceAndTheResolveIsToldAfterTheCoolDown() throws Exception {
        long t = fresh() + 5_000; // after the snapshots above
        ingest.accept(snapshot(SERVER, t, 86)); // within the recovery margin of critical (90 − 5): still critical
        ingest.accept(snapshot(SERVER, t + 250, 84)); // below it, above warning: down a level at once, in place
        JsonNode warning = live.next("alert", 5_000);
        assertThat(warning.path("id").asString()).isEqualTo(eventId);
        assertThat(warning.path("state").asString()).isEqualTo("firing");
        assertThat(warning.path("level").asString()).isEqualTo("warning");
        assertThat(warning.path("peakLevel").asString()).isEqualTo("critical");
        ingest.accept(snapshot(SERVER, t + 500, 10));
        JsonNode resolved = live.next("alert", 5_000);
        assertThat(resolved.path("state").asString()).isEqualTo("resolved");
        assertThat(resolved.path("id").asString()).isEqualTo(eventId);
        assertThat(resolved.path("history")).extracting(step -> step.path("level").asString())
                .containsExactly("critical", "warning", "resolved");
        assertThat(hub().get("/api/v1/alerts/events?state=firing", token).json()).isEmpty();

        ingest.accept(snapshot(SERVER, t + 2_000, 10)); // still fine once the cool-down has passed: now it is told
        JsonNode told = live.next("notification", 5_000);
        assertThat(told.path("eventId").asString()).isEqualTo(eventId);
        assertThat(told.path("level").asString()).isEqualTo("info");
        assertThat(told.path("link").asString()).isEqualTo("https://flick.example.com/#/servers/" + SERVER + "?at=" + (t + 500));
    }

    @Test
    @Order(13)
    void aFlappingRuleIsOneIncidentWithOneNoticeFilterableByRuleLevelStateAndServer() throws Exception {
        String flappy = "flap-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'flappy', 'agent', 'pending', ?)")
                .params(flappy, System.currentTimeMillis()).update();
        HubClient.Response created = hub().post("/api/v1/alerts/rules", """
                {"name":"Flappy","metric":"cpu.usage","comparator":">","warning":80,"durationSeconds":0,
                 "serverIds":["%s"],"enabled":true}""".formatted(flappy), token);
        assertThat(created.status()).isEqualTo(201);
        String flapRule = created.json().path("id").asString();

        long t = fresh();
        for (int i = 0; i < 20; i++) ingest.accept(snapshot(flappy, t + i * 100L, i % 2 == 0 ? 85 : 40));
        ingest.accept(snapshot(flappy, t + 2_000, 85));

        String query = "/api/v1/alerts/events?ruleId=" + flapRule + "&serverId=" + flappy;
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(hub().get(query, token).json()).singleElement().satisfies(e -> {
                    assertThat(e.path("state").asString()).isEqualTo("firing");
                    assertThat(e.path("reopens").asInt()).isEqualTo(10);
                }));
        String incident = hub().get(query, token).json().get(0).path("id").asString();
        JsonNode notes = hub().get("/api/v1/notifications?limit=500", token).json().path("items");
        assertThat(notes.valueStream().filter(n -> incident.equals(n.path("eventId").asString())))
                .singleElement().satisfies(n -> assertThat(n.path("link").asString()).contains("/#/servers/" + flappy + "?at=" + t));

        assertThat(hub().get(query + "&state=resolved", token).json()).isEmpty();
        assertThat(hub().get(query + "&state=firing,resolved&level=warning,critical", token).json()).hasSize(1);
        assertThat(hub().get(query + "&level=critical", token).json()).isEmpty();
        assertThat(hub().get("/api/v1/alerts/events?level=loud", token).json().path("errors").get(0).path("field").asString()).isEqualTo("level");
        assertThat(hub().get("/api/v1/alerts/events?ruleId=" + flapRule + "," + ruleId, token).json())
                .extracting(e -> e.path("ruleId").asString()).contains(flapRule, ruleId);

        int stored = jdbc.sql("SELECT count(*) FROM alert_events WHERE rule_id = ?").param(flapRule).query(Integer.class).single();
        assertThat(stored).isEqualTo(1);
        // The database itself refuses a second open incident for the same rule × server × mount.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql("""
                        INSERT INTO alert_events (id, rule_id, server_id, metric, level, state, started_at)
                        VALUES ('dup', ?, ?, 'cpu.usage', 'warning', 'firing', 1)""").params(flapRule, flappy).update())
                .isInstanceOf(org.springframework.dao.DataAccessException.class).hasMessageContaining("alert_events_one_open");
    }

    @Test
    @Order(14)
    void theBellClearsOneNotificationOrAll() {
        JsonNode items = hub().get("/api/v1/notifications", token).json().path("items");
        assertThat(items.size()).isGreaterThanOrEqualTo(2);
        String first = items.get(0).path("id").asString();
        assertThat(hub().delete("/api/v1/notifications/" + first, token).status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/notifications", token).json().path("items").size()).isEqualTo(items.size() - 1);
        assertThat(hub().delete("/api/v1/notifications/" + first, token).status()).isEqualTo(404);
        assertThat(hub().delete("/api/v1/notifications", token).status()).isEqualTo(200);
        assertThat(hub().get("/api/v1/notifications", token).json().path("items")).isEmpty();
    }

    @Test
    @Order(7)
    void inAppNotificationsCountUnreadAndMarkRead() {
        JsonNode page = hub().get("/api/v1/notifications", token).json();
        assertThat(page.path("unread").asLong()).isGreaterThanOrEqualTo(2);
        String first = page.path("items").get(0).path("id").asString();
        assertThat(hub().post("/api/v1/notifications/" + first + "/read", "", token).status()).isEqualTo(200);
        long unread = hub().get("/api/v1/notifications", token).json().path("unread").asLong();
        assertThat(unread).isEqualTo(page.path("unread").asLong() - 1);
        hub().post("/api/v1/notifications/read-all", "", token);
        assertThat(hub().get("/api/v1/notifications", token).json().path("unread").asLong()).isZero();
        assertThat(hub().post("/api/v1/notifications/nope/read", "", token).status()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void webhooksToPrivateTargetsAreRefusedUnlessAnAdminAllowsThem() throws Exception {
        for (String url : List.of("http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/x", "http://[fd00:ec2::254]/x")) {
            HubClient.Response r = hub().post("/api/v1/alerts/channels",
                    "{\"name\":\"bad\",\"type\":\"webhook\",\"config\":{\"url\":\"" + url + "\"}}", token);
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("config.url");
        }
        // A name is only known after resolution: accepted, then refused when sending.
        HubClient.Response byName = hub().post("/api/v1/alerts/channels",
                "{\"name\":\"sneaky\",\"type\":\"webhook\",\"config\":{\"url\":\"http://localhost:" + receiver.getAddress().getPort()
                        + "/hook\"}}", token);
        assertThat(byName.status()).isEqualTo(201);
        hooks.clear();
        JsonNode test = hub().post("/api/v1/alerts/channels/" + byName.json().path("id").asString() + "/test", "", token).json();
        assertThat(test.path("delivered").asBoolean()).isFalse();
        assertThat(test.path("error").asString()).contains("refused").contains("loopback");
        assertThat(hooks.poll(500, TimeUnit.MILLISECONDS)).as("nothing reached the receiver").isNull();

        JsonNode allowed = hub().post("/api/v1/alerts/channels/" + hookChannel + "/test", "", token).json();
        assertThat(allowed.path("delivered").asBoolean()).isTrue();
        assertThat(HubClient.JSON.readTree(hooks.poll(5, TimeUnit.SECONDS)).path("kind").asString()).isEqualTo("test");
    }

    @Test
    @Order(9)
    void onlyAnAdminMayAllowPrivateTargets() {
        String memberId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        jdbc.sql("INSERT INTO users (id, email, name, password_hash, role, disabled, created_at, updated_at) VALUES (?, ?, 'Bob', ?, 'member', ?, ?, ?)")
                .params(memberId, "bob@example.com", passwords.encode("member password 1"), false, now, now).update();
        String member = hub().post("/api/v1/auth/login", "{\"email\":\"bob@example.com\",\"password\":\"member password 1\"}", null)
                .json().path("accessToken").asString();
        HubClient.Response r = hub().post("/api/v1/alerts/channels", "{\"name\":\"mine\",\"type\":\"webhook\",\"allowPrivate\":true,"
                + "\"config\":{\"url\":\"" + hookUrl("/hook") + "\"}}", member);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("allowPrivate");
    }

    @Test
    @Order(10)
    void aFailingWebhookIsRetriedWithBackoffAndTheFailureIsVisibleWhileTheEventStaysRecorded() throws Exception {
        String broken = hub().post("/api/v1/alerts/channels", "{\"name\":\"broken\",\"type\":\"webhook\",\"allowPrivate\":true,"
                + "\"config\":{\"url\":\"" + hookUrl("/broken") + "\",\"format\":\"slack\"}}", token).json().path("id").asString();
        HubClient.Response rule = hub().post("/api/v1/alerts/rules", """
                {"name":"Load","metric":"cpu.load1","comparator":">","critical":0.1,"durationSeconds":0,
                 "serverIds":["%s"],"channelIds":["%s"],"enabled":true}""".formatted(SERVER, broken), token);
        assertThat(rule.status()).isEqualTo(201);
        ingest.accept(snapshot(SERVER, fresh(), 10));

        JsonNode d = firstDeliveryAfterRetries(broken);
        assertThat(d.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(d.path("lastError").asString()).isEqualTo("HTTP 500");
        assertThat(failingCalls.get()).isGreaterThanOrEqualTo(2);
        JsonNode channel = hub().get("/api/v1/alerts/channels/" + broken, token).json();
        assertThat(channel.path("health").path("failing").asLong()).isEqualTo(1);
        assertThat(channel.toString()).doesNotContain("SECRET-RESPONSE-BODY");
        assertThat(hub().get("/api/v1/alerts/events?state=firing&ruleId=" + rule.json().path("id").asString(), token).json()).hasSize(1);
    }

    @Test
    @Order(12)
    void alertTransitionsAreWrittenToTheHubEventLog() throws Exception {
        JsonNode items = null;
        for (int i = 0; i < 40; i++) {
            items = hub().get("/api/v1/logs?source=hub&serverId=" + SERVER + "&q=Alert", token).json().path("items");
            if (items.size() > 0) break;
            Thread.sleep(100);
        }
        assertThat(items.size()).isPositive();
        assertThat(items.toString()).contains("is critical").contains("resolved");
    }

    @Test
    @Order(11)
    void withTheSmtpServerDownTheEventStaysRecordedAndTheFailedEmailIsRetriedVisibly() throws Exception {
        smtp.stop(); // the real SMTP server goes away: connections to its port are refused
        String mail = hub().post("/api/v1/alerts/channels",
                "{\"name\":\"ops mail\",\"type\":\"email\",\"config\":{\"to\":[\"ops@example.com\"]}}", token).json()
                .path("id").asString();
        HubClient.Response rule = hub().post("/api/v1/alerts/rules", """
                {"name":"Disk","metric":"disk.usage","comparator":">","critical":5,"durationSeconds":0,
                 "serverIds":["%s"],"channelIds":["%s"],"enabled":true}""".formatted(SERVER, mail), token);
        assertThat(rule.status()).isEqualTo(201);
        ingest.accept(snapshot(SERVER, fresh(), 10));

        JsonNode d = firstDeliveryAfterRetries(mail);
        assertThat(d.path("attempts").asInt()).as("retried").isGreaterThanOrEqualTo(2);
        assertThat(d.path("lastError").asString()).isNotBlank();
        assertThat(hub().get("/api/v1/alerts/channels/" + mail, token).json().path("health").path("failing").asLong()).isEqualTo(1);
        assertThat(hub().get("/api/v1/alerts/events?state=firing&ruleId=" + rule.json().path("id").asString(), token).json())
                .as("the event is recorded whatever happens to delivery").hasSize(1);
    }

    /** The channel's newest delivery once it has been attempted twice (or after 15 s, for the assertions to say why). */
    private JsonNode firstDeliveryAfterRetries(String channelId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode deliveries;
        do {
            Thread.sleep(200);
            deliveries = hub().get("/api/v1/alerts/channels/" + channelId + "/deliveries", token).json();
        } while ((deliveries.isEmpty() || deliveries.get(0).path("attempts").asInt() < 2) && System.currentTimeMillis() < deadline);
        return deliveries.get(0);
    }
}
