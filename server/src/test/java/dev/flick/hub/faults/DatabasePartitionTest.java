package dev.flick.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flick.hub.HubClient;
import dev.flick.hub.PostgresSchema;
import dev.flick.hub.collect.AgentProcess;
import dev.flick.hub.faults.AgentServers.AgentServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes out of the hub's reach while a real agent streams at 1 s: first for 60 s as a server that went
 * away (connections reset, new ones refused), then for 10 minutes as a network partition (connections stall, new ones
 * are never answered). Proves, for each outage, that
 * <ul>
 *   <li>{@code /actuator/health} answers every request within 2 s throughout, and its component {@code database}
 *       is DOWN by the end of the outage (docs/durability.md, Health: nothing in it waits on the database);</li>
 *   <li>once PostgreSQL is back, the stored history ({@code metrics_snapshots}, read directly from PostgreSQL) spans
 *       the whole window with no gap over 1.5 s: what arrived during the outage was kept (the spool) and back-filled
 *       (docs/durability.md, Failures are retried, never dropped);</li>
 *   <li>and health says {@code database} UP again.</li>
 * </ul>
 * One method runs both outages on one hub, agent and schema, so the setup is paid once.
 */
class DatabasePartitionTest {

    static final Duration SHORT_CUT = Duration.ofSeconds(60);
    static final Duration LONG_CUT = Duration.ofMinutes(10);
    static final long MAX_GAP_MS = 1_500;

    String schema;
    TcpProxy proxy;
    HubProcess hub;
    AgentProcess agent;

    @BeforeEach
    void start() throws Exception {
        FaultRequirements.postgres();
        schema = PostgresSchema.create();
        proxy = FaultInfrastructureTest.postgresProxy();
        hub = HubProcess.builder().databaseUrl(FaultInfrastructureTest.throughProxy(proxy, schema)).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) agent.close();
        if (hub != null) hub.close();
        if (proxy != null) proxy.close();
        if (schema != null) PostgresSchema.drop(schema);
    }

    @Test
    void historyHasNoGapAndHealthSaysDatabaseDownThroughA60SecondAndA10MinuteDatabaseOutage() throws Exception {
        hub.waitUntilHealthy(Duration.ofSeconds(90));
        HubClient client = hub.client();
        String admin = client.admin();
        AgentServer server = AgentServers.create(client, admin, "partitioned box");
        agent = AgentServers.agent(hub, server, Map.of());
        StoredHistory stored = StoredHistory.postgres(schema);
        Eventually.until("the agent is online and rows are stored", Duration.ofSeconds(45),
                () -> AgentServers.online(client, admin, server.id()) && stored.timestamps(server.id()).size() >= 5,
                this::diagnostics);

        outage(TcpProxy.Mode.REFUSE, SHORT_CUT, server, stored);
        outage(TcpProxy.Mode.BLACKHOLE, LONG_CUT, server, stored);

        assertThat(agent.alive()).isTrue();
    }

    private void outage(TcpProxy.Mode mode, Duration length, AgentServer server, StoredHistory stored) throws Exception {
        String what = length.toSeconds() + " s " + mode + " outage";
        long cutAt = System.currentTimeMillis();
        proxy.cut(mode);
        List<Health> slow = new ArrayList<>();
        Health last = null;
        Long firstDownAt = null;
        while (System.currentTimeMillis() < cutAt + length.toMillis()) {
            last = Health.read(hub.port(), null);
            if (!last.answered() || last.millis() > Health.LIMIT.toMillis()) slow.add(last);
            if (firstDownAt == null && "DOWN".equals(last.component("database"))) firstDownAt = System.currentTimeMillis();
            Eventually.hold(Duration.ofSeconds(1)); // one health request a second through the whole outage
        }
        long restoreAt = System.currentTimeMillis();
        proxy.restore();

        assertThat(slow).as("health requests not answered within 2 s during the " + what).isEmpty();
        assertThat(last.component("database")).as("health component database at the end of the " + what + ": " + last)
                .isEqualTo("DOWN");
        assertThat(firstDownAt).as("database DOWN within 30 s of the " + what + " starting").isNotNull();
        assertThat(firstDownAt - cutAt).as("ms from the cut to database DOWN").isLessThan(30_000);

        long from = cutAt - 3_000;
        long to = restoreAt + 3_000;
        // The writer back-fills in order; wait until it has, then look at the whole window.
        Eventually.holdsWithin(Duration.ofSeconds(120), () -> {
            List<Long> ts = stored.timestamps(server.id());
            return !ts.isEmpty() && ts.getLast() >= to && StoredHistory.largestGap(ts, from, to).millis() <= MAX_GAP_MS;
        });
        List<Long> ts = stored.timestamps(server.id());
        assertThat(ts).as("stored rows").isNotEmpty();
        assertThat(ts.getFirst()).as("history from before the " + what).isLessThanOrEqualTo(from);
        assertThat(ts.getLast()).as("history from after the " + what + "; " + diagnostics()).isGreaterThanOrEqualTo(to);
        assertThat(StoredHistory.largestGap(ts, from, to).millis())
                .as("largest gap in the stored history across the " + what + " (" + StoredHistory.largestGap(ts, from, to) + ")")
                .isLessThanOrEqualTo(MAX_GAP_MS);
        Eventually.until("health says database UP after the " + what, Duration.ofSeconds(60),
                () -> "UP".equals(Health.read(hub.port(), null).component("database")), this::diagnostics);
    }

    private String diagnostics() {
        return AgentServers.diagnostics(hub, agent == null ? List.of() : List.of(agent));
    }
}
