package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Remote servers against real parts: the hub on a random port, Debian's sshd on loopback, a real agent process and
 * raw WebSocket clients. The hub's own host is watched three ways at once (local, agent, SSH) and the readings agree.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteServersTest {

    static final String PASSWORD_USER = "flicktest";
    static final String PASSWORD = "Pw-" + java.util.UUID.randomUUID();
    static TestSshd sshd;

    @LocalServerPort
    int port;
    HubClient client;
    String token;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-remote-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        registry.add("flick.encryption-nonce", () -> "AAAAAAAAAAAAAAAA");
        // sshd listens on 127.0.0.1, which SSH servers may not point at otherwise.
        registry.add("flick.ssh.allow-loopback", () -> "true");
    }

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = new TestSshd();
        TestSshd.addUser(PASSWORD_USER, PASSWORD);
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) sshd.close();
        TestSshd.removeUser(PASSWORD_USER);
    }

    @BeforeEach
    void signIn() {
        client = new HubClient(port);
        token = client.admin();
    }

    @Test
    @Order(1)
    void badInputIsRefusedWithTheFieldsAtFault(CapturedOutput output) {
        HubClient.Response none = client.post("/api/v1/servers", "{\"name\":\" \",\"mode\":\"ftp\"}", token);
        assertThat(none.status()).isEqualTo(400);
        assertThat(fields(none)).containsExactlyInAnyOrder("name", "mode");

        HubClient.Response ssh = client.post("/api/v1/servers",
                "{\"name\":\"x\",\"mode\":\"ssh\",\"host\":\"bad host\",\"port\":70000,\"username\":\"\"}", token);
        assertThat(fields(ssh)).contains("host", "port", "username", "password");

        HubClient.Response both = client.post("/api/v1/servers", sshBody("x", PASSWORD_USER, "\"password\":\"a\",\"privateKey\":\"b\""), token);
        assertThat(fields(both)).containsExactly("privateKey");
        HubClient.Response notAKey = client.post("/api/v1/servers", sshBody("x", "root", "\"privateKey\":\"hello\""), token);
        assertThat(notAKey.json().get("errors").get(0).get("message").asString()).contains("not a private key");

        HubClient.Response agentWithHost = client.post("/api/v1/servers", "{\"name\":\"a\",\"mode\":\"agent\",\"host\":\"h\"}", token);
        assertThat(fields(agentWithHost)).containsExactly("host");

        assertThat(client.patch("/api/v1/servers/nope", "{\"name\":\"n\"}", token).status()).isEqualTo(404);
        assertThat(client.delete("/api/v1/servers/nope", token).status()).isEqualTo(404);
        assertThat(client.post("/api/v1/servers", "{\"name\":\"a\",\"mode\":\"agent\"}", null).status()).isEqualTo(401);
        assertThat(output.getAll()).contains("ENCRYPTION_NONCE is set and ignored").contains("XOR");
    }

    @Test
    @Order(2)
    void keyAndPasswordLoginsGoOnlineAndNeverShowCredentials(CapturedOutput output) throws Exception {
        JsonNode byKey = create(sshBody("by key", "root", "\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey)));
        JsonNode byPassword = create(sshBody("by password", PASSWORD_USER, "\"password\":\"" + PASSWORD + "\""));
        assertThat(byKey.get("hasKey").asBoolean()).isTrue();
        assertThat(byKey.get("hasPassword").asBoolean()).isFalse();
        assertThat(byPassword.get("hasPassword").asBoolean()).isTrue();

        awaitStatus(byKey, "online", 30_000);
        awaitStatus(byPassword, "online", 30_000);
        JsonNode key = server(byKey);
        assertThat(key.get("hostKeyFingerprint").asString()).startsWith("SHA256:");
        assertThat(key.get("info").get("kernel").asString()).isNotBlank();
        assertThat(key.get("latest").get("processes").get("count").asInt()).isPositive();

        // Replacing credentials with a wrong password: a clear error, then the right one again: online.
        HubClient.Response wrong = client.patch("/api/v1/servers/" + byPassword.get("id").asString(), "{\"password\":\"wrong-one\"}", token);
        assertThat(wrong.status()).isEqualTo(200);
        JsonNode refused = awaitStatus(byPassword, "error", 30_000);
        assertThat(refused.get("statusReason").asString()).contains("Wrong password");
        client.patch("/api/v1/servers/" + byPassword.get("id").asString(), "{\"password\":\"" + PASSWORD + "\"}", token);
        awaitStatus(byPassword, "online", 30_000);

        String all = client.get("/api/v1/servers", token).body();
        assertThat(all).doesNotContain(PASSWORD).doesNotContain("OPENSSH PRIVATE KEY").doesNotContain("wrong-one");
        assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain("wrong-one")
                .doesNotContain(sshd.clientKey.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    @Order(3)
    void aRefusedKeyAndAnUnreachableHostEachSayWhy() throws Exception {
        String otherKey = otherPrivateKey();
        JsonNode refusedKey = create(sshBody("refused key", "root", "\"privateKey\":" + HubClient.JSON.writeValueAsString(otherKey)));
        assertThat(awaitStatus(refusedKey, "error", 30_000).get("statusReason").asString()).contains("refused the private key");

        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        JsonNode unreachable = create("{\"name\":\"nobody home\",\"mode\":\"ssh\",\"host\":\"127.0.0.1\",\"port\":" + closedPort
                + ",\"username\":\"root\",\"password\":\"x\"}");
        JsonNode refusedConnection = awaitStatus(unreachable, "error", 30_000);
        assertThat(refusedConnection.get("statusReason").asString()).contains("connection refused");
        // The same reason as a code with its values, for the client to say in its user's language.
        assertThat(refusedConnection.get("statusReasonCode").asString()).isEqualTo("ssh.connection_refused");
        assertThat(refusedConnection.get("statusReasonParams").get("where").asString()).isEqualTo("127.0.0.1:" + closedPort);
        client.delete("/api/v1/servers/" + refusedKey.get("id").asString(), token);
        client.delete("/api/v1/servers/" + unreachable.get("id").asString(), token);
    }

    @Test
    @Order(4)
    void agentSocketsRefuseBadTokensAndBadMessagesWithoutHarm() throws Exception {
        JsonNode agent = create("{\"name\":\"socket agent\",\"mode\":\"agent\"}");
        JsonNode other = create("{\"name\":\"other agent\",\"mode\":\"agent\"}");
        String id = agent.get("id").asString();

        try (Socket wrong = new Socket(port)) {
            wrong.send("{\"type\":\"auth\",\"token\":\"flk_wrong\"}");
            assertThat(wrong.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        }
        try (Socket silent = new Socket(port)) {
            silent.send("{\"type\":\"snapshots\",\"items\":[]}");
            assertThat(silent.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        }
        try (Socket s = new Socket(port)) {
            s.send("{\"type\":\"auth\",\"token\":\"" + agent.get("agentToken").asString() + "\",\"interval\":1000}");
            assertThat(s.next("ready").get("serverId").asString()).isEqualTo(id);
            s.send("not json");
            assertThat(s.next("error").get("code").asString()).isEqualTo("bad-json");
            s.send("{\"type\":\"snapshots\",\"items\":[{\"ts\":\"soon\"},{\"ts\":1,\"cpu\":null}]}");
            // Protocol 2: refusals come in the acknowledgement, each with its ts and reason; nothing else is lost.
            JsonNode refusedAck = s.next("ack");
            assertThat(refusedAck.get("refused")).hasSize(2);
            assertThat(refusedAck.get("refused").get(0).get("message").asString()).contains("ts must be a number");
            assertThat(refusedAck.get("refused").get(1).get("code").asString()).isEqualTo("clock"); // ts 1 is 1970
            s.send("{\"type\":\"warp\"}");
            assertThat(s.next("error").get("code").asString()).isEqualTo("unknown-type");
            // A snapshot claiming to be another server is stored as this socket's server.
            long ts = System.currentTimeMillis();
            String snapshot = dev.flick.collector.SnapshotJson.write(new dev.flick.collector.OshiCollector().sample()
                    .withServerId(other.get("id").asString()).withTs(ts));
            s.send("{\"type\":\"snapshots\",\"items\":[" + snapshot + "]}");
            assertThat(s.next("ack").get("ts").asLong()).isEqualTo(ts);
            assertThat(s.closeCode).isNotDone();
            await(5_000, () -> server(agent).path("latest").path("ts").asLong() == ts, "snapshot stored under the token's server");
            assertThat(server(other).path("latest").isMissingNode()).isTrue();

            client.delete("/api/v1/servers/" + id, token);
            assertThat(s.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        }
        assertThat(client.get("/api/v1/servers", token).status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void theSameMachineWatchedThreeWaysReportsTheSameNumbers() throws Exception {
        JsonNode list = client.get("/api/v1/servers", token).json();
        String localId = null;
        for (JsonNode s : list) if (s.get("mode").asString().equals("local")) localId = s.get("id").asString();
        assertThat(localId).isNotNull();
        JsonNode viaSsh = create(sshBody("three ways: ssh", "root", "\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey)));
        JsonNode viaAgent = create("{\"name\":\"three ways: agent\",\"mode\":\"agent\"}");
        try (AgentProcess agent = new AgentProcess(client.base(), viaAgent.get("agentToken").asString(), "1s")) {
            awaitStatus(viaSsh, "online", 30_000);
            awaitStatus(viaAgent, "online", 30_000);
            Thread.sleep(14_000);
            long to = System.currentTimeMillis() - 2_000;
            long from = to - 12_000;
            Map<String, Double> local = averages(localId, from, to);
            Map<String, Double> agentSide = averages(viaAgent.get("id").asString(), from, to);
            Map<String, Double> ssh = averages(viaSsh.get("id").asString(), from, to);
            double memTotal = local.get("memTotal");
            double diskTotal = local.get("diskTotal");
            for (Map<String, Double> other : java.util.List.of(agentSide, ssh)) {
                // The three sample at different phases of the second on a shared 2-core box where builds come and go:
                // 12-s averages of the busy share still land within 12 points of each other.
                assertThat(other.get("cpu")).as("CPU %%").isCloseTo(local.get("cpu"), org.assertj.core.data.Offset.offset(12.0));
                // Same /proc/meminfo, read up to a second apart: within 4% of total memory.
                assertThat(other.get("memUsed")).as("memory used").isCloseTo(local.get("memUsed"), org.assertj.core.data.Offset.offset(0.04 * memTotal));
                assertThat(other.get("memTotal")).as("memory total").isEqualTo(memTotal);
                // statvfs and df -B1 of the same filesystems: equal totals; used moves only with what builds write meanwhile.
                assertThat(other.get("diskTotal")).as("disk total").isCloseTo(diskTotal, org.assertj.core.data.Offset.offset(0.001 * diskTotal));
                assertThat(other.get("diskUsed")).as("disk used").isCloseTo(local.get("diskUsed"), org.assertj.core.data.Offset.offset(0.01 * diskTotal));
                // Non-loopback traffic only (SSH and the agent talk over loopback): the same counters over the same window,
                // within 25% or 64 KiB/s, whichever is larger.
                for (String rate : new String[] {"netRxBps", "netTxBps"}) {
                    double tolerance = Math.max(65_536, 0.25 * Math.max(local.get(rate), other.get(rate)));
                    assertThat(other.get(rate)).as(rate).isCloseTo(local.get(rate), org.assertj.core.data.Offset.offset(tolerance));
                }
            }
        }
    }

    @Test
    @Order(6)
    void aChangedHostKeyIsRefusedUntilAnAdminAcceptsIt() throws Exception {
        JsonNode s = create(sshBody("host key", "root", "\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey)));
        String id = s.get("id").asString();
        String trusted = awaitStatus(s, "online", 30_000).get("hostKeyFingerprint").asString();

        sshd.stop();
        sshd.newHostKey();
        sshd.start();
        JsonNode refused = awaitStatus(s, "error", 60_000, r -> r.path("statusReason").asString().contains("host key changed"));
        assertThat(refused.get("hostKeyFingerprint").asString()).isEqualTo(trusted);
        String offered = refused.get("hostKeyOffered").asString();
        assertThat(offered).startsWith("SHA256:").isNotEqualTo(trusted);
        assertThat(refused.get("statusReason").asString()).contains(trusted).contains(offered);

        assertThat(client.post("/api/v1/servers/" + id + "/host-key/accept", "{\"fingerprint\":\"SHA256:other\"}", token).status())
                .isEqualTo(409);
        JsonNode accepted = client.post("/api/v1/servers/" + id + "/host-key/accept", "{\"fingerprint\":\"" + offered + "\"}", token).json();
        assertThat(accepted.get("hostKeyFingerprint").asString()).isEqualTo(offered);
        awaitStatus(s, "online", 30_000);
    }

    @Test
    @Order(7)
    void aFirstHostKeyWaitsForConfirmationAndNothingIsCollectedBefore() throws Exception {
        String expected = sshd.hostKeyFingerprint();
        JsonNode s = create(unconfirmedBody("first key", "\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey)));
        String id = s.get("id").asString();
        JsonNode waiting = awaitStatus(s, "pending", 30_000, r -> r.path("hostKeyOffered").isString());
        assertThat(waiting.get("hostKeyOffered").asString()).isEqualTo(expected);
        assertThat(waiting.get("hostKeyOfferedType").asString()).isEqualTo("ssh-ed25519");
        assertThat(waiting.path("hostKeyFingerprint").isMissingNode()).as("nothing trusted on first use").isTrue();
        assertThat(waiting.get("statusReason").asString()).contains(expected);
        assertThat(waiting.path("latest").isMissingNode()).as("no samples before the key is confirmed").isTrue();
        assertThat(waiting.path("info").isMissingNode()).as("not even logged in").isTrue();

        assertThat(client.post("/api/v1/servers/" + id + "/host-key/accept", "{}", token).status())
                .as("a first key is confirmed by naming it").isEqualTo(400);
        assertThat(client.post("/api/v1/servers/" + id + "/host-key/accept", "{\"fingerprint\":\"SHA256:other\"}", token).status())
                .isEqualTo(409);
        JsonNode accepted = client.post("/api/v1/servers/" + id + "/host-key/accept", "{\"fingerprint\":\"" + expected + "\"}", token).json();
        assertThat(accepted.get("hostKeyFingerprint").asString()).isEqualTo(expected);
        assertThat(accepted.get("hostKeyType").asString()).isEqualTo("ssh-ed25519");
        assertThat(accepted.path("hostKeyOffered").isMissingNode()).isTrue();
        JsonNode online = awaitStatus(s, "online", 30_000, r -> r.path("latest").path("processes").path("count").asInt() > 0);
        assertThat(online.get("info").get("kernel").asString()).isNotBlank();
    }

    @Test
    @Order(8)
    void aRejectedFirstKeyIsNeverLoggedInTo() throws Exception {
        JsonNode s = create(unconfirmedBody("rejected key", "\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey)));
        String id = s.get("id").asString();
        String offered = awaitStatus(s, "pending", 30_000, r -> r.path("hostKeyOffered").isString()).get("hostKeyOffered").asString();
        JsonNode rejected = client.post("/api/v1/servers/" + id + "/host-key/reject", "{\"fingerprint\":\"" + offered + "\"}", token).json();
        assertThat(rejected.path("hostKeyOffered").isMissingNode()).isTrue();
        assertThat(rejected.path("hostKeyFingerprint").isMissingNode()).isTrue();
        JsonNode error = awaitStatus(s, "error", 10_000);
        assertThat(error.get("statusReason").asString()).contains("rejected").contains(offered);
        assertThat(error.path("latest").isMissingNode()).isTrue();
        assertThat(client.post("/api/v1/servers/" + id + "/host-key/reject", "{\"fingerprint\":\"" + offered + "\"}", token).status())
                .as("nothing left to reject").isEqualTo(409);
    }

    @Test
    @Order(9)
    void aFingerprintGivenUpFrontSkipsConfirmationAndAWrongOneIsRefused() throws Exception {
        String key = "\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey);
        // The whole line ssh-keygen -lf prints is fine too.
        String line = "256 " + sshd.hostKeyFingerprint() + " root@host (ED25519)";
        JsonNode given = create(unconfirmedBody("given key", key + ",\"hostKeyFingerprint\":\"" + line + "\""));
        assertThat(given.get("hostKeyFingerprint").asString()).isEqualTo(sshd.hostKeyFingerprint());
        JsonNode online = awaitStatus(given, "online", 30_000, r -> r.path("latest").isObject());
        assertThat(online.get("hostKeyType").asString()).isEqualTo("ssh-ed25519");

        String wrong = "SHA256:" + "A".repeat(43);
        JsonNode mismatch = create(unconfirmedBody("wrong key", key + ",\"hostKeyFingerprint\":\"" + wrong + "\""));
        JsonNode refused = awaitStatus(mismatch, "error", 30_000, r -> r.path("hostKeyOffered").isString());
        assertThat(refused.get("statusReason").asString()).contains("does not match the fingerprint given").contains(wrong)
                .contains(sshd.hostKeyFingerprint());
        assertThat(refused.get("hostKeyOffered").asString()).isEqualTo(sshd.hostKeyFingerprint());
        assertThat(refused.path("latest").isMissingNode()).isTrue();

        HubClient.Response bad = client.post("/api/v1/servers", unconfirmedBody("bad", key + ",\"hostKeyFingerprint\":\"MD5:aa:bb\""), token);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fields(bad)).containsExactly("hostKeyFingerprint");
        HubClient.Response patched = client.patch("/api/v1/servers/" + given.get("id").asString(),
                "{\"hostKeyFingerprint\":\"" + wrong + "\"}", token);
        assertThat(fields(patched)).containsExactly("hostKeyFingerprint");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** A server whose host key is trusted up front (this sshd's own, as ssh-keygen prints it). */
    private String sshBody(String name, String user, String credentials) {
        try {
            return unconfirmedBody(name, user, credentials + (sshd == null ? "" : "," + sshd.hostKeyField()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String unconfirmedBody(String name, String credentials) {
        return unconfirmedBody(name, "root", credentials);
    }

    private String unconfirmedBody(String name, String user, String credentials) {
        return "{\"name\":\"" + name + "\",\"mode\":\"ssh\",\"host\":\"127.0.0.1\",\"port\":" + (sshd == null ? 22 : sshd.port)
                + ",\"username\":\"" + user + "\"," + credentials + "}";
    }

    private JsonNode create(String body) {
        HubClient.Response r = client.post("/api/v1/servers", body, token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private JsonNode server(JsonNode s) {
        return client.get("/api/v1/servers/" + s.get("id").asString(), token).json();
    }

    private JsonNode awaitStatus(JsonNode s, String status, long millis) throws InterruptedException {
        return awaitStatus(s, status, millis, r -> true);
    }

    private JsonNode awaitStatus(JsonNode s, String status, long millis, java.util.function.Predicate<JsonNode> also)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = server(s);
            if (status.equals(last.path("status").asString()) && also.test(last)) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("server " + s.get("name").asString() + " never became " + status + "; last: " + last
                + "\nsshd log:\n" + (sshd == null ? "" : sshd.log()));
    }

    private static void await(long millis, BooleanSupplier condition, String what) throws InterruptedException {
        AgentOutageTest.await(millis, condition, what, null);
    }

    private static java.util.List<String> fields(HubClient.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        java.util.List<String> out = new java.util.ArrayList<>();
        r.json().get("errors").forEach(e -> out.add(e.get("field").asString()));
        return out;
    }

    private Map<String, Double> averages(String id, long from, long to) {
        JsonNode points = client.get("/api/v1/servers/" + id + "/metrics?from=" + from + "&to=" + to + "&step=1s", token).json().get("points");
        assertThat(points.size()).as("points of " + id).isGreaterThanOrEqualTo(8);
        Map<String, Double> sums = new HashMap<>();
        for (JsonNode p : points) {
            for (String f : new String[] {"cpu", "memUsed", "memTotal", "diskUsed", "diskTotal", "netRxBps", "netTxBps"}) {
                sums.merge(f, p.get(f).asDouble(), Double::sum);
            }
        }
        sums.replaceAll((k, v) -> v / points.size());
        return sums;
    }

    private String otherPrivateKey() throws Exception {
        Path key = sshd.dir.resolve("stranger");
        TestSshd.run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", key.toString());
        return Files.readString(key);
    }

    /** A raw client of /api/v1/agent, to say what a real agent never would. */
    static final class Socket implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket ws;

        Socket(int port) {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/agent"), this).join();
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }

        JsonNode next(String type) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                JsonNode m = messages.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
                if (m != null && type.equals(m.path("type").asString())) return m;
            }
            throw new AssertionError("no " + type + " message");
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(HubClient.JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closeCode.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closeCode.complete(-1);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}
