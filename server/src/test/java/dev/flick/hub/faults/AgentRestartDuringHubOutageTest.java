package dev.flick.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.AgentProcess;
import dev.flick.hub.faults.AgentServers.AgentServer;
import dev.flick.hub.faults.StoredHistory.Gap;

import org.junit.jupiter.api.Test;

/**
 * While the hub is down, its agent buffers, is killed with SIGKILL, and is started again on the same outbox dir
 * ({@code --outbox-dir}); then the hub comes back. Proves the agent's outbox survives the agent's own crash
 * (docs/durability.md, Agent outbox: unacknowledged snapshots survive the agent's restart and are replayed in
 * order): the stored history across the whole episode has no gap over 1.5 s except the one the dead agent could not
 * sample, which starts no earlier than 1.5 s before the kill and ends when the new agent's first sample is due
 * (within 15 s of its start, for JVM start-up on a busy machine).
 */
class AgentRestartDuringHubOutageTest {

    static final Duration HUB_DOWN_BEFORE_KILL = Duration.ofSeconds(8);
    static final Duration HUB_DOWN_AFTER_RESTART = Duration.ofSeconds(8);

    @Test
    void anAgentKilledAndRestartedWhileTheHubIsDownLosesNothingItSampled() throws Exception {
        Path outbox = Files.createTempDirectory("flick-agent-outbox");
        try (HubProcess hub = HubProcess.builder().start()) {
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            HubClient client = hub.client();
            String admin = client.admin();
            AgentServer server = AgentServers.create(client, admin, "restarted agent box");
            StoredHistory stored = StoredHistory.sqlite(hub.dataDir());
            String[] flags = {"--outbox-dir", outbox.toString()};
            AgentProcess first = AgentServers.agent(hub, server, Map.of(), flags);
            AgentProcess second = null;
            try {
                Eventually.until("the agent is online and rows are stored", Duration.ofSeconds(45),
                        () -> AgentServers.online(client, admin, server.id()) && stored.timestamps(server.id()).size() >= 5,
                        () -> AgentServers.diagnostics(hub, List.of(first)));

                long hubDownAt = System.currentTimeMillis();
                hub.stop();
                Eventually.hold(HUB_DOWN_BEFORE_KILL);
                assertThat(bytesUnder(outbox)).as("the agent's outbox on disk while the hub is down").isPositive();
                long killAt = System.currentTimeMillis();
                assertThat(first.kill9()).isEqualTo(137);
                long restartAt = System.currentTimeMillis();
                second = AgentServers.agent(hub, server, Map.of(), flags);
                Eventually.hold(HUB_DOWN_AFTER_RESTART);

                long hubBackAt = System.currentTimeMillis();
                hub.start();
                hub.waitUntilHealthy(Duration.ofSeconds(90));
                long to = hubBackAt + 3_000;
                AgentProcess replaying = second;
                Eventually.until("the new agent back-fills", Duration.ofSeconds(90),
                        () -> stored.newest(server.id()) >= to, () -> AgentServers.diagnostics(hub, List.of(first, replaying)));

                long from = hubDownAt - 3_000;
                List<Long> ts = stored.timestamps(server.id());
                List<Long> window = ts.stream().filter(t -> t >= from && t <= to).toList();
                assertThat(ts.getFirst()).as("history from before the hub went down").isLessThanOrEqualTo(from);
                List<Gap> gaps = StoredHistory.gapsLongerThan(window, 1_500);
                assertThat(gaps).as("gaps over 1.5 s (hub down %d, agent killed %d, restarted %d, hub back %d)",
                                hubDownAt, killAt, restartAt, hubBackAt)
                        .hasSizeLessThanOrEqualTo(1)
                        .allSatisfy(g -> {
                            assertThat(g.from()).as("last stored sample of the killed agent").isGreaterThanOrEqualTo(killAt - 1_500);
                            assertThat(g.to()).as("first stored sample of the new agent").isLessThanOrEqualTo(restartAt + 15_000);
                        });
                assertThat(window).as("samples the first agent took while the hub was down")
                        .anyMatch(t -> t > hubDownAt + 1_000 && t < killAt - 1_500);
                assertThat(window).as("samples the second agent took while the hub was down")
                        .anyMatch(t -> t > restartAt && t < hubBackAt);
            } finally {
                first.close();
                if (second != null) second.close();
            }
        }
    }

    private static long bytesUnder(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
