package dev.flick.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.AgentProcess;
import dev.flick.hub.faults.AgentServers.AgentServer;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/**
 * Two real agents whose wall clocks are wrong (libfaketime): one an hour ahead, one two days behind. Proves the hub
 * measures each offset and stores in hub time (docs/durability.md, Agents, Clock: stored at ts − offset):
 * <ul>
 *   <li>every stored {@code metrics_snapshots.ts} lies within 2 s of the hub's clock while the agent ran (nothing an
 *       hour ahead or two days back), and the newest is recent;</li>
 *   <li>the server is {@code online} (presence goes by hub time too);</li>
 *   <li>{@code GET /api/v1/servers/{id}} shows {@code clockOffsetMs} ≈ +3,600,000 and −172,800,000 (± 2 s).</li>
 * </ul>
 * The hub and the test share the machine's clock, so the test's clock is the hub's.
 */
class AgentClockSkewTest {

    @Test
    void agentsAnHourAheadAndTwoDaysBehindAreStoredInHubTimeAndShowTheirOffset() throws Exception {
        FaultRequirements.faketime();
        try (HubProcess hub = HubProcess.builder().start()) {
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            HubClient client = hub.client();
            String admin = client.admin();
            StoredHistory stored = StoredHistory.sqlite(hub.dataDir());
            AgentServer ahead = AgentServers.create(client, admin, "an hour ahead");
            AgentServer behind = AgentServers.create(client, admin, "two days behind");
            long startedAt = System.currentTimeMillis();
            try (AgentProcess fast = AgentServers.agent(hub, ahead, Faketime.environment("+1h"));
                 AgentProcess slow = AgentServers.agent(hub, behind, Faketime.environment("-2d"))) {
                List<AgentProcess> agents = List.of(fast, slow);
                Eventually.until("both agents online with 5 rows stored", Duration.ofSeconds(60), () ->
                        AgentServers.online(client, admin, ahead.id()) && AgentServers.online(client, admin, behind.id())
                                && stored.timestamps(ahead.id()).size() >= 5 && stored.timestamps(behind.id()).size() >= 5,
                        () -> "stored ahead " + stored.newest(ahead.id()) + ", behind " + stored.newest(behind.id())
                                + ", now " + System.currentTimeMillis() + "\n" + AgentServers.diagnostics(hub, agents));

                check(client, admin, stored, ahead, startedAt, 3_600_000L);
                check(client, admin, stored, behind, startedAt, -172_800_000L);
            }
        }
    }

    private static void check(HubClient client, String admin, StoredHistory stored, AgentServer server, long startedAt,
                              long offset) throws Exception {
        long readAt = System.currentTimeMillis();
        List<Long> ts = stored.timestamps(server.id());
        assertThat(ts).as("stored ts of the agent at %+d ms, hub time %d..%d", offset, startedAt, readAt)
                .allSatisfy(t -> assertThat(t).isBetween(startedAt - 2_000, readAt + 2_000));
        assertThat(ts.getLast()).as("newest stored ts of the agent at %+d ms", offset).isGreaterThanOrEqualTo(readAt - 5_000);
        JsonNode s = AgentServers.server(client, admin, server.id());
        assertThat(s).isNotNull();
        assertThat(s.get("status").asString()).isEqualTo("online");
        assertThat(s.get("clockOffsetMs")).as("clockOffsetMs in " + s).isNotNull();
        assertThat(s.get("clockOffsetMs").asLong()).isCloseTo(offset, within(2_000L));
    }
}
