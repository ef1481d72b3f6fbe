package dev.flick.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SSH servers as a port scanner (issue 13): a hub with the default rules refuses loopback, link-local, metadata and
 * its own addresses, after DNS and again before every connection; only an admin may allow one server; what a target
 * sends never reaches a status; a user's attempts are rate-limited. Every target here is on 127.0.0.1, watched by a
 * plain listener: where the hub refuses it must see no connection, and a guard that failed would still not have sent
 * anything off this machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SshTargetGuardTest {

    static final int BURST = 8;
    static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;

    @Autowired
    ServerRepository repository;
    @Autowired
    CredentialVault vault;
    @Autowired
    ServerAccess access;
    @Autowired
    ApplicationEventPublisher events;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-ssh-guard");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.ssh.connect-burst", () -> Integer.toString(BURST));
        registry.add("flick.ssh.connects-per-minute", () -> "1");
    }

    @Test
    void loopbackTargetsAreRefusedAfterResolutionAndNeverConnected() throws Exception {
        HubClient hub = new HubClient(port);
        String member = user(hub, "member");
        try (LoopbackListener listener = new LoopbackListener("SSH-2.0-nope\r\n")) {
            for (String host : List.of("127.0.0.1", "localhost", "127.0.0.2", "0.0.0.0", "::ffff:127.0.0.1")) {
                HubClient.Response r = hub.post("/api/v1/servers", sshBody(host, listener.port, null), member);
                assertThat(r.status()).as(host + ": " + r.body()).isEqualTo(400);
                assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("host");
                assertThat(r.json().get("errors").get(0).get("message").asString()).containsAnyOf("loopback", "unspecified");
            }
            // The hub's own non-loopback addresses are refused too (SshAddressesTest): checked there without a request
            // that, were the guard broken, would send traffic to an address outside 127.0.0.0/8.
            assertThat(hub.get("/api/v1/servers", member).json().size()).isZero();
            assertThat(listener.accepted()).as("connections the refused targets got").isZero();
        }
    }

    @Test
    void onlyAnAdminMayAllowOneServerAndAMoveDropsTheAllowance() throws Exception {
        HubClient hub = new HubClient(port);
        String admin = hub.admin();
        String member = user(hub, "member");
        String viewer = user(hub, "viewer");
        try (LoopbackListener listener = new LoopbackListener("HTTP/1.1 400 Bad Request\r\nX-Banner: LEAKED-BANNER-1234\r\n\r\n");
             LoopbackListener other = new LoopbackListener("SSH-2.0-nope\r\n")) {
            HubClient.Response byViewer = hub.post("/api/v1/servers", sshBody("127.0.0.1", listener.port, null), viewer);
            assertThat(byViewer.status()).isEqualTo(403);
            HubClient.Response byMember = hub.post("/api/v1/servers", sshBody("127.0.0.1", listener.port, true), member);
            assertThat(byMember.status()).isEqualTo(403);
            assertThat(byMember.json().get("errors").get(0).get("field").asString()).isEqualTo("allowLoopback");

            HubClient.Response created = hub.post("/api/v1/servers", sshBody("127.0.0.1", listener.port, true), admin);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().get("allowLoopback").asBoolean()).isTrue();
            String id = created.json().get("id").asString();
            // The target answers with something that is not SSH: the status says so without repeating it.
            JsonNode failed = await(hub, admin, id, s -> "error".equals(s.path("status").asString()));
            assertThat(listener.accepted()).isPositive();
            assertThat(failed.get("statusReason").asString()).contains("did not complete an SSH handshake")
                    .doesNotContain("LEAKED-BANNER").doesNotContain("HTTP/1.1").doesNotContain("Bad Request");
            assertThat(hub.get("/api/v1/logs?serverId=" + id, admin).body()).doesNotContain("LEAKED-BANNER");

            // A manager moves it elsewhere on loopback: the admin's allowance was for the old address.
            String memberId = hub.get("/api/v1/auth/me", member).json().path("id").asString();
            assertThat(hub.put("/api/v1/servers/" + id + "/access", "[{\"userId\":\"" + memberId + "\",\"level\":\"manage\"}]", admin)
                    .status()).isEqualTo(200);
            HubClient.Response moved = hub.patch("/api/v1/servers/" + id, "{\"port\":" + other.port + "}", member);
            assertThat(moved.status()).as(moved.body()).isEqualTo(400);
            assertThat(moved.json().get("errors").get(0).get("field").asString()).isEqualTo("host");
            assertThat(hub.patch("/api/v1/servers/" + id, "{\"allowLoopback\":false}", member).status()).isEqualTo(403);
            assertThat(other.accepted()).isZero();
        }
    }

    @Test
    void aTargetThatResolvesToLoopbackOnlyLaterIsRefusedBeforeConnecting() throws Exception {
        HubClient hub = new HubClient(port);
        String admin = hub.admin();
        try (LoopbackListener listener = new LoopbackListener("SSH-2.0-nope\r\n")) {
            // As a row stored before this check existed, or a name whose DNS answer changed since it was added.
            String id = ServerRepository.newId();
            repository.insertSsh(id, "rebound", "127.0.0.1", listener.port, "root",
                    vault.seal(id, new SshCredentials("owners-password", null, null)), false, null);
            access.reload();
            events.publishEvent(new ServerEvents.SshTargetChanged(id));
            JsonNode refused = await(hub, admin, id, s -> s.path("statusReason").asString().contains("Not connecting"));
            assertThat(refused.get("statusReason").asString()).contains("loopback");
            assertThat(listener.accepted()).as("connections the refused target got").isZero();
        }
    }

    @Test
    void connectionAttemptsAreRateLimitedPerUser() throws Exception {
        HubClient hub = new HubClient(port);
        String prober = user(hub, "member");
        String bystander = user(hub, "member");
        try (LoopbackListener listener = new LoopbackListener("SSH-2.0-nope\r\n")) {
            // Refused targets count too: probing what the hub refuses is probing.
            for (int i = 0; i < BURST; i++) {
                assertThat(hub.post("/api/v1/servers", sshBody("127.0.0.1", listener.port + 0, null), prober).status()).isEqualTo(400);
            }
            HubClient.Response limited = hub.post("/api/v1/servers", sshBody("127.0.0.1", listener.port, null), prober);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(hub.post("/api/v1/servers", sshBody("127.0.0.1", listener.port, null), bystander).status())
                    .as("another user's allowance is their own").isEqualTo(400);
            assertThat(listener.accepted()).isZero();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static String sshBody(String host, int port, Boolean allowLoopback) {
        return "{\"name\":\"t\",\"mode\":\"ssh\",\"host\":\"" + host + "\",\"port\":" + port + ",\"username\":\"root\","
                + "\"password\":\"owners-password\"" + (allowLoopback == null ? "" : ",\"allowLoopback\":" + allowLoopback) + "}";
    }

    /** A new user with this role, signed in. */
    private static String user(HubClient hub, String role) {
        String email = role + "-" + UUID.randomUUID() + "@example.com";
        HubClient.Response r = hub.post("/api/v1/users",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\",\"password\":\"" + PASSWORD + "\"}", hub.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        HubClient.Response login = hub.post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return login.json().get("accessToken").asString();
    }

    private static JsonNode await(HubClient hub, String token, String id, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = hub.get("/api/v1/servers/" + id, token).json();
            if (condition.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("server " + id + " never reached the condition; last: " + last);
    }
}
