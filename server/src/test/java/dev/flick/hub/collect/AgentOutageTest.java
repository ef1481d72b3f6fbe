package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.flick.hub.FlickApplication;
import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real agent process against a real hub that goes away for 30 s and comes back on the same port and data dir:
 * the agent buffers, reconnects with backoff, back-fills, and the stored history has no gap. Then the token is
 * regenerated (the old socket is closed with 4401 and the agent is refused) and the server deleted (its rows go).
 */
class AgentOutageTest {

    static final long INTERVAL_MS = 1_000;
    ConfigurableApplicationContext hub;

    @AfterEach
    void stopHub() {
        if (hub != null) hub.close();
    }

    private ConfigurableApplicationContext startHub(int port, Path dataDir) {
        return new SpringApplication(FlickApplication.class).run("--server.port=" + port, "--flick.data-dir=" + dataDir,
                "--flick.database-url=", "--flick.interval=" + INTERVAL_MS + "ms", "--flick.local-collector=false",
                "--logging.level.root=WARN", "--logging.level.dev.flick=INFO");
    }

    @Test
    void anAgentBuffersThroughA30SecondHubOutageAndBackFillsWithoutAGap() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("flick-agent-outage");
        hub = startHub(port, dataDir);
        HubClient client = new HubClient(port);
        String token = client.admin();

        JsonNode created = client.post("/api/v1/servers", "{\"name\":\"outage box\",\"mode\":\"agent\"}", token).json();
        String id = created.get("id").asString();
        String agentToken = created.get("agentToken").asString();
        // The token goes in the environment: arguments show in ps and in the hub's own process tables.
        assertThat(created.get("manualCommand").asString()).startsWith("FLICK_TOKEN=" + agentToken + " java ")
                .doesNotContain("--token").contains("--hub http://127.0.0.1:" + port);
        assertThat(created.get("installCommand").asString()).startsWith("curl -fsSL 'http://127.0.0.1:" + port + "/install.sh?code=")
                .doesNotContain(agentToken);
        assertThat(client.get("/api/v1/servers/" + id, token).body()).doesNotContain(agentToken).doesNotContain("agentToken");

        try (AgentProcess agent = new AgentProcess(client.base(), agentToken, "1s")) {
            await(20_000, () -> "online".equals(status(client, token, id)), "agent online", agent);
            Thread.sleep(5_000);
            long outageStart = System.currentTimeMillis();
            hub.close();
            hub = null;
            Thread.sleep(30_000);
            long outageEnd = System.currentTimeMillis();
            hub = startHub(port, dataDir);
            String token2 = client.admin();
            // Backoff is at most 60 s with full jitter; in practice the agent is back within seconds.
            await(75_000, () -> storedNewest(dataDir, id) > outageEnd + 3_000, "back-fill after the outage", agent);
            Thread.sleep(3_000); // the writer commits in batches a moment behind ingest

            List<Long> ts = stored(dataDir, id);
            long maxGap = 0;
            for (int i = 1; i < ts.size(); i++) maxGap = Math.max(maxGap, ts.get(i) - ts.get(i - 1));
            assertThat(ts.getFirst()).isLessThan(outageStart - 4_000);
            assertThat(ts.getLast()).isGreaterThan(outageEnd + 3_000);
            // A fixed 1 s beat; scheduling jitter on a loaded 2-core box can stretch one interval, never skip one.
            assertThat(maxGap).as("largest gap between stored snapshots across a 30 s hub outage").isLessThan(1_900);
            assertThat(agent.output()).contains("snapshots kept").contains("Reconnected");
            assertThat(status(client, token2, id)).isEqualTo("online");

            // Regenerating the token revokes the old one and closes the agent's socket with 4401.
            JsonNode regenerated = client.post("/api/v1/servers/" + id + "/token", "", token2).json();
            assertThat(regenerated.get("agentToken").asString()).isNotEqualTo(agentToken);
            await(15_000, () -> agent.output().contains("refused the token"), "agent refused after token rotation", agent);

            assertThat(client.delete("/api/v1/servers/" + id, token2).status()).isEqualTo(204);
            assertThat(client.get("/api/v1/servers/" + id, token2).status()).isEqualTo(404);
            assertThat(stored(dataDir, id)).isEmpty();
            assertThat(agent.output()).doesNotContain(regenerated.get("agentToken").asString());
        }
    }

    private static String status(HubClient client, String token, String id) {
        HubClient.Response r = client.get("/api/v1/servers/" + id, token);
        return r.status() == 200 ? r.json().get("status").asString() : "http " + r.status();
    }

    private static List<Long> stored(Path dataDir, String id) throws Exception {
        return dev.flick.hub.faults.StoredHistory.sqlite(dataDir).timestamps(id);
    }

    private static long storedNewest(Path dataDir, String id) {
        try {
            List<Long> ts = stored(dataDir, id);
            return ts.isEmpty() ? 0 : ts.getLast();
        } catch (Exception e) {
            return 0;
        }
    }

    static void await(long millis, BooleanSupplier condition, String what, AgentProcess agent) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what + (agent == null ? "" : "; agent said:\n" + agent.output()));
    }
}
