package dev.flick.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.AgentProcess;
import dev.flick.hub.faults.AgentServers.AgentServer;

import org.junit.jupiter.api.Test;

/**
 * The hub (SQLite) is killed with SIGKILL in the middle of a minute while three real agents stream at 250 ms, and
 * started again on the same data dir; the agents reconnect and back-fill, then stop. Proves that, once every bucket
 * has closed, the rollups hold no trace of the crash (docs/durability.md, Rollups: computed from the raw rows that
 * exist, {@code rollup_dirty} survives a crash, no in-memory state to lose):
 * <ul>
 *   <li>every {@code metrics_1m} row equals its recomputation from {@code metrics_snapshots}: samples = count, each
 *       series = avg, {@code _min} = min, {@code _max} = max, and no minute with raw rows lacks its row;</li>
 *   <li>every {@code metrics_1h} row equals its recomputation from {@code metrics_1m}: samples summed, count-weighted
 *       average, min of mins, max of maxes;</li>
 *   <li>and the minute of the kill really straddles it: it has raw rows from before and after the kill.</li>
 * </ul>
 * Assumes rollup rows are keyed by the start of their bucket ({@code ts} = minute or hour start, epoch ms).
 */
class HubCrashRollupsTest {

    static final int AGENTS = 3;

    @Test
    void afterAKill9MidMinuteEveryRollupEqualsItsRecomputationFromStoredRows() throws Exception {
        List<AgentProcess> agents = new ArrayList<>();
        try (HubProcess hub = HubProcess.builder().start()) {
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            HubClient client = hub.client();
            String admin = client.admin();
            StoredHistory stored = StoredHistory.sqlite(hub.dataDir());
            List<AgentServer> servers = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                AgentServer server = AgentServers.create(client, admin, "load " + i);
                servers.add(server);
                agents.add(AgentServers.agent(hub, server, "250ms", Map.of()));
            }
            Eventually.until("every agent is online and storing", Duration.ofSeconds(60), () -> {
                for (AgentServer s : servers) {
                    if (!AgentServers.online(client, admin, s.id()) || stored.timestamps(s.id()).size() < 8) return false;
                }
                return true;
            }, () -> AgentServers.diagnostics(hub, agents));

            // Mid-minute: the open minute already holds 20 s or more of rows and has 20 s or more to go.
            Eventually.until("the middle of a minute", Duration.ofSeconds(65), () -> {
                long second = Math.floorMod(System.currentTimeMillis(), StoredHistory.MINUTE) / 1000;
                return second >= 20 && second <= 40;
            }, () -> "");
            long killAt = System.currentTimeMillis();
            assertThat(hub.kill9()).isEqualTo(HubProcess.KILLED);

            hub.start();
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            String admin2 = client.admin();
            Eventually.until("every agent is back and has back-filled past the kill", Duration.ofSeconds(90), () -> {
                for (AgentServer s : servers) {
                    if (!AgentServers.online(client, admin2, s.id()) || stored.newest(s.id()) < System.currentTimeMillis() - 5_000
                            || stored.newest(s.id()) < killAt + 10_000) {
                        return false;
                    }
                }
                return true;
            }, () -> AgentServers.diagnostics(hub, agents));
            for (AgentProcess a : agents) a.close();
            long stoppedAt = System.currentTimeMillis();

            // Every bucket is closed once the minute the agents stopped in has ended (plus the writer's second or two).
            long settled = StoredHistory.minuteOf(stoppedAt) + StoredHistory.MINUTE;
            Eventually.holdsWithin(Duration.ofMillis(Math.max(0, settled - System.currentTimeMillis()) + 30_000), () ->
                    System.currentTimeMillis() > settled
                            && StoredHistory.differences("metrics_1m", stored.rollups("metrics_1m"), stored.minutesFromRaw()).isEmpty()
                            && StoredHistory.differences("metrics_1h", stored.rollups("metrics_1h"), stored.hoursFromMinutes()).isEmpty());

            var minutes = stored.minutesFromRaw();
            assertThat(StoredHistory.differences("metrics_1m", stored.rollups("metrics_1m"), minutes))
                    .as("metrics_1m rows that differ from their recomputation from metrics_snapshots; " + AgentServers.diagnostics(hub, List.of()))
                    .isEmpty();
            assertThat(StoredHistory.differences("metrics_1h", stored.rollups("metrics_1h"), stored.hoursFromMinutes()))
                    .as("metrics_1h rows that differ from their recomputation from metrics_1m").isEmpty();

            long killMinute = StoredHistory.minuteOf(killAt);
            for (AgentServer s : servers) {
                List<Long> ts = stored.timestamps(s.id());
                assertThat(ts).as("raw rows of " + s.id() + " in the minute of the kill, before it")
                        .anyMatch(t -> t >= killMinute && t < killAt);
                assertThat(ts).as("raw rows of " + s.id() + " in the minute of the kill, after it")
                        .anyMatch(t -> t > killAt && t < killMinute + StoredHistory.MINUTE);
                assertThat(minutes).as("the recomputed kill minute of " + s.id()).containsKey(s.id() + "@" + killMinute);
            }
            assertThat(stored.rollups("metrics_1h")).as("hour rows").isNotEmpty();
        } finally {
            for (AgentProcess a : agents) a.close();
        }
    }
}
