package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;
import dev.flick.hub.FlickApplication;
import dev.flick.hub.HubClient;
import dev.flick.hub.LiveClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Protocol 2 from the agent's side of the socket (docs/durability.md): the clock probe before ready, snapshots stored
 * at hub time, acks that name what was refused, and a hub that cannot store saying so instead of acknowledging.
 */
class AgentProtocolTest {

    ConfigurableApplicationContext hub;

    @AfterEach
    void stop() {
        if (hub != null) hub.close();
    }

    private HubClient start(String... extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("flick-agent-protocol");
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--flick.data-dir=" + dir, "--flick.database-url=",
                "--flick.local-collector=false", "--logging.level.root=WARN"));
        args.addAll(List.of(extra));
        hub = new SpringApplication(FlickApplication.class).run(args.toArray(String[]::new));
        return new HubClient(port);
    }

    static String snapshot(long ts, double cpu) {
        Snapshot s = new Snapshot("ignored", ts, new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 0.5, 0.4, 0.3),
                new Snapshot.Memory(1_000, 500, 500, 0, 0, 0), List.of(), new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()), new Snapshot.Processes(1, List.of()));
        return SnapshotJson.write(s);
    }

    /** Authenticates; answers the first probe as a machine whose clock is {@code skewMs} off, unless null. */
    static JsonNode connect(LiveClient agent, String token, Long skewMs) throws InterruptedException {
        agent.send("{\"type\":\"auth\",\"token\":\"" + token + "\",\"agent\":\"test\",\"interval\":1000,\"clock\":"
                + (System.currentTimeMillis() + (skewMs == null ? 0 : skewMs)) + "}");
        JsonNode probe = agent.next("time", 15_000);
        assertThat(probe).as("a clock probe follows auth").isNotNull();
        if (skewMs != null) {
            long a = System.currentTimeMillis() + skewMs;
            agent.send("{\"type\":\"time\",\"h\":" + probe.get("h").asLong() + ",\"a1\":" + a + ",\"a2\":" + a + "}");
        }
        JsonNode ready = agent.next("ready", 15_000);
        assertThat(ready).isNotNull();
        return ready;
    }

    @Test
    void anAgentHoursAheadIsMeasuredStoredAtHubTimeAndToldWhatWasRefused() throws Exception {
        HubClient client = start();
        String admin = client.admin();
        JsonNode created = client.post("/api/v1/servers", "{\"name\":\"skewed\",\"mode\":\"agent\"}", admin).json();
        String id = created.get("id").asString();
        long hour = 3_600_000;
        try (LiveClient agent = new LiveClient(client.port(), "/api/v1/agent")) {
            JsonNode ready = connect(agent, created.get("agentToken").asString(), hour);
            assertThat(ready.get("clockOffsetMs").asLong()).isBetween(hour - 1_000, hour + 1_000);

            long agentNow = System.currentTimeMillis() + hour;
            String items = String.join(",", snapshot(agentNow - 2_000, 10), snapshot(agentNow - 1_000, 20),
                    snapshot(agentNow - 1_000, 30), snapshot(agentNow, 40).replaceFirst("\"usage\":[0-9.]+", "\"usage\":400"));
            agent.send("{\"type\":\"snapshots\",\"items\":[" + items + "]}");
            JsonNode ack = agent.next("ack", 15_000);
            assertThat(ack).isNotNull();
            assertThat(ack.get("ts").asLong()).isEqualTo(agentNow);
            assertThat(ack.get("refused")).hasSize(2);
            assertThat(ack.get("refused").get(0).get("code").asString()).isEqualTo("duplicate-ts");
            assertThat(ack.get("refused").get(1).get("code").asString()).isEqualTo("invalid");
            assertThat(ack.get("refused").get(1).get("message").asString()).contains("cpu.usage");

            var storedHistory = dev.flick.hub.faults.StoredHistory.of(hub.getBean(javax.sql.DataSource.class));
            List<Long> stored = storedHistory.timestamps(id);
            assertThat(stored).as("acknowledged means stored (or in the spool on its way)").hasSizeBetween(0, 2);
            long deadline = System.currentTimeMillis() + 10_000;
            while (stored.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                stored = storedHistory.timestamps(id);
            }
            assertThat(stored).hasSize(2);
            assertThat(stored.getLast()).as("stored at hub time").isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));

            JsonNode view = client.get("/api/v1/servers/" + id, admin).json();
            assertThat(view.get("status").asString()).isEqualTo("online");
            assertThat(view.get("clockOffsetMs").asLong()).isBetween(hour - 1_000, hour + 1_000);
        }
    }

    @Test
    void anAgentThatDoesNotAnswerTheProbeIsReadyWithinSecondsUsingItsAuthClock() throws Exception {
        HubClient client = start();
        String admin = client.admin();
        JsonNode created = client.post("/api/v1/servers", "{\"name\":\"old agent\",\"mode\":\"agent\"}", admin).json();
        try (LiveClient agent = new LiveClient(client.port(), "/api/v1/agent")) {
            long t0 = System.currentTimeMillis();
            JsonNode ready = connect(agent, created.get("agentToken").asString(), null);
            assertThat(System.currentTimeMillis() - t0).isLessThan(15_000);
            assertThat(Math.abs(ready.get("clockOffsetMs").asLong())).isLessThanOrEqualTo(250);
        }
    }

    @Test
    void whenStorageCannotTakeDataTheAgentIsToldToKeepItAndLiveSnapshotsStillShow() throws Exception {
        // Free space can never reach 1,000 TB: the spool refuses from the start, as on a full disk.
        HubClient client = start("--flick.min-free=1000TB");
        String admin = client.admin();
        JsonNode created = client.post("/api/v1/servers", "{\"name\":\"full disk\",\"mode\":\"agent\"}", admin).json();
        String id = created.get("id").asString();
        try (LiveClient viewer = new LiveClient(client.port());
             LiveClient agent = new LiveClient(client.port(), "/api/v1/agent")) {
            viewer.send("{\"type\":\"auth\",\"token\":\"" + admin + "\"}");
            viewer.send("{\"type\":\"subscribe\",\"serverIds\":[\"" + id + "\"]}");
            connect(agent, created.get("agentToken").asString(), 0L);
            long now = System.currentTimeMillis();
            agent.send("{\"type\":\"snapshots\",\"items\":[" + snapshot(now - 1_000, 11) + "]}");
            JsonNode error = agent.next("error", 15_000);
            assertThat(error.get("code").asString()).isEqualTo("storage-unavailable");
            assertThat(error.get("retryMs").asLong()).isPositive();
            assertThat(agent.messages).noneMatch(m -> "ack".equals(m.path("type").asString()));

            agent.send("{\"type\":\"live\",\"item\":" + snapshot(now, 77) + "}");
            JsonNode shown = null;
            for (JsonNode m = viewer.next("snapshot", 15_000); m != null; m = viewer.next("snapshot", 15_000)) {
                if (m.get("ts").asLong() == now) {
                    shown = m;
                    break;
                }
            }
            assertThat(shown).as("the live snapshot reaches viewers").isNotNull();
            assertThat(shown.get("cpu").get("usage").asDouble()).isEqualTo(77.0);

            client.get("/actuator/health", null); // the first call loads the endpoint; the state is what is timed
            long t0 = System.currentTimeMillis();
            HubClient.Response health = client.get("/actuator/health", null);
            assertThat(System.currentTimeMillis() - t0).isLessThan(2_000);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().at("/components/dataDisk/status").asString()).isEqualTo("DOWN");
            assertThat(health.json().at("/components/dataDisk/details").isMissingNode()).as("details only for admins").isTrue();
            JsonNode detailed = client.get("/actuator/health", admin).json();
            assertThat(detailed.at("/components/dataDisk/details/error").asString()).contains("free space");
            assertThat(detailed.at("/components/ingest/status").asString()).isEqualTo("DOWN");
            assertThat(detailed.at("/components/database/status").asString()).isEqualTo("UP");
            JsonNode ingest = client.get("/api/v1/settings/ingest", admin).json();
            assertThat(ingest.get("status").asString()).isEqualTo("DOWN");
            assertThat(ingest.at("/dataDisk/status").asString()).isEqualTo("DOWN");
        }
    }
}
