package dev.flick.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.AgentProcess;
import dev.flick.hub.faults.AgentServers.AgentServer;
import dev.flick.hub.faults.TcpProxy.Mode;

import org.junit.jupiter.api.Test;

/**
 * An agent given two hub addresses ({@code --hub A,B}; here one real hub process behind two loopback TCP proxies, so
 * both addresses reach the same stored history). Both addresses go away, the agent keeps sampling into its outbox;
 * only B comes back: the agent moves to B on its own and back-fills there, and the stored history has no gap and no
 * sample twice (issue 16 point 4).
 */
class AgentSeveralHubsTest {

    @Test
    void anAgentMovesToTheNextHubWhenItsHubIsGoneAndBackFillsThere() throws Exception {
        try (HubProcess hub = HubProcess.builder().start();
             TcpProxy a = new TcpProxy("127.0.0.1", hub.port());
             TcpProxy b = new TcpProxy("127.0.0.1", hub.port())) {
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            HubClient client = hub.client();
            String admin = client.admin();
            AgentServer server = AgentServers.create(client, admin, "two-hub agent box");
            StoredHistory stored = StoredHistory.sqlite(hub.dataDir());
            String hubs = "http://127.0.0.1:" + a.port() + ",http://127.0.0.1:" + b.port();
            try (AgentProcess agent = new AgentProcess(hubs, server.token(), "1s", Map.of(), "--logs", "off")) {
                Eventually.until("the agent is online through A and rows are stored", Duration.ofSeconds(45),
                        () -> AgentServers.online(client, admin, server.id()) && stored.timestamps(server.id()).size() >= 3,
                        () -> AgentServers.diagnostics(hub, List.of(agent)));
                assertThat(a.openConnections()).as("the first address is used first").isEqualTo(1);
                assertThat(b.openConnections()).isZero();

                long cutAt = System.currentTimeMillis();
                a.cut(Mode.REFUSE);
                b.cut(Mode.REFUSE);
                Eventually.hold(Duration.ofSeconds(6)); // both gone: the agent samples into its outbox
                long bBackAt = System.currentTimeMillis();
                b.restore();

                long to = bBackAt + 3_000;
                Eventually.until("the agent back-fills through B", Duration.ofSeconds(90),
                        () -> stored.newest(server.id()) >= to, () -> AgentServers.diagnostics(hub, List.of(agent)));
                assertThat(b.openConnections()).as("the agent is on B").isEqualTo(1);
                assertThat(a.openConnections()).isZero();

                List<Long> ts = stored.timestamps(server.id());
                List<Long> window = ts.stream().filter(t -> t >= cutAt - 3_000 && t <= to).toList();
                assertThat(ts).as("no sample stored twice").doesNotHaveDuplicates();
                assertThat(window).as("samples taken while both addresses were gone")
                        .anyMatch(t -> t > cutAt + 1_000 && t < bBackAt - 1_000);
                assertThat(StoredHistory.gapsLongerThan(window, 1_500)).as("gaps over 1.5 s across the move (cut %d, B back %d)",
                        cutAt, bBackAt).isEmpty();
                assertThat(agent.output()).contains("reconnecting to ws://127.0.0.1:" + b.port() + "/api/v1/agent")
                        .contains("Reconnected to ws://127.0.0.1:" + b.port());
            }
        }
    }
}
