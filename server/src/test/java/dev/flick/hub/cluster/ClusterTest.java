package dev.flick.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.flick.hub.HubClient;
import dev.flick.hub.LiveClient;
import dev.flick.hub.PostgresSchema;
import dev.flick.hub.collect.AgentProcess;
import dev.flick.hub.collect.TestSshd;
import dev.flick.hub.faults.HubProcess;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import tools.jackson.databind.JsonNode;

/**
 * Three hub processes on one PostgreSQL schema and the local NATS server (a bucket and stream prefix of their own):
 * one FLick. The hand-over test kills a hub, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    static final String NATS = "nats://127.0.0.1:4222";
    static String schema;
    static final List<HubProcess> hubs = new ArrayList<>();
    static final List<String> ids = List.of("a", "b", "c");
    static String prefix;

    @BeforeAll
    static void startThreeHubs() throws Exception {
        schema = PostgresSchema.create();
        prefix = "flicktest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        // Hubs of one FLick share their secrets: tokens signed by one are good on all, SSH keys stored by one readable by all.
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] jwt = new byte[48];
        byte[] key = new byte[32];
        random.nextBytes(jwt);
        random.nextBytes(key);
        for (String id : ids) {
            HubProcess hub = HubProcess.builder().databaseUrl(PostgresSchema.jdbcUrl(schema))
                    .env("JWT_SECRET", java.util.Base64.getEncoder().encodeToString(jwt))
                    .env("ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(key))
                    .env("FLICK_NATS_URL", NATS).env("FLICK_NATS_PREFIX", prefix).env("FLICK_HUB_ID", id).start();
            hubs.add(hub);
            hub.waitUntilHealthy(Duration.ofSeconds(120)); // one at a time: the first one migrates the schema
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (HubProcess hub : hubs) hub.close();
        if (schema != null) PostgresSchema.drop(schema);
    }

    static HubProcess hub(String id) {
        return hubs.get(ids.indexOf(id));
    }

    static LiveClient viewer(HubProcess hub, String token, String subscribe) throws InterruptedException {
        LiveClient live = new LiveClient(hub.port());
        live.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        assertThat(live.next("ready", 10_000)).as("ready on hub port " + hub.port()).isNotNull();
        live.send(subscribe);
        return live;
    }

    static JsonNode nextSnapshotOf(LiveClient live, String serverId, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            JsonNode m = live.next("snapshot", deadline - System.currentTimeMillis());
            if (m != null && serverId.equals(m.path("serverId").asString())) return m;
        }
        return null;
    }

    @Test
    @Order(1)
    void aViewerOnOneHubSeesAnAgentOfAnotherLiveAndResumesWithSinceOnAThird() throws Exception {
        HubClient a = hub("a").client();
        String token = a.admin();
        HubClient.Response created = a.post("/api/v1/servers", "{\"name\":\"agent on a\",\"mode\":\"agent\"}", token);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String serverId = created.json().get("id").asString();
        try (AgentProcess agent = new AgentProcess(a.base(), created.json().get("agentToken").asString(), "1s");
             LiveClient onB = viewer(hub("b"), hub("b").client().admin(),
                     "{\"type\":\"subscribe\",\"serverIds\":[\"" + serverId + "\"]}")) {
            JsonNode first = nextSnapshotOf(onB, serverId, 30_000);
            assertThat(first).as("a snapshot of the agent on hub a, seen on hub b; agent: " + agent.output()).isNotNull();
            JsonNode second = nextSnapshotOf(onB, serverId, 10_000);
            assertThat(second).isNotNull();
            assertThat(second.path("ts").asLong()).isGreaterThan(first.path("ts").asLong());
            long since = first.path("ts").asLong();
            // Wait for two more, then resume on hub c from the first: every one after it, in order, none twice.
            JsonNode third = nextSnapshotOf(onB, serverId, 10_000);
            assertThat(third).isNotNull();
            try (LiveClient onC = viewer(hub("c"), hub("c").client().admin(),
                    "{\"type\":\"subscribe\",\"serverIds\":[\"" + serverId + "\"],\"since\":" + since + "}")) {
                List<Long> seen = new ArrayList<>();
                while (seen.size() < 3) {
                    JsonNode m = nextSnapshotOf(onC, serverId, 10_000);
                    assertThat(m).as("resumed snapshots on hub c after " + seen).isNotNull();
                    seen.add(m.path("ts").asLong());
                }
                assertThat(seen.getFirst()).as("the first after since").isEqualTo(second.path("ts").asLong());
                assertThat(seen).isSorted().doesNotHaveDuplicates().allMatch(ts -> ts > since);
            }
        }
    }

    @Test
    @Order(2)
    void aPasswordChangeOnOneHubClosesTheUsersSocketOnAnotherWithinTwoSeconds() throws Exception {
        HubClient a = hub("a").client();
        String token = a.admin();
        String onCToken = hub("c").client().admin();
        try (LiveClient onC = viewer(hub("c"), onCToken, "{\"type\":\"subscribe\",\"serverIds\":\"*\"}")) {
            HubClient.Response changed = a.post("/api/v1/auth/password",
                    "{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"correct horse battery staple\"}", token);
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            long at = System.nanoTime();
            int code = onC.closeCode.get(5, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - at) / 1_000_000;
            assertThat(code).isEqualTo(4401);
            assertThat(ms).as("closed on hub c after the change on hub a").isLessThan(2_000);
            // Back to the shared password, so the other tests sign in as before.
            String fresh = changed.json().get("accessToken").asString();
            assertThat(a.post("/api/v1/auth/password",
                    "{\"currentPassword\":\"correct horse battery staple\",\"newPassword\":\"correct horse battery\"}", fresh)
                    .status()).isEqualTo(200);
        }
    }

    @Test
    @Order(3)
    void killingTheHubThatOwnsAnSshServerHandsItToAnotherWithinTenSeconds() throws Exception {
        TestSshd.requireSshdAndRoot();
        try (TestSshd sshd = new TestSshd()) {
            HubClient a = hub("a").client();
            String token = a.admin();
            HubClient.Response created = a.post("/api/v1/servers", "{\"name\":\"ssh in the cluster\",\"mode\":\"ssh\",\"host\":\"127.0.0.1\",\"port\":"
                    + sshd.port + ",\"username\":\"root\",\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey) + ",\"allowLoopback\":true,"
                    + sshd.hostKeyField() + "}", token);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String serverId = created.json().get("id").asString();
            String owner = Rendezvous.owner(serverId, Set.copyOf(ids));
            String viewerHub = ids.stream().filter(id -> !id.equals(owner)).findFirst().orElseThrow();
            try (LiveClient live = viewer(hub(viewerHub), hub(viewerHub).client().admin(),
                    "{\"type\":\"subscribe\",\"serverIds\":[\"" + serverId + "\"]}")) {
                JsonNode before = nextSnapshotOf(live, serverId, 30_000);
                assertThat(before).as("samples of the SSH server, collected by hub " + owner).isNotNull();
                hub(owner).kill9();
                long killedAt = System.currentTimeMillis();
                // Drain what was already in flight, then wait for a sample taken after the kill.
                JsonNode after;
                do {
                    after = nextSnapshotOf(live, serverId, 10_000 - (System.currentTimeMillis() - killedAt));
                } while (after != null && after.path("ts").asLong() <= killedAt);
                assertThat(after).as("a sample taken after hub " + owner + " died, within 10 s").isNotNull();
                assertThat(after.path("ts").asLong() - killedAt).isLessThan(10_000);
            }
        }
    }
}
