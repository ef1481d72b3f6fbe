package dev.flick.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.TestSshd;

import tools.jackson.databind.JsonNode;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Credentials follow a moved server (issue 13): the owner's server logs in to Debian's sshd with a password; a
 * manager points it at their own SSH server (Apache MINA's, which records every password offered to it). The
 * owner's password must never arrive there: moving discards it, forgets the pinned host key and says who moved it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class MovedServerCredentialsTest {

    static final String OWNER_USER = "flickmove";
    static final String OWNER_PASSWORD = "Owner-" + UUID.randomUUID();
    static final String MEMBER_PASSWORD = "correct horse battery";

    static TestSshd sshd;
    static SshServer attackers;
    static final List<String> offered = new CopyOnWriteArrayList<>();
    static final AtomicInteger attackerSessions = new AtomicInteger();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-moved-server");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        registry.add("flick.local-collector", () -> "false");
        // Both SSH servers listen on 127.0.0.1.
        registry.add("flick.ssh.allow-loopback", () -> "true");
    }

    @BeforeAll
    static void startSshServers() throws Exception {
        sshd = new TestSshd();
        TestSshd.addUser(OWNER_USER, OWNER_PASSWORD);
        attackers = SshServer.setUpDefaultServer();
        attackers.setHost("127.0.0.1");
        attackers.setPort(0);
        attackers.setKeyPairProvider(new SimpleGeneratorHostKeyProvider());
        attackers.setPasswordAuthenticator((user, password, session) -> {
            offered.add(user + ":" + password);
            return false;
        });
        attackers.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                attackerSessions.incrementAndGet();
            }
        });
        attackers.start();
    }

    @AfterAll
    static void stopSshServers() throws Exception {
        if (attackers != null) attackers.stop(true);
        if (sshd != null) sshd.close();
        TestSshd.removeUser(OWNER_USER);
    }

    @Test
    void movingAServerDiscardsItsCredentialsForgetsItsHostKeyAndSaysWhoMovedIt(CapturedOutput output) throws Exception {
        HubClient hub = new HubClient(port);
        String admin = hub.admin();
        String managerEmail = "manager-" + UUID.randomUUID() + "@example.com";
        HubClient.Response made = hub.post("/api/v1/users",
                "{\"email\":\"" + managerEmail + "\",\"role\":\"member\",\"password\":\"" + MEMBER_PASSWORD + "\"}", admin);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String managerId = made.json().path("user").path("id").asString();
        String manager = hub.post("/api/v1/auth/login", "{\"email\":\"" + managerEmail + "\",\"password\":\"" + MEMBER_PASSWORD + "\"}", null)
                .json().get("accessToken").asString();

        HubClient.Response created = hub.post("/api/v1/servers", "{\"name\":\"owned\",\"mode\":\"ssh\",\"host\":\"127.0.0.1\",\"port\":"
                + sshd.port + ",\"username\":\"" + OWNER_USER + "\",\"password\":\"" + OWNER_PASSWORD + "\"," + sshd.hostKeyField() + "}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String pinned = await(hub, admin, id, s -> "online".equals(s.path("status").asString())).get("hostKeyFingerprint").asString();
        assertThat(hub.put("/api/v1/servers/" + id + "/access", "[{\"userId\":\"" + managerId + "\",\"level\":\"manage\"}]", admin)
                .status()).isEqualTo(200);

        // The manager points it at their own SSH server, sending no credentials.
        HubClient.Response moved = hub.patch("/api/v1/servers/" + id, "{\"port\":" + attackers.getPort() + "}", manager);
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("hasPassword").asBoolean()).isFalse();
        assertThat(moved.json().path("hostKeyFingerprint").isMissingNode()).as("the old host key is forgotten").isTrue();
        JsonNode waiting = await(hub, admin, id, s -> s.path("statusReason").asString().contains("No credentials"));
        assertThat(waiting.get("status").asString()).isEqualTo("error");
        assertThat(offered).as("passwords the manager's server received").isEmpty();
        assertThat(attackerSessions.get()).as("with nothing to log in with, the hub does not even connect").isZero();

        JsonNode log = hub.get("/api/v1/logs?serverId=" + id + "&q=moved", admin).json().get("items");
        assertThat(log).anySatisfy(e -> {
            assertThat(e.get("actor").asString()).isEqualTo(managerEmail);
            assertThat(e.get("message").asString()).contains("moved from " + OWNER_USER + "@127.0.0.1:" + sshd.port)
                    .contains("to " + OWNER_USER + "@127.0.0.1:" + attackers.getPort()).contains("credentials were discarded")
                    .contains("by " + managerEmail);
        });

        // With credentials of their own, the hub connects there, but logs in only once that server's key is confirmed.
        hub.patch("/api/v1/servers/" + id, "{\"password\":\"managers-own\"}", manager);
        JsonNode unconfirmed = await(hub, admin, id, s -> s.path("hostKeyOffered").isString());
        String presented = unconfirmed.get("hostKeyOffered").asString();
        assertThat(presented).startsWith("SHA256:").isNotEqualTo(pinned);
        assertThat(unconfirmed.get("status").asString()).isEqualTo("pending");
        assertThat(offered).as("no password goes to a host whose key nobody confirmed").isEmpty();
        assertThat(hub.post("/api/v1/servers/" + id + "/host-key/accept", "{\"fingerprint\":\"" + presented + "\"}", manager)
                .status()).isEqualTo(200);
        JsonNode refused = await(hub, admin, id, s -> s.path("statusReason").asString().contains("Wrong password"));
        assertThat(refused.get("hostKeyFingerprint").asString()).isEqualTo(presented);
        assertThat(offered).contains(OWNER_USER + ":managers-own");

        // A new user name alone also sends the stored password nowhere.
        int before = offered.size();
        JsonNode renamed = hub.patch("/api/v1/servers/" + id, "{\"username\":\"someone-else\"}", manager).json();
        assertThat(renamed.get("hasPassword").asBoolean()).isFalse();
        await(hub, admin, id, s -> s.path("statusReason").asString().contains("No credentials"));
        assertThat(offered.subList(before, offered.size())).noneMatch(o -> o.startsWith("someone-else:"));

        assertThat(offered).noneMatch(o -> o.contains(OWNER_PASSWORD));
        assertThat(hub.get("/api/v1/servers/" + id, admin).body()).doesNotContain(OWNER_PASSWORD).doesNotContain("managers-own");
        assertThat(hub.get("/api/v1/logs?serverId=" + id, admin).body()).doesNotContain(OWNER_PASSWORD).doesNotContain("managers-own");
        assertThat(output.getAll()).doesNotContain(OWNER_PASSWORD).doesNotContain("managers-own");
    }

    private static JsonNode await(HubClient hub, String token, String id, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = hub.get("/api/v1/servers/" + id, token).json();
            if (condition.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("server " + id + " never reached the condition; last: " + last + "\nsshd log:\n" + sshd.log());
    }
}
