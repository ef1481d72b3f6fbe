package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rollups are computed from the raw rows that exist: every 1-minute row equals a recomputation from its raw rows,
 * every 1-hour row one from its minute rows, whether the rows came in order, late (a back-fill) or twice (a resend).
 */
abstract class RollupsContract {

    @Autowired Ingest ingest;
    @Autowired JdbcClient jdbc;
    @Autowired History history;

    static Snapshot snap(String server, long ts, double cpu, long memUsed) {
        return new Snapshot(server, ts, new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, cpu / 10, 1, 1),
                new Snapshot.Memory(10_000, memUsed, 10_000 - memUsed, 0, 0, 0), List.of(),
                new Snapshot.DiskIo(cpu * 3, 0, List.of()), new Snapshot.Network(0, cpu * 7, List.of()),
                new Snapshot.Processes(3, List.of()));
    }

    @Test
    void minuteAndHourRowsEqualARecomputationFromRawThroughBackFillAndResends() throws Exception {
        String id = "rollup-" + System.nanoTime();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0)").params(id, id).update();
        long hour = (System.currentTimeMillis() - 3 * 3_600_000L) / 3_600_000L * 3_600_000L;
        // Three minutes at 1 s with every other second missing; a back-fill brings the missing ones later.
        for (int m = 0; m < 3; m++) {
            for (int s = 0; s < 60; s += 2) {
                ingest.accept(snap(id, hour + m * 60_000L + s * 1_000L, (m * 60 + s) % 97, 1_000 + s * 10L));
            }
        }
        await(() -> rows("metrics_1m", id) == 3 && dirty(id) == 0, "three minute rows");
        assertThat(samples("metrics_1m", id)).containsExactly(30L, 30L, 30L);
        assertRollupsMatchRaw(id);
        assertThat(samples("metrics_1h", id)).containsExactly(90L);

        for (int s = 1; s < 60; s += 2) ingest.accept(snap(id, hour + 60_000L + s * 1_000L, 99.5, 9_000)); // late back-fill of minute 1
        for (int s = 0; s < 60; s += 2) ingest.accept(snap(id, hour + s * 1_000L, 1, 1)); // a resend of minute 0: stored rows win
        await(() -> samples("metrics_1m", id).equals(List.of(30L, 60L, 30L)) && dirty(id) == 0, "the back-filled minute recomputed");
        assertRollupsMatchRaw(id);
        assertThat(samples("metrics_1h", id)).containsExactly(120L);
        Map<String, Object> peak = jdbc.sql("SELECT cpu_max FROM metrics_1m WHERE server_id = ? AND ts = ?").params(id, hour + 60_000L)
                .query().singleRow();
        assertThat(((Number) peak.get("cpu_max")).doubleValue()).isEqualTo(99.5);
    }

    @Test
    void sensorsAndGpusHaveHistoryInEveryTier() throws Exception {
        String id = "inventory-" + System.nanoTime();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0)").params(id, id).update();
        long hour = (System.currentTimeMillis() - 3 * 3_600_000L) / 3_600_000L * 3_600_000L;
        for (int m = 0; m < 2; m++) {
            for (int s = 0; s < 60; s += 10) {
                Snapshot base = snap(id, hour + m * 60_000L + s * 1_000L, 10, 100);
                ingest.accept(new Snapshot(id, base.ts(), base.cpu(), base.memory(), base.disks(), base.diskIo(), base.network(),
                        base.processes(), null,
                        List.of(new Snapshot.Sensor("k10temp", "Tctl", Snapshot.SensorKind.TEMPERATURE, 40 + m * 10, Double.NaN, 95),
                                new Snapshot.Sensor("nct6775", "fan2", Snapshot.SensorKind.FAN, 900, Double.NaN, Double.NaN)),
                        List.of(new Snapshot.Gpu("0", "RTX", Snapshot.GpuVendor.NVIDIA, 20 + m * 20, 1_000, 4_000, 70, 100)),
                        null, null));
            }
        }
        await(() -> rows("metrics_1m", id) == 2 && dirty(id) == 0, "two minute rows");
        // Raw (one point per snapshot), the minute tier (one per minute) and the hour tier (one for both minutes).
        Map<String, Object> raw = history.metrics(id, hour, hour + 120_000L, 0).points().get(0);
        assertThat(raw.get("temperatures")).isEqualTo(Map.of("k10temp/Tctl", Map.of("value", 40.0, "critical", 95.0)));
        assertThat(raw.get("fans")).isEqualTo(Map.of("nct6775/fan2", Map.of("rpm", 900L)));
        List<Map<String, Object>> minutes = history.groupedRollupsForTest(Tier.MINUTE, id, hour, hour + 120_000L, 60_000L);
        assertThat(minutes).hasSize(2);
        assertThat(minutes.get(1).get("gpus")).isEqualTo(Map.of("0",
                Map.of("utilization", 40.0, "temperature", 70.0, "memoryUsed", 1_000L, "memoryTotal", 4_000L)));
        List<Map<String, Object>> hours = history.groupedRollupsForTest(Tier.HOUR, id, hour, hour + 3_600_000L, 3_600_000L);
        assertThat(hours).hasSize(1);
        assertThat(hours.get(0).get("temperatures")).isEqualTo(Map.of("k10temp/Tctl", Map.of("value", 45.0, "critical", 95.0)));
        assertThat(((Map<?, ?>) hours.get(0).get("gpus")).get("0")).isEqualTo(
                Map.of("utilization", 30.0, "temperature", 70.0, "memoryUsed", 1_000L, "memoryTotal", 4_000L));
    }

    @Test
    void aCorruptBlockIsLeftOutAndEveryOtherBlockStillReads() throws Exception {
        String id = "corrupt-" + System.nanoTime();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0)").params(id, id).update();
        long minute = (System.currentTimeMillis() - 2 * 3_600_000L) / 60_000L * 60_000L;
        for (int m = 0; m < 3; m++) for (int s = 0; s < 10; s++) ingest.accept(snap(id, minute + m * 60_000L + s * 1_000L, m * 10 + s, 100));
        await(() -> rows("metrics_blocks", id) == 3 && dirty(id) == 0, "three blocks");
        byte[] good = jdbc.sql("SELECT data FROM metrics_blocks WHERE server_id = ? AND ts = ?").params(id, minute + 60_000L).query(byte[].class).single();
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        jdbc.sql("UPDATE metrics_blocks SET data = ? WHERE server_id = ? AND ts = ?").params(cut, id, minute + 60_000L).update();

        List<Snapshot> read = history.rawSnapshots(id, minute, minute + 180_000L);
        assertThat(read).extracting(Snapshot::ts).hasSize(20).allMatch(ts -> ts < minute + 60_000L || ts >= minute + 120_000L);
        assertThat(history.metrics(id, minute, minute + 180_000L, 0).points()).hasSize(20);
        assertThat(history.processesAt(id, minute + 125_000L)).isPresent();
    }

    @Test
    void aServerAddedJustAfterADeletedOnesSnapshotsStillHasEveryRowStored() throws Exception {
        long now = System.currentTimeMillis();
        // Records of a server that no longer exists make the writer re-read the server list...
        ingest.accept(snap("deleted-" + System.nanoTime(), now, 1, 1));
        await(() -> ingest.stats().backlog() == 0, "the unknown server's record handled");
        // ...and a server created right after must not be taken for another deleted one.
        String id = "fresh-" + System.nanoTime();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0)").params(id, id).update();
        for (int i = 0; i < 5; i++) ingest.accept(snap(id, now + i * 1_000L, 5, 5));
        await(() -> stored(id) == 5, "all five snapshots of the new server stored");
    }

    /** Every rollup column against the same aggregate computed here from the rows below it. */
    void assertRollupsMatchRaw(String id) {
        for (Series s : Series.ALL) {
            String c = s.column;
            List<Map<String, Object>> minutes = jdbc.sql("SELECT ts, samples, %1$s AS avg, %1$s_min AS mn, %1$s_max AS mx FROM metrics_1m WHERE server_id = ?"
                    .formatted(c)).param(id).query().listOfRows();
            for (Map<String, Object> m : minutes) {
                List<Snapshot> raw = block(id, ((Number) m.get("ts")).longValue());
                assertThat(num(m, "samples")).as("%s samples at %s", c, m.get("ts")).isEqualTo(raw.size());
                assertThat(num(m, "avg")).as("%s avg", c).isCloseTo(raw.stream().mapToDouble(s::of).average().orElseThrow(), org.assertj.core.data.Offset.offset(1e-3));
                assertThat(num(m, "mn")).as("%s min", c).isCloseTo(raw.stream().mapToDouble(s::of).min().orElseThrow(), org.assertj.core.data.Offset.offset(1e-3));
                assertThat(num(m, "mx")).as("%s max", c).isCloseTo(raw.stream().mapToDouble(s::of).max().orElseThrow(), org.assertj.core.data.Offset.offset(1e-3));
            }
            List<Map<String, Object>> hours = jdbc.sql("""
                    SELECT h.ts, h.samples, h.%1$s AS avg, h.%1$s_min AS mn, h.%1$s_max AS mx,
                           (SELECT SUM(m.samples) FROM metrics_1m m WHERE m.server_id = h.server_id AND m.ts >= h.ts AND m.ts < h.ts + 3600000) AS rc,
                           (SELECT SUM(m.%1$s * m.samples) / SUM(m.samples) FROM metrics_1m m WHERE m.server_id = h.server_id AND m.ts >= h.ts AND m.ts < h.ts + 3600000) AS ra,
                           (SELECT MIN(m.%1$s_min) FROM metrics_1m m WHERE m.server_id = h.server_id AND m.ts >= h.ts AND m.ts < h.ts + 3600000) AS rmn,
                           (SELECT MAX(m.%1$s_max) FROM metrics_1m m WHERE m.server_id = h.server_id AND m.ts >= h.ts AND m.ts < h.ts + 3600000) AS rmx
                    FROM metrics_1h h WHERE h.server_id = ?""".formatted(c)).param(id).query().listOfRows();
            assertThat(hours).isNotEmpty();
            for (Map<String, Object> h : hours) {
                assertThat(num(h, "samples")).as("%s hour samples", c).isEqualTo(num(h, "rc"));
                assertThat(num(h, "avg")).as("%s hour avg", c).isCloseTo(num(h, "ra"), org.assertj.core.data.Offset.offset(1e-3));
                assertThat(num(h, "mn")).isCloseTo(num(h, "rmn"), org.assertj.core.data.Offset.offset(1e-3));
                assertThat(num(h, "mx")).isCloseTo(num(h, "rmx"), org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    private static double num(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).doubleValue();
    }

    /** The snapshots of a closed minute, decoded from its block; its raw rows must be gone once it is compacted. */
    List<Snapshot> block(String id, long minute) {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM metrics_snapshots WHERE server_id = ? AND ts >= ? AND ts < ?").params(id, minute, minute + 60_000)
                .query(Long.class).single()).as("raw rows left in the compacted minute %s", minute).isZero();
        byte[] data = jdbc.sql("SELECT data FROM metrics_blocks WHERE server_id = ? AND ts = ?").params(id, minute).query(byte[].class).single();
        return SnapshotBlock.decode(id, data);
    }

    /** Snapshots stored for a server: in its blocks and in the rows of its open minutes. */
    long stored(String id) {
        return jdbc.sql("SELECT coalesce(sum(samples), 0) FROM metrics_blocks WHERE server_id = ?").param(id).query(Long.class).single()
                + rows("metrics_snapshots", id);
    }

    long rows(String table, String id) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE server_id = ?").param(id).query(Long.class).single();
    }

    long dirty(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM rollup_dirty WHERE server_id = ?").param(id).query(Long.class).single();
    }

    List<Long> samples(String table, String id) {
        return jdbc.sql("SELECT samples FROM " + table + " WHERE server_id = ? ORDER BY ts").param(id).query(Long.class).list();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
