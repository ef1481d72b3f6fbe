package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Containers of a real Podman engine reach the hub the three ways a server is watched: the hub's own local
 * collector (cgroup files), a real agent process (cgroup files, its engine named by DOCKER_HOST) and SSH to Debian's
 * sshd (the engine socket through {@code direct-streamlocal@openssh.com}, the engine's stats). Start, CPU burn, stop,
 * an unhealthy check and a restart loop show the same on all three.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ContainersEverywhereTest {

    static TestPodman podman;
    static TestSshd sshd;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        podman = new TestPodman();
        sshd = new TestSshd();
        Path dir = Files.createTempDirectory("flick-containers-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        registry.add("flick.ssh.allow-loopback", () -> "true");
        registry.add("flick.container-socket", () -> podman.socket.toString());
        registry.add("flick.ssh.container-sockets", () -> podman.socket.toString());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (sshd != null) sshd.close();
        if (podman != null) podman.close();
    }

    @Test
    void startBurnStopUnhealthyAndRestartLoopShowTheSameLocallyThroughTheAgentAndOverSsh() throws Exception {
        HubClient client = new HubClient(port);
        String token = client.admin();
        JsonNode ssh = create(client, token, "{\"name\":\"containers over ssh\",\"mode\":\"ssh\",\"host\":\"127.0.0.1\",\"port\":"
                + sshd.port + ",\"username\":\"root\",\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey) + "," + sshd.hostKeyField() + "}");
        JsonNode agentServer = create(client, token, "{\"name\":\"containers by agent\",\"mode\":\"agent\"}");
        String local = null;
        for (JsonNode s : client.get("/api/v1/servers", token).json()) {
            if ("local".equals(s.path("mode").asString())) local = s.get("id").asString();
        }
        assertThat(local).isNotNull();
        Map<String, String> servers = Map.of("local", local, "agent", agentServer.get("id").asString(), "ssh", ssh.get("id").asString());

        try (AgentProcess agent = new AgentProcess(client.base(), agentServer.get("agentToken").asString(), "1s",
                Map.of("DOCKER_HOST", "unix://" + podman.socket))) {
            podman.run("e2e-burn", TestPodman.IMAGE, "sh", "-c", "yes > /dev/null");
            podman.run("e2e-stop", TestPodman.IMAGE, "sleep", "300");
            podman.run("e2e-sick", "--health-cmd", "false", "--health-retries", "1", TestPodman.IMAGE, "sleep", "300");
            podman.run("e2e-loop", "--restart", "always", TestPodman.IMAGE, "sh", "-c", "sleep 0.3; exit 1");

            for (var e : servers.entrySet()) {
                awaitContainer(client, token, e.getValue(), "e2e-burn", c -> "running".equals(c.path("state").asString())
                        && c.path("cpu").asDouble() > 5 && c.path("memory").asLong() > 0, e.getKey() + ": burning", agent);
                awaitContainer(client, token, e.getValue(), "e2e-stop", c -> "running".equals(c.path("state").asString()),
                        e.getKey() + ": running", agent);
            }
            podman.stop("e2e-stop");
            podman.healthcheck("e2e-sick");
            for (var e : servers.entrySet()) {
                awaitContainer(client, token, e.getValue(), "e2e-stop", c -> "exited".equals(c.path("state").asString()),
                        e.getKey() + ": stopped shows as exited", agent);
                awaitContainer(client, token, e.getValue(), "e2e-sick", c -> "unhealthy".equals(c.path("health").asString()),
                        e.getKey() + ": unhealthy", agent);
                awaitContainer(client, token, e.getValue(), "e2e-loop", c -> c.path("restarts").asInt() >= 2,
                        e.getKey() + ": restarts counted", agent);
            }
            // Containers at a past moment (stored, not live) and per-container series for charts: a snapshot seen live
            // with the burner running is asked for by its own timestamp once newer ones exist, so the answer comes from
            // storage and must be that very snapshot (a loaded machine may skip samples, so "5 s ago" may hold none).
            String id = servers.get("local");
            JsonNode seen = client.get("/api/v1/servers/" + id, token).json().path("latest");
            long past = seen.path("ts").asLong();
            assertThat(seen.path("containers").toString()).contains("e2e-burn");
            AgentOutageTest.await(30_000, () -> client.get("/api/v1/servers/" + id, token).json().path("latest").path("ts").asLong() > past,
                    "a newer local snapshot", agent);
            AgentOutageTest.await(30_000, () -> {
                HubClient.Response at = client.get("/api/v1/servers/" + id + "/containers?at=" + past, token);
                if (at.status() != 200) return false;
                JsonNode body = at.json();
                return body.path("ts").asLong() == past && body.path("containers").toString().contains("e2e-burn")
                        && body.path("containers").toString().contains("\"state\":\"running\"");
            }, "the stored containers of " + past, agent);
            JsonNode points = client.get("/api/v1/servers/" + id + "/metrics?from=" + (past - 60_000) + "&to=" + System.currentTimeMillis(),
                    token).json().path("points");
            assertThat(points.toString()).contains("\"containers\"").contains("e2e-burn");
            assertThat(client.get("/api/v1/servers/" + id + "/containers?at=yesterday", token).status()).isEqualTo(400);
        }
    }

    private static JsonNode create(HubClient client, String token, String body) {
        HubClient.Response r = client.post("/api/v1/servers", body, token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static void awaitContainer(HubClient client, String token, String serverId, String name, Predicate<JsonNode> ok,
                                       String what, AgentProcess agent) throws InterruptedException {
        JsonNode[] last = new JsonNode[1];
        AgentOutageTest.await(45_000, () -> {
            JsonNode latest = client.get("/api/v1/servers/" + serverId, token).json().path("latest");
            last[0] = latest.path("containers");
            for (JsonNode c : last[0]) if (name.equals(c.path("name").asString()) && ok.test(c)) return true;
            return false;
        }, what + "; last containers: " + last[0], agent);
    }
}
