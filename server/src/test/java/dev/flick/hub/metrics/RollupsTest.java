package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;

class RollupsTest {

    private static final long MINUTE = 1_764_150_000_000L / 60_000 * 60_000;

    private static Snapshot snap(long ts, double cpu, long memUsed) {
        return new Snapshot("s1", ts, new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 1, 1, 1),
                new Snapshot.Memory(1_000, memUsed, 1_000 - memUsed, 0, 0, 0), List.of(),
                new Snapshot.DiskIo(0, 0, List.of()), new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(0, List.of()));
    }

    @Test
    void aBucketHoldsAverageMinMaxAndThePeakSnapshot() {
        Rollups rollups = new Rollups(2_000);
        rollups.add(snap(MINUTE, 10, 100), "a");
        rollups.add(snap(MINUTE + 1_000, 70, 300), "peak");
        rollups.add(snap(MINUTE + 2_000, 40, 200), "c");

        assertThat(rollups.due(MINUTE + 61_000, false)).as("not due within the grace period").isEmpty();
        List<RollupRow> rows = rollups.due(MINUTE + 62_000, false);
        RollupRow minute = rows.stream().filter(r -> r.tier() == Tier.MINUTE).findFirst().orElseThrow();
        assertThat(minute.ts()).isEqualTo(MINUTE);
        assertThat(minute.samples()).isEqualTo(3);
        assertThat(minute.avg()[Series.CPU.ordinal()]).isEqualTo(40.0);
        assertThat(minute.min()[Series.CPU.ordinal()]).isEqualTo(10.0);
        assertThat(minute.max()[Series.CPU.ordinal()]).isEqualTo(70.0);
        assertThat(minute.avg()[Series.MEM_USED.ordinal()]).isEqualTo(200.0);
        assertThat(minute.peakJson()).isEqualTo("peak");
        assertThat(rows).noneMatch(r -> r.tier() == Tier.HOUR);
        assertThat(rollups.due(MINUTE + 62_000, false)).as("emitted once").isEmpty();
    }

    @Test
    void lateSnapshotsOpenTheirOwnBucketInsteadOfPollutingTheCurrentOne() {
        Rollups rollups = new Rollups(2_000);
        rollups.add(snap(MINUTE + 120_000, 50, 0), "now");
        rollups.add(snap(MINUTE, 10, 0), "backfill");
        List<RollupRow> rows = rollups.due(MINUTE + 185_000, false).stream().filter(r -> r.tier() == Tier.MINUTE).toList();
        assertThat(rows).extracting(RollupRow::ts).containsExactlyInAnyOrder(MINUTE, MINUTE + 120_000);
        assertThat(rows).allMatch(r -> r.samples() == 1);
    }

    @Test
    void flushingOnShutdownEmitsOpenBuckets() {
        Rollups rollups = new Rollups(2_000);
        rollups.add(snap(MINUTE, 10, 0), "x");
        assertThat(rollups.due(MINUTE + 1_000, true)).extracting(RollupRow::tier).containsExactlyInAnyOrder(Tier.MINUTE, Tier.HOUR);
    }
}
