package dev.flick.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.AgentProcess;
import dev.flick.hub.faults.AgentServers.AgentServer;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/**
 * The hub's data dir (SQLite database and spool) is a 48 MiB tmpfs that fills to its last few KiB while a real agent
 * streams at 1 s, stays full for 20 s, and is freed. Proves that
 * <ul>
 *   <li>while full, {@code /actuator/health} answers within 2 s with component {@code dataDisk} DOWN; anyone sees
 *       only the status, an admin's bearer token also sees the details, which name the reason (a field about free
 *       space: docs/durability.md, Health, "free bytes of the data dir, threshold");</li>
 *   <li>nothing is lost: once freed, the stored history has no gap over 1.5 s across the whole episode (the spool
 *       stopped accepting, the agent kept its data and re-sent it: docs/durability.md, Bounds);</li>
 *   <li>and {@code dataDisk} is UP again.</li>
 * </ul>
 * The hub runs with FLICK_MIN_FREE_BYTES=8 MiB, as 256 MiB would not fit the small disk.
 */
class FullDataDiskTest {

    static final long MIN_FREE_BYTES = 8L * 1024 * 1024;
    static final Duration FULL_FOR = Duration.ofSeconds(20);

    @Test
    void aFullDataDiskTurnsHealthDownNamesTheReasonToAdminsAndLosesNoSnapshot() throws Exception {
        FaultRequirements.tmpfs();
        try (Tmpfs disk = Tmpfs.mount(48);
             HubProcess hub = HubProcess.builder().dataDir(disk.path()).env("FLICK_MIN_FREE_BYTES", String.valueOf(MIN_FREE_BYTES)).start()) {
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            HubClient client = hub.client();
            String admin = client.admin();
            AgentServer server = AgentServers.create(client, admin, "full disk box");
            StoredHistory stored = StoredHistory.sqlite(disk.path());
            try (AgentProcess agent = AgentServers.agent(hub, server, Map.of())) {
                Eventually.until("the agent is online and rows are stored", Duration.ofSeconds(45),
                        () -> AgentServers.online(client, admin, server.id()) && stored.timestamps(server.id()).size() >= 5,
                        () -> AgentServers.diagnostics(hub, List.of(agent)));

                long fullAt = System.currentTimeMillis();
                long left = disk.fill();
                assertThat(left).as("bytes left on the data disk").isLessThanOrEqualTo(Tmpfs.LEFT_FREE);
                Eventually.until("health says dataDisk DOWN", Duration.ofSeconds(15),
                        () -> "DOWN".equals(Health.read(hub.port(), null).component("dataDisk")),
                        () -> Health.read(hub.port(), null) + "\n" + AgentServers.diagnostics(hub, List.of(agent)));

                Health anyone = Health.read(hub.port(), null);
                Health asAdmin = Health.read(hub.port(), admin);
                assertThat(anyone.details("dataDisk")).as("details for anyone: " + anyone).isNull();
                assertThat(asAdmin.component("dataDisk")).as(asAdmin.toString()).isEqualTo("DOWN");
                JsonNode details = asAdmin.details("dataDisk");
                assertThat(details).as("dataDisk details for an admin: " + asAdmin).isNotNull();
                assertThat(fieldNames(details)).as("dataDisk details name the reason: " + details)
                        .anyMatch(name -> name.toLowerCase(Locale.ROOT).contains("free"));

                List<Health> wrong = new ArrayList<>();
                while (System.currentTimeMillis() < fullAt + FULL_FOR.toMillis()) {
                    Health h = Health.read(hub.port(), null);
                    if (!h.answered() || h.millis() > Health.LIMIT.toMillis() || !"DOWN".equals(h.component("dataDisk"))) wrong.add(h);
                    Eventually.hold(Duration.ofSeconds(1)); // one health request a second while the disk is full
                }
                assertThat(wrong).as("health answers while the disk is full that were slow or not dataDisk DOWN").isEmpty();

                long freedAt = System.currentTimeMillis();
                disk.free();
                Eventually.until("health says dataDisk UP after the disk is freed", Duration.ofSeconds(30),
                        () -> "UP".equals(Health.read(hub.port(), null).component("dataDisk")),
                        () -> Health.read(hub.port(), admin) + "\n" + AgentServers.diagnostics(hub, List.of(agent)));

                long from = fullAt - 3_000;
                long to = freedAt + 3_000;
                Eventually.holdsWithin(Duration.ofSeconds(90), () -> {
                    List<Long> ts = stored.timestamps(server.id());
                    return !ts.isEmpty() && ts.getLast() >= to && StoredHistory.largestGap(ts, from, to).millis() <= 1_500;
                });
                List<Long> ts = stored.timestamps(server.id());
                assertThat(ts.getFirst()).as("history from before the disk filled").isLessThanOrEqualTo(from);
                assertThat(ts.getLast()).as("history from after it was freed; " + AgentServers.diagnostics(hub, List.of(agent)))
                        .isGreaterThanOrEqualTo(to);
                assertThat(StoredHistory.largestGap(ts, from, to).millis())
                        .as("largest gap across the full disk (" + StoredHistory.largestGap(ts, from, to) + ")")
                        .isLessThanOrEqualTo(1_500);
                assertThat(agent.alive()).isTrue();
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.propertyNames().iterator();
        while (it.hasNext()) names.add(it.next());
        return names;
    }
}
