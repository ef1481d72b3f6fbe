package dev.flick.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.flick.collector.Snapshot;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

/** Every message the hub sends a browser, written by the one serialiser exactly as the shared fixtures record it. */
class LiveJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final long TS = 1_764_150_000_000L;

    static Snapshot sample() {
        return new Snapshot("srv-1", TS, new Snapshot.Cpu(37.5, 30, 5, 2, 0.5, new double[] {40, 35}, 0.8, 0.6, 0.5),
                new Snapshot.Memory(8_000_000_000L, 3_000_000_000L, 5_000_000_000L, 1_000_000_000L, 2_000_000_000L, 0),
                List.of(new Snapshot.Disk("/", "/dev/sda1", "ext4", 100_000_000_000L, 40_000_000_000L),
                        new Snapshot.Disk("/data", "/dev/sdb1", "xfs", 200_000_000_000L, 50_000_000_000L)),
                new Snapshot.DiskIo(1_024, 2_048, List.of(new Snapshot.DiskIo.Device("sda", 1_024, 2_048))),
                new Snapshot.Network(5_000, 1_500, List.of(new Snapshot.Network.Interface("eth0", 5_000, 1_500))),
                new Snapshot.Processes(120, List.of(new Snapshot.Processes.Process(42, "java", "flick", 12.5, 300_000_000L, "java -jar flick.jar"))));
    }

    @Test
    void aSnapshotIsTheMessageWrittenOnIngestPassedThrough() {
        LiveMessage.Snapshot message = LiveMessage.Snapshot.of(sample());
        assertThat(LiveJson.write(message)).isSameAs(message.json());
        LiveFixtures.assertWrites("snapshot", message);
    }

    @Test
    void aStatusReasonWithTabsAndLineBreaksIsValidJson() throws Exception {
        String reason = "Connection refused\tport 22\r\nretrying \"soon\" \\ \u0001";
        String json = LiveJson.write(new LiveMessage.Status("srv-1", "error", TS, reason));
        JsonNode node = JSON.readTree(json);
        assertThat(node.get("reason").asString()).isEqualTo(reason);
        assertThat(json).doesNotContain("\t").doesNotContain("\r").doesNotContain("\n");
        LiveFixtures.assertWrites("status", new LiveMessage.Status("srv-1", "error", TS, reason));
        LiveFixtures.assertWrites("status-online", new LiveMessage.Status("srv-1", "online", TS, null));
    }

    @Test
    void aCodedStatusReasonCarriesItsCodeAndParamsBesideTheEnglishText() throws Exception {
        String reason = "Cannot reach 127.0.0.1:2222: connection refused (is sshd running on that port?)";
        JsonNode node = JSON.readTree(LiveJson.write(new LiveMessage.Status("srv-1", "error", TS, reason, "ssh.connection_refused",
                java.util.Map.of("where", "127.0.0.1:2222"))));
        assertThat(node.get("reason").asString()).isEqualTo(reason);
        assertThat(node.get("reasonCode").asString()).isEqualTo("ssh.connection_refused");
        assertThat(node.get("reasonParams").get("where").asString()).isEqualTo("127.0.0.1:2222");
        assertThat(JSON.readTree(LiveJson.write(new LiveMessage.Status("srv-1", "error", TS, reason))).has("reasonCode")).isFalse();
    }

    @Test
    void logLinesCarryOnlyTheFieldsTheyHave() {
        LiveFixtures.assertWrites("log", new LiveMessage.Log("srv-1", TS, "journal", "error", "sshd.service",
                "Failed password for root from 192.0.2.7", null, null));
        LiveFixtures.assertWrites("log-hub", new LiveMessage.Log(null, TS, "hub", "info", null, "Signed in", "admin@example.com",
                "user:u-1"));
    }

    @Test
    void connectionMessagesAreWrittenAsTheProtocolDefinesThem() {
        LiveFixtures.assertWrites("ready", new LiveMessage.Ready(new LiveMessage.Ready.User("u-1", "admin@example.com", "admin")));
        LiveFixtures.assertWrites("ping", new LiveMessage.Ping(TS));
        LiveFixtures.assertWrites("error", new LiveMessage.Error("not-found", "Server not found: srv-9"));
        LiveFixtures.assertWrites("coalesced", new LiveMessage.Coalesced(TS, 1_234, 5));
    }

    @Test
    void aSummaryHoldsWhatAnOverviewCardDraws() {
        LiveMessage.ServerSummary s = LiveMessage.ServerSummary.of(sample(), "online");
        assertThat(s.diskUsed()).isEqualTo(90_000_000_000L);
        assertThat(s.diskTotal()).isEqualTo(300_000_000_000L);
        LiveMessage.ServerSummary quiet = new LiveMessage.ServerSummary("srv-2", TS - 1_000, 0, 0, 0, 0, 0, 0, 0, null);
        LiveFixtures.assertWrites("summary", new LiveMessage.Summary(TS + 500, List.of(s, quiet)));
        // The hub assembles summaries from entries written once per snapshot: the same text.
        assertThat(LiveJson.summary(TS + 500, List.of(LiveJson.entry(s), LiveJson.entry(quiet)))).isEqualTo(LiveFixtures.read("summary"));
    }
}
