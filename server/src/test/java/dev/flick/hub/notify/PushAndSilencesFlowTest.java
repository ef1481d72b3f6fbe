package dev.flick.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import dev.flick.collector.Snapshot;
import dev.flick.hub.HubClient;
import dev.flick.hub.metrics.Ingest;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Web Push and silences end to end with real parts: snapshots through the one ingest path, an RFC 8030 push
 * service on loopback that checks the VAPID token and decrypts what it gets with the browser's keys made here,
 * and a loopback webhook receiver. Time inside the engine is the snapshots' own, so no test waits on the clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PushAndSilencesFlowTest {

    /** What the loopback push service received, as a browser's push service would see it. */
    record Pushed(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    static HttpServer receiver;
    static final BlockingQueue<Pushed> pushes = new LinkedBlockingQueue<>();
    static final BlockingQueue<String> hooks = new LinkedBlockingQueue<>();
    static String token;

    @LocalServerPort
    int port;

    @Autowired
    Ingest ingest;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("flick-push-test").toString();
        registry.add("flick.data-dir", () -> dir);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("FLICK_PUBLIC_URL", () -> "https://flick.example.com");
        // The existing private-target allowance: the push service here is on loopback over plain HTTP.
        registry.add("flick.notify.webhook-allow-private", () -> "true");
        registry.add("flick.notify.retry-base", () -> "300ms");
        registry.add("flick.notify.retry-sweep", () -> "200");
    }

    @BeforeAll
    static void startReceivers() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/push/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            pushes.add(new Pushed(path, Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(path.endsWith("/gone") ? 410 : 201, -1);
            exchange.close();
        });
        receiver.createContext("/hook", exchange -> {
            hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceivers() {
        receiver.stop(0);
    }

    HubClient hub() {
        return new HubClient(port);
    }

    /** The first test to run sets the hub up; every test makes its own servers and rules. */
    synchronized String admin() {
        if (token == null) {
            token = hub().post("/api/v1/auth/setup", "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}", null)
                    .json().path("accessToken").asString();
        }
        return token;
    }

    String server(String name) {
        String id = "srv-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'pending', ?)")
                .params(id, name, System.currentTimeMillis()).update();
        return id;
    }

    String cpuRule(String serverId, String... channels) {
        String ids = channels.length == 0 ? "" : "\"" + String.join("\",\"", channels) + "\"";
        HubClient.Response r = hub().post("/api/v1/alerts/rules", """
                {"name":"CPU hot","metric":"cpu.usage","comparator":">","warning":80,"critical":90,"durationSeconds":0,
                 "serverIds":["%s"],"channelIds":[%s],"enabled":true}""".formatted(serverId, ids), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    String subscribe(PushReceiver browser, String path, String name) {
        HubClient.Response r = hub().post("/api/v1/push/subscriptions", """
                {"endpoint":"%s","keys":{"p256dh":"%s","auth":"%s"},"name":"%s"}"""
                .formatted(pushUrl(path), browser.p256dh(), browser.authSecret(), name), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    String pushUrl(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    static long newest;

    static synchronized long fresh() {
        newest = Math.max(System.currentTimeMillis(), newest + 1_000);
        return newest;
    }

    static Snapshot snapshot(String server, long ts, double cpu) {
        synchronized (PushAndSilencesFlowTest.class) {
            newest = Math.max(newest, ts);
        }
        return new Snapshot(server, ts,
                new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 0.5, 0.4, 0.3),
                new Snapshot.Memory(1000, 400, 600, 100, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100, 10)),
                new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(1, List.of(new Snapshot.Processes.Process(4242, "cpu-burner", "root", 195.5, 1 << 20, "cpu-burner"))));
    }

    Pushed nextPushFor(String serverId, PushReceiver browser) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Pushed p = pushes.poll(500, TimeUnit.MILLISECONDS);
            if (p == null) continue;
            try {
                JsonNode j = HubClient.JSON.readTree(PushReceiver.decrypt(p.body(), browser.keys, browser.auth));
                if (serverId.equals(j.path("serverId").asString())) return p;
            } catch (javax.crypto.AEADBadTagException otherDevice) {
                // a push to another test's device
            }
        }
        throw new AssertionError("no push about " + serverId);
    }

    @Test
    void anAlertIsPushedToTheDeviceEncryptedForItAndSignedWithTheHubsVapidKey() throws Exception {
        String vapid = hub().get("/api/v1/push/vapid-public-key", admin()).json().path("publicKey").asString();
        assertThat(WebPushCrypto.unb64(vapid)).hasSize(65).startsWith((byte) 4);
        assertThat(Files.getPosixFilePermissions(java.nio.file.Path.of(jdbcDataDir(), VapidKeys.FILE)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        PushReceiver browser = new PushReceiver();
        String subId = subscribe(browser, "/push/phone-" + UUID.randomUUID(), "Ada's phone");
        HubClient.Response listed = hub().get("/api/v1/push/subscriptions", admin());
        assertThat(listed.json().findValuesAsString("name")).contains("Ada's phone");
        assertThat(listed.body()).contains("\"createdAt\"").contains("\"userAgent\"").doesNotContain(browser.authSecret())
                .doesNotContain("/push/phone");

        String server = server("web-push-1");
        cpuRule(server);
        long t = fresh();
        long before = System.currentTimeMillis() / 1000;
        ingest.accept(snapshot(server, t, 96.5));

        Pushed p = nextPushFor(server, browser);
        assertThat(p.header("Content-Encoding")).isEqualTo("aes128gcm");
        assertThat(Integer.parseInt(p.header("TTL"))).isPositive();
        Matcher auth = Pattern.compile("vapid t=([\\w-]+\\.[\\w-]+\\.[\\w-]+), k=([\\w-]+)").matcher(p.header("Authorization"));
        assertThat(auth.matches()).as(p.header("Authorization")).isTrue();
        assertThat(auth.group(2)).isEqualTo(vapid);
        JsonNode claims = HubClient.JSON.readTree(PushReceiver.verifiedClaims(auth.group(1), WebPushCrypto.unb64(vapid)));
        assertThat(claims.path("aud").asString()).isEqualTo("http://127.0.0.1:" + receiver.getAddress().getPort());
        assertThat(claims.path("exp").asLong()).isGreaterThan(before).isLessThanOrEqualTo(before + 86_400 + 5);
        assertThat(claims.path("sub").asString()).isEqualTo("https://flick.example.com");

        JsonNode shown = HubClient.JSON.readTree(PushReceiver.decrypt(p.body(), browser.keys, browser.auth));
        assertThat(shown.path("title").asString()).contains("critical").contains("CPU usage").contains("web-push-1").contains("96.5 %");
        assertThat(shown.path("level").asString()).isEqualTo("critical");
        assertThat(shown.path("kind").asString()).isEqualTo("firing");
        assertThat(shown.path("url").asString()).isEqualTo("#/servers/" + server + "?at=" + t);
        assertThat(shown.path("tag").asString()).startsWith("flick-").contains(server);
        assertThat(shown.path("body").asString()).contains("cpu-burner");

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM push_deliveries WHERE subscription_id = ? AND status = 'delivered'").param(subId).query(Long.class).single() == 1);
    }

    String jdbcDataDir() {
        String url = jdbc.sql("PRAGMA database_list").query((rs, n) -> rs.getString("file")).list().get(0);
        return java.nio.file.Path.of(url).getParent().toString();
    }

    @Test
    void aPushServiceAnswering410RemovesTheSubscription() throws Exception {
        PushReceiver browser = new PushReceiver();
        String gone = subscribe(browser, "/push/" + UUID.randomUUID() + "/gone", "old laptop");
        String server = server("web-push-2");
        cpuRule(server);
        ingest.accept(snapshot(server, fresh(), 95));
        nextPushFor(server, browser);
        await().atMost(Duration.ofSeconds(10)).until(() -> !hub().get("/api/v1/push/subscriptions", admin()).body().contains(gone));
        assertThat(jdbc.sql("SELECT count(*) FROM push_subscriptions WHERE id = ?").param(gone).query(Long.class).single()).isZero();
    }

    @Test
    void badSubscriptionsAreRefusedNamingTheField() {
        PushReceiver b = new PushReceiver();
        assertField("/api/v1/push/subscriptions", "{\"keys\":{\"p256dh\":\"" + b.p256dh() + "\",\"auth\":\"" + b.authSecret() + "\"}}", "endpoint");
        assertField("/api/v1/push/subscriptions", "{\"endpoint\":\"ftp://push.example.net/x\",\"keys\":{\"p256dh\":\"" + b.p256dh()
                + "\",\"auth\":\"" + b.authSecret() + "\"}}", "endpoint");
        assertField("/api/v1/push/subscriptions", "{\"endpoint\":\"" + pushUrl("/push/x") + "\"}", "keys");
        assertField("/api/v1/push/subscriptions", "{\"endpoint\":\"" + pushUrl("/push/x") + "\",\"keys\":{\"p256dh\":\"AAAA\",\"auth\":\""
                + b.authSecret() + "\"}}", "keys.p256dh");
        assertField("/api/v1/push/subscriptions", "{\"endpoint\":\"" + pushUrl("/push/x") + "\",\"keys\":{\"p256dh\":\"" + b.p256dh()
                + "\",\"auth\":\"short\"}}", "keys.auth");
    }

    @Test
    void anAlertFiringInsideASilenceIsRecordedButNobodyIsToldUntilTheSilenceEnds() throws Exception {
        String hook = hub().post("/api/v1/alerts/channels", "{\"name\":\"hook\",\"type\":\"webhook\",\"allowPrivate\":true,\"config\":{\"url\":\""
                + pushUrl("/hook") + "\",\"format\":\"json\"}}", admin()).json().path("id").asString();
        PushReceiver browser = new PushReceiver();
        subscribe(browser, "/push/tablet-" + UUID.randomUUID(), "tablet");
        String quiet = server("db-maint");
        String loud = server("web-loud");
        cpuRule(quiet, hook);
        cpuRule(loud, hook);

        long t = fresh();
        long ends = t + 30_000;
        HubClient.Response silence = hub().post("/api/v1/silences", """
                {"serverId":"%s","startsAt":%d,"endsAt":%d,"comment":"kernel upgrade"}""".formatted(quiet, t - 1_000, ends), admin());
        assertThat(silence.status()).as(silence.body()).isEqualTo(201);
        assertThat(hub().get("/api/v1/silences", admin()).body()).contains(quiet).contains("kernel upgrade");

        ingest.accept(snapshot(quiet, t, 97));
        ingest.accept(snapshot(quiet, t + 1_000, 97));
        // The recorder handles changes in order on one thread: once the loud server's notice is out, the quiet
        // server's change before it has been handled completely.
        ingest.accept(snapshot(loud, t + 1_500, 97));
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks.stream().anyMatch(h -> h.contains(loud)));

        String eventId = jdbc.sql("SELECT id FROM alert_events WHERE server_id = ? AND state = 'firing'").param(quiet).query(String.class).single();
        assertThat(count("SELECT count(*) FROM notifications WHERE event_id = ?", eventId)).isZero();
        assertThat(count("SELECT count(*) FROM alert_deliveries WHERE event_id = ?", eventId)).isZero();
        assertThat(count("SELECT count(*) FROM push_deliveries WHERE event_id = ?", eventId)).isZero();
        assertThat(hooks).noneMatch(h -> h.contains(quiet));

        // Past the end of the silence and still firing: told once, then, as "firing".
        ingest.accept(snapshot(quiet, ends + 1_000, 97));
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks.stream().anyMatch(h -> h.contains(quiet)));
        JsonNode posted = HubClient.JSON.readTree(hooks.stream().filter(h -> h.contains(quiet)).findFirst().orElseThrow());
        assertThat(posted.path("kind").asString()).isEqualTo("firing");
        assertThat(posted.path("alert").path("eventId").asString()).isEqualTo(eventId);
        assertThat(count("SELECT count(*) FROM notifications WHERE event_id = ?", eventId)).isEqualTo(1);
        JsonNode pushed = HubClient.JSON.readTree(PushReceiver.decrypt(nextPushFor(quiet, browser).body(), browser.keys, browser.auth));
        assertThat(pushed.path("eventId").asString()).isEqualTo(eventId);
    }

    long count(String sql, String param) {
        return jdbc.sql(sql).param(param).query(Long.class).single();
    }

    @Test
    void silencesAreValidatedNamingTheFieldAndCanBeEnded() {
        String server = server("web-val");
        long now = System.currentTimeMillis();
        assertField("/api/v1/silences", "{\"serverId\":\"" + server + "\",\"comment\":\"x\"}", "endsAt");
        assertField("/api/v1/silences", "{\"serverId\":\"" + server + "\",\"startsAt\":" + (now + 60_000) + ",\"endsAt\":" + (now + 1_000)
                + ",\"comment\":\"x\"}", "endsAt");
        assertField("/api/v1/silences", "{\"serverId\":\"" + server + "\",\"endsAt\":" + (now + 40L * 86_400_000) + ",\"comment\":\"x\"}", "endsAt");
        assertField("/api/v1/silences", "{\"serverId\":\"nope\",\"endsAt\":" + (now + 60_000) + ",\"comment\":\"x\"}", "serverId");
        assertField("/api/v1/silences", "{\"ruleId\":\"nope\",\"endsAt\":" + (now + 60_000) + ",\"comment\":\"x\"}", "ruleId");
        assertField("/api/v1/silences", "{\"serverId\":\"" + server + "\",\"endsAt\":" + (now + 60_000) + ",\"comment\":\" \"}", "comment");
        assertField("/api/v1/silences", "{\"serverId\":\"" + server + "\",\"startsAt\":-5,\"endsAt\":" + (now + 60_000) + ",\"comment\":\"x\"}", "startsAt");

        HubClient.Response made = hub().post("/api/v1/silences", "{\"serverId\":\"" + server + "\",\"endsAt\":" + (now + 60_000)
                + ",\"comment\":\"disk swap\"}", admin());
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.json().path("startsAt").asLong()).isGreaterThanOrEqualTo(now);
        String id = made.json().path("id").asString();
        assertThat(hub().delete("/api/v1/silences/" + id, admin()).status()).isEqualTo(204);
        assertThat(hub().get("/api/v1/silences", admin()).body()).doesNotContain(id);
        assertThat(hub().delete("/api/v1/silences/" + id, admin()).status()).isEqualTo(404);
    }

    private void assertField(String path, String body, String field) {
        HubClient.Response r = hub().post(path, body, admin());
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().path("errors").get(0).path("field").asString()).as(body).isEqualTo(field);
    }
}
