package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StoredSnapshotTest {

    private static final long BASE_SEED = Long.getLong("codec.seed", 0x570EDL);

    static LongStream seeds() {
        return LongStream.range(0, 200).map(i -> BASE_SEED + i * 0x9E3779B97F4A7C15L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readsBackWhatSnapshotJsonWrites(long seed) {
        for (Snapshot s : SnapshotSamples.randomBlock(new Random(seed))) {
            if (!jsonCanHold(s)) continue;
            Snapshot back = StoredSnapshot.fromJson(s.serverId(), SnapshotJson.write(s).getBytes(StandardCharsets.UTF_8));

            assertThat(SnapshotSamples.exact(back)).isEqualTo(SnapshotSamples.exact(SnapshotSamples.atJsonPrecision(s)));
        }
    }

    /**
     * SnapshotJson writes a percentage of −2^63 hundredths or less (−9.2e16 %) as "--92233720368547758.0(", which
     * is not JSON (a collector defect, reported); no collector measures such a value, so those are left out here.
     */
    private static boolean jsonCanHold(Snapshot s) {
        Snapshot.Cpu c = s.cpu();
        List<Double> percents = new java.util.ArrayList<>(List.of(c.usage(), c.user(), c.system(), c.iowait(), c.steal(),
                c.load1(), c.load5(), c.load15()));
        for (double v : c.cores()) percents.add(v);
        for (Snapshot.Processes.Process p : s.processes().top()) percents.add(p.cpu());
        if (s.containers() != null) for (Snapshot.Container k : s.containers()) percents.add(k.cpu());
        return percents.stream().noneMatch(v -> Double.isFinite(v) && Math.round(v * 100) == Long.MIN_VALUE);
    }

    @Test
    void readsTheStoredDetailAsTheHubKeepsIt() {
        for (Snapshot s : SnapshotSamples.realistic(5, 30)) {
            // metrics_snapshots.detail: the live message (with its "type"), deflated.
            byte[] detail = Deflate.compress(SnapshotJson.write(s, "type", "snapshot"));
            Snapshot back = StoredSnapshot.fromJson(s.serverId(), Deflate.inflate(detail).getBytes(StandardCharsets.UTF_8));
            assertThat(SnapshotSamples.exact(back)).isEqualTo(SnapshotSamples.exact(s));
        }
    }

    @Test
    void aBlockAndTheJsonGiveTheSameSnapshots() {
        List<Snapshot> minute = SnapshotSamples.realistic(6, 60);
        List<Snapshot> fromBlock = SnapshotBlock.decode(SnapshotSamples.SERVER, SnapshotBlock.encode(minute));
        for (int i = 0; i < minute.size(); i++) {
            Snapshot fromJson = StoredSnapshot.fromJson(SnapshotSamples.SERVER, SnapshotJson.write(minute.get(i)).getBytes(StandardCharsets.UTF_8));
            assertThat(SnapshotSamples.exact(fromBlock.get(i))).isEqualTo(SnapshotSamples.exact(fromJson));
        }
    }

    @Test
    void missingPartsAreZeroOrEmpty() {
        Snapshot s = StoredSnapshot.fromJson("srv", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(s.serverId()).isEqualTo("srv");
        assertThat(s.ts()).isZero();
        assertThat(s.cpu().usage()).isZero();
        assertThat(s.cpu().cores()).isEmpty();
        assertThat(s.memory().total()).isZero();
        assertThat(s.disks()).isEmpty();
        assertThat(s.diskIo().devices()).isEmpty();
        assertThat(s.network().interfaces()).isEmpty();
        assertThat(s.processes().count()).isZero();
        assertThat(s.processes().top()).isEmpty();

        Snapshot partial = StoredSnapshot.fromJson("srv", """
                {"ts":1795662720000,"cpu":{"usage":12.5,"cores":[1,"2.5",null]},"memory":{"used":42},
                 "disks":[{"mount":"/"}],"network":{"interfaces":[{"name":"eth0","rxBps":7}]},
                 "processes":{"top":[{"pid":9,"command":null},{"name":"x"}]},"extra":{"ignored":true}}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(partial.ts()).isEqualTo(1_795_662_720_000L);
        assertThat(partial.cpu().usage()).isEqualTo(12.5);
        assertThat(partial.cpu().cores()).containsExactly(1, 2.5, 0);
        assertThat(partial.memory().used()).isEqualTo(42);
        assertThat(partial.disks()).containsExactly(new Snapshot.Disk("/", "", "", 0, 0));
        assertThat(partial.network().interfaces()).containsExactly(new Snapshot.Network.Interface("eth0", 7, 0));
        assertThat(partial.processes().top()).containsExactly(
                new Snapshot.Processes.Process(9, "", "", 0, 0, null), new Snapshot.Processes.Process(0, "x", "", 0, 0, ""));
    }

    @Test
    void commandsAreRedactedEvenInOldRows() {
        Snapshot s = StoredSnapshot.fromJson("srv", """
                {"processes":{"top":[{"pid":1,"command":"mysql -u root --password=hunter2 db"}]}}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(s.processes().top().getFirst().command()).isEqualTo("mysql -u root --password=*** db");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]", "42", "\"snapshot\"", "{\"ts\":1,", "{\"ts\":1}}", "null"})
    void aPayloadThatIsNotASnapshotObjectIsCorrupt(String payload) {
        assertThatThrownBy(() -> StoredSnapshot.fromJson("srv", payload.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SnapshotBlock.Corrupt.class)
                .hasMessageContaining("Stored snapshot JSON");
    }
}
