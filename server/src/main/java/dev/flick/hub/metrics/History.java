package dev.flick.hub.metrics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads stored history. Picks the coarsest tier that still gives the asked-for step, never returns much more
 * than {@link #MAX_POINTS} points per series, and says which tier answered.
 */
@Component
public class History {

    static final int MAX_POINTS = 1_000;
    private static final long[] NICE_STEPS = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
            600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000};
    /** How long raw rows are kept (the retention setting); older ranges come from the rollups. */
    private static volatile long rawKeptMillis = 86_400_000;

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

    /** The series of a server between from (inclusive) and to (exclusive), at least {@code step} ms apart. */
    public Points metrics(String serverId, long from, long to, long requestedStep) {
        long step = chooseStep(from, to, requestedStep);
        Tier tier = chooseTier(from, step, System.currentTimeMillis());
        List<Map<String, Object>> points = tier == Tier.RAW && step <= interval
                ? rawPoints(serverId, from, to)
                : groupedPoints(tier, serverId, from, to, step);
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

    private List<Map<String, Object>> rawPoints(String serverId, long from, long to) {
        StringBuilder sql = new StringBuilder("SELECT ts");
        for (Series s : Series.ALL) sql.append(", ").append(s.column);
        sql.append(" FROM metrics_snapshots WHERE server_id = ? AND ts >= ? AND ts < ? ORDER BY ts");
        return jdbc.sql(sql.toString()).params(serverId, from, to).query((rs, n) -> point(rs, "ts", false)).list();
    }

    private List<Map<String, Object>> groupedPoints(Tier tier, String serverId, long from, long to, long step) {
        StringBuilder sql = new StringBuilder("SELECT (ts / ").append(step).append(") * ").append(step).append(" AS bucket");
        boolean rollup = tier != Tier.RAW;
        for (Series s : Series.ALL) {
            String c = s.column;
            if (rollup) {
                sql.append(", sum(").append(c).append(" * samples) / sum(samples) AS ").append(c)
                        .append(", min(").append(c).append("_min) AS ").append(c).append("_min")
                        .append(", max(").append(c).append("_max) AS ").append(c).append("_max");
            } else {
                sql.append(", avg(").append(c).append(") AS ").append(c);
            }
        }
        sql.append(" FROM ").append(tier.table)
                .append(" WHERE server_id = ? AND ts >= ? AND ts < ? GROUP BY bucket ORDER BY bucket");
        long alignedFrom = tier == Tier.RAW ? from : tier.bucketOf(from);
        return jdbc.sql(sql.toString()).params(serverId, alignedFrom, to).query((rs, n) -> point(rs, "bucket", rollup)).list();
    }

    private static Map<String, Object> point(ResultSet rs, String tsColumn, boolean withRange) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ts", rs.getLong(tsColumn));
        for (Series s : Series.ALL) {
            p.put(s.json, value(rs.getDouble(s.column), s));
            if (withRange) {
                p.put(s.json + "Min", value(rs.getDouble(s.column + "_min"), s));
                p.put(s.json + "Max", value(rs.getDouble(s.column + "_max"), s));
            }
        }
        return p;
    }

    private static Object value(double v, Series s) {
        return s.integral() ? (Object) Math.round(v) : (Object) (Math.round(v * 100) / 100.0);
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
        Optional<ProcessesAt> found = nearest(serverId, "metrics_snapshots", "detail", at, window);
        if (found.isEmpty()) found = nearest(serverId, Tier.MINUTE.table, "peak_detail", at, Tier.MINUTE.bucketMillis);
        if (found.isEmpty()) found = nearest(serverId, Tier.HOUR.table, "peak_detail", at, Tier.HOUR.bucketMillis);
        return found;
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
