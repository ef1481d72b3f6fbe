package dev.flick.hub.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.live.LiveHub;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads stored history. Picks the coarsest tier that still gives the asked-for step, never returns much more
 * than {@link #MAX_POINTS} points per series, and says which tier answered.
 */
@Component
public class History {

    private static final Logger log = LoggerFactory.getLogger(History.class);

    static final int MAX_POINTS = 1_000;
    private static final long[] NICE_STEPS = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
            600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000};
    /** How long raw rows are kept (the retention setting); older ranges come from the rollups. */
    private static volatile long rawKeptMillis = 14 * 86_400_000L;

    private final JdbcClient jdbc;
    private final LiveHub live;
    private final ObjectMapper json;
    private final long interval;

    History(JdbcClient jdbc, LiveHub live, ObjectMapper json, FlickSettings settings) {
        this.jdbc = jdbc;
        this.live = live;
        this.json = json;
        this.interval = settings.intervalMillis();
    }

    public record Points(String serverId, long from, long to, long step, String tier, List<Map<String, Object>> points) {}

    public record ProcessesAt(String serverId, long ts, int count, JsonNode top) {}

    /** The containers stored nearest to a moment; {@code containers} as docs/snapshot.md "containers" lists them. */
    public record ContainersAt(String serverId, long ts, JsonNode containers) {}

    /** The series of a server between from (inclusive) and to (exclusive), at least {@code step} ms apart. */
    public Points metrics(String serverId, long from, long to, long requestedStep) {
        long step = chooseStep(from, to, requestedStep);
        Tier tier = chooseTier(from, step, System.currentTimeMillis());
        List<Map<String, Object>> points = tier != Tier.RAW ? groupedRollups(tier, serverId, from, to, step)
                : step <= interval ? rawPoints(serverId, from, to)
                : groupedRaw(serverId, from, to, step);
        return new Points(serverId, from, to, step, tier.id, points);
    }

    /** Follows the retention setting, so ranges older than the raw rows are answered from the rollups. */
    public void keepRawFor(long millis) {
        rawKeptMillis = millis;
    }

    long chooseStep(long from, long to, long requested) {
        long floor = Math.max(requested, (to - from + MAX_POINTS - 1) / MAX_POINTS);
        if (floor <= interval) return Math.max(interval, requested > 0 ? requested : interval);
        for (long nice : NICE_STEPS) {
            if (nice >= floor) return nice;
        }
        return floor;
    }

    static Tier chooseTier(long from, long step, long now) {
        if (step < Tier.MINUTE.bucketMillis && from >= now - rawKeptMillis) return Tier.RAW;
        if (step < Tier.HOUR.bucketMillis) return Tier.MINUTE;
        return Tier.HOUR;
    }

    /** The snapshots stored between from (inclusive) and to (exclusive): closed minutes' blocks, then open minutes' rows. */
    List<Snapshot> rawSnapshots(String serverId, long from, long to) {
        return rawSnapshots(serverId, from, to, true);
    }

    /** As {@link #rawSnapshots(String, long, long)}; without processes the blocks' top lists are not decoded. */
    private List<Snapshot> rawSnapshots(String serverId, long from, long to, boolean withProcesses) {
        TreeMap<Long, Snapshot> out = new TreeMap<>();
        jdbc.sql("SELECT data FROM metrics_blocks WHERE server_id = ? AND ts >= ? AND ts < ? AND last_ts >= ? ORDER BY ts")
                .params(serverId, Tier.MINUTE.bucketOf(from), to, from)
                .query(rs -> {
                    try {
                        byte[] block = rs.getBytes(1);
                        for (Snapshot s : withProcesses ? SnapshotBlock.decode(serverId, block) : SnapshotBlock.decodeSeries(serverId, block)) {
                            if (s.ts() >= from && s.ts() < to) out.putIfAbsent(s.ts(), s);
                        }
                    } catch (SnapshotBlock.Corrupt e) {
                        log.warn("A stored block of server {} cannot be read and is left out: {}", serverId, e.getMessage());
                    }
                });
        jdbc.sql("SELECT ts, detail FROM metrics_snapshots WHERE server_id = ? AND ts >= ? AND ts < ? AND detail IS NOT NULL")
                .params(serverId, from, to)
                .query(rs -> {
                    long ts = rs.getLong(1);
                    if (!out.containsKey(ts)) out.put(ts, stored(serverId, ts, rs.getBytes(2)));
                });
        return new ArrayList<>(out.values());
    }

    private List<Map<String, Object>> rawPoints(String serverId, long from, long to) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (Snapshot s : rawSnapshots(serverId, from, to, false)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ts", s.ts());
            for (Series series : Series.ALL) p.put(series.json, value(series.of(s), series));
            p.putAll(DetailSeries.of(s));
            points.add(p);
        }
        return points;
    }

    /** Raw snapshots averaged per step. */
    private List<Map<String, Object>> groupedRaw(String serverId, long from, long to, long step) {
        List<Map<String, Object>> points = new ArrayList<>();
        List<Snapshot> snapshots = rawSnapshots(serverId, from, to, false);
        int i = 0;
        while (i < snapshots.size()) {
            long bucket = Math.floorDiv(snapshots.get(i).ts(), step) * step;
            double[] sums = new double[Series.ALL.length];
            DetailSeries parts = new DetailSeries();
            int n = 0;
            for (; i < snapshots.size() && snapshots.get(i).ts() < bucket + step; i++, n++) {
                Snapshot s = snapshots.get(i);
                for (int k = 0; k < sums.length; k++) sums[k] += Series.ALL[k].of(s);
                parts.add(s);
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ts", bucket);
            for (int k = 0; k < sums.length; k++) p.put(Series.ALL[k].json, value(sums[k] / n, Series.ALL[k]));
            p.putAll(parts.averages());
            points.add(p);
        }
        return points;
    }

    /**
     * Rollup rows merged per step: count-weighted averages, min of mins, max of maxes aggregated by the database (one
     * row per point comes back, not one per minute), then each point's parts merged from the rows' {@code parts}.
     */
    private List<Map<String, Object>> groupedRollups(Tier tier, String serverId, long from, long to, long step) {
        StringBuilder sql = new StringBuilder("SELECT (ts / ").append(step).append(") * ").append(step).append(" AS bucket");
        for (Series s : Series.ALL) {
            String c = s.column;
            sql.append(", sum(").append(c).append(" * samples) / sum(samples), min(").append(c).append("_min), max(").append(c).append("_max)");
        }
        sql.append(" FROM ").append(tier.table).append(" WHERE server_id = ? AND ts >= ? AND ts < ? GROUP BY bucket ORDER BY bucket");
        long alignedFrom = tier.bucketOf(from);
        // The parts are read and merged on a second connection while the database aggregates the series: on a long
        // range (20,000 minute rows for 14 days) the two take about as long as each other.
        java.util.concurrent.CompletableFuture<Map<Long, DetailSeries>> partsLater = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> parts(tier, serverId, alignedFrom, to, step), PARTS_READERS);
        Map<Long, Map<String, Object>> points = new LinkedHashMap<>();
        jdbc.sql(sql.toString()).params(serverId, alignedFrom, to).query(rs -> {
            Map<String, Object> p = new LinkedHashMap<>();
            long bucket = rs.getLong(1);
            p.put("ts", bucket);
            int col = 2;
            for (Series s : Series.ALL) {
                p.put(s.json, value(rs.getDouble(col++), s));
                p.put(s.json + "Min", value(rs.getDouble(col++), s));
                p.put(s.json + "Max", value(rs.getDouble(col++), s));
            }
            points.put(bucket, p);
        });
        Map<Long, DetailSeries> parts = partsLater.join();
        parts.forEach((bucket, d) -> {
            Map<String, Object> p = points.get(bucket);
            if (p != null) p.putAll(d.averages());
        });
        return new ArrayList<>(points.values());
    }

    /** A rollup tier's points as {@link #metrics} would group them, whatever tier it would choose (for tests). */
    List<Map<String, Object>> groupedRollupsForTest(Tier tier, String serverId, long from, long to, long step) {
        return groupedRollups(tier, serverId, from, to, step);
    }

    private static final java.util.concurrent.Executor PARTS_READERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    /** Each bucket's parts merged from its rollup rows. */
    private Map<Long, DetailSeries> parts(Tier tier, String serverId, long from, long to, long step) {
        Map<Long, DetailSeries> parts = new java.util.HashMap<>();
        jdbc.sql("SELECT ts, parts FROM " + tier.table + " WHERE server_id = ? AND ts >= ? AND ts < ? AND parts IS NOT NULL")
                .params(serverId, from, to).query(rs -> {
                    long bucket = Math.floorDiv(rs.getLong(1), step) * step;
                    try {
                        parts.computeIfAbsent(bucket, b -> new DetailSeries()).merge(DetailSeries.decode(rs.getBytes(2)));
                    } catch (RuntimeException e) {
                        log.warn("Unreadable parts of a {} row of server {} left out: {}", tier.id, serverId, e.getMessage());
                    }
                });
        return parts;
    }

    private static Object value(double v, Series s) {
        return s.integral() ? (Object) Math.round(v) : (Object) (Math.round(v * 100) / 100.0);
    }

    private Snapshot stored(String serverId, long ts, byte[] detail) {
        return StoredSnapshot.fromJson(serverId, Deflate.inflate(detail).getBytes(StandardCharsets.UTF_8)).withTs(ts);
    }

    /** The top processes stored nearest to {@code at}: raw rows first, then the rollups' peak moments. */
    public Optional<ProcessesAt> processesAt(String serverId, long at) {
        Optional<Snapshot> latest = live.latest(serverId);
        if (latest.isPresent() && at >= latest.get().ts()) {
            Snapshot s = latest.get();
            return Optional.of(new ProcessesAt(serverId, s.ts(), s.processes().count(),
                    json.valueToTree(s.processes().top())));
        }
        long window = Math.max(60_000, 5 * interval);
        Optional<ProcessesAt> found = nearestRaw(serverId, at, window);
        if (found.isEmpty()) found = nearest(serverId, Tier.MINUTE.table, "peak_detail", at, Tier.MINUTE.bucketMillis);
        if (found.isEmpty()) found = nearest(serverId, Tier.HOUR.table, "peak_detail", at, Tier.HOUR.bucketMillis);
        return found;
    }

    /**
     * The containers nearest to {@code at}: the live latest for now or later, else the nearest stored snapshot that
     * has a containers section (raw, then the rollups' CPU-peak moments); empty when none is stored near it.
     */
    public Optional<ContainersAt> containersAt(String serverId, long at) {
        Optional<Snapshot> latest = live.latest(serverId);
        if (latest.isPresent() && at >= latest.get().ts() && latest.get().containers() != null) {
            return Optional.of(new ContainersAt(serverId, latest.get().ts(), json.valueToTree(latest.get().containers())));
        }
        long window = Math.max(60_000, 5 * interval);
        Snapshot best = null;
        for (Snapshot s : rawSnapshots(serverId, at - window, at + window + 1, false)) {
            if (s.containers() == null) continue;
            if (best == null || Math.abs(s.ts() - at) < Math.abs(best.ts() - at)) best = s;
        }
        if (best != null) return Optional.of(new ContainersAt(serverId, best.ts(), json.valueToTree(best.containers())));
        for (Tier tier : new Tier[] {Tier.MINUTE, Tier.HOUR}) {
            Optional<ContainersAt> peak = jdbc.sql("SELECT ts, peak_detail FROM " + tier.table
                            + " WHERE server_id = ? AND ts >= ? AND ts <= ? AND peak_detail IS NOT NULL ORDER BY abs(ts - ?) LIMIT 1")
                    .params(serverId, at - tier.bucketMillis, at + tier.bucketMillis, at)
                    .query((rs, n) -> {
                        JsonNode snapshot = json.readTree(Deflate.inflate(rs.getBytes("peak_detail")));
                        return new ContainersAt(serverId, snapshot.path("ts").asLong(rs.getLong("ts")), snapshot.path("containers"));
                    })
                    .optional()
                    .filter(c -> c.containers().isArray());
            if (peak.isPresent()) return peak;
        }
        return Optional.empty();
    }

    /** The stored snapshot nearest to {@code at} within the window: from the block holding {@code at} first. */
    private Optional<ProcessesAt> nearestRaw(String serverId, long at, long window) {
        Snapshot best = null;
        for (long[] range : new long[][] {{Tier.MINUTE.bucketOf(at), Tier.MINUTE.bucketOf(at) + Tier.MINUTE.bucketMillis},
                {at - window, at + window + 1}}) {
            for (Snapshot s : rawSnapshots(serverId, range[0], range[1])) {
                if (Math.abs(s.ts() - at) <= window && (best == null || Math.abs(s.ts() - at) < Math.abs(best.ts() - at))) best = s;
            }
            if (best != null) break;
        }
        if (best == null) return Optional.empty();
        return Optional.of(new ProcessesAt(serverId, best.ts(), best.processes().count(), json.valueToTree(best.processes().top())));
    }

    private Optional<ProcessesAt> nearest(String serverId, String table, String column, long at, long window) {
        String sql = "SELECT ts, " + column + " AS detail FROM " + table
                + " WHERE server_id = ? AND ts >= ? AND ts <= ? AND " + column + " IS NOT NULL ORDER BY abs(ts - ?) LIMIT 1";
        return jdbc.sql(sql).params(serverId, at - window, at + window, at)
                .query((rs, n) -> {
                    JsonNode snapshot = json.readTree(Deflate.inflate(rs.getBytes("detail")));
                    JsonNode processes = snapshot.path("processes");
                    return new ProcessesAt(serverId, snapshot.path("ts").asLong(rs.getLong("ts")),
                            processes.path("count").asInt(), processes.path("top"));
                })
                .optional();
    }
}
