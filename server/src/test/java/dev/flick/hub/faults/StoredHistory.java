package dev.flick.hub.faults;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.flick.collector.Snapshot;
import dev.flick.hub.PostgresSchema;
import dev.flick.hub.metrics.SnapshotBlock;

/**
 * The hub's stored metrics read straight from its database (never through the hub), to check what is really on disk:
 * raw snapshots in the minute blocks of {@code metrics_blocks} (decoded here) and the open minutes' rows of
 * {@code metrics_snapshots}, rollups in {@code metrics_1m} / {@code metrics_1h}.
 */
public final class StoredHistory {

    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;

    private final String url;
    private final javax.sql.DataSource dataSource;

    private StoredHistory(String url) {
        this.url = url;
        this.dataSource = null;
    }

    private StoredHistory(javax.sql.DataSource dataSource, boolean postgres) {
        this.url = postgres ? "jdbc:postgresql:" : "jdbc:sqlite:";
        this.dataSource = dataSource;
    }

    /** The database of a hub running in this JVM. */
    public static StoredHistory of(javax.sql.DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return new StoredHistory(dataSource, c.getMetaData().getURL().startsWith("jdbc:postgresql"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StoredHistory sqlite(Path dataDir) {
        return new StoredHistory("jdbc:sqlite:" + dataDir.resolve("flick.db"));
    }

    /** The schema on the real PostgreSQL, read directly (not through the test's proxy). */
    public static StoredHistory postgres(String schema) {
        return new StoredHistory(PostgresSchema.jdbcUrl(schema));
    }

    private Connection connect() throws SQLException {
        return dataSource != null ? dataSource.getConnection() : DriverManager.getConnection(url);
    }

    /** Every stored snapshot's ts, oldest first. */
    public List<Long> timestamps(String serverId) throws SQLException {
        return new ArrayList<>(raw(serverId).keySet());
    }

    /**
     * Every stored raw snapshot's series values by ts: decoded from the blocks, then the open minutes' rows. In one
     * transaction, so a minute being moved from rows to its block is seen once, on one side. A ts found twice fails.
     */
    TreeMap<Long, Map<String, Double>> raw(String serverId) throws SQLException {
        TreeMap<Long, Map<String, Double>> out = new TreeMap<>();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            if (url.startsWith("jdbc:postgresql")) c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM metrics_blocks WHERE server_id = ? ORDER BY ts")) {
                ps.setString(1, serverId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        for (Snapshot s : SnapshotBlock.decode(serverId, rs.getBytes(1))) put(out, s.ts(), columns(s));
                    }
                }
            }
            List<String> series = series(c);
            StringBuilder sql = new StringBuilder("SELECT ts");
            for (String col : series) sql.append(", ").append(col);
            sql.append(" FROM metrics_snapshots WHERE server_id = ? ORDER BY ts");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setString(1, serverId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Double> values = new LinkedHashMap<>();
                        for (int i = 0; i < series.size(); i++) values.put(series.get(i), number(rs, i + 2));
                        put(out, rs.getLong(1), values);
                    }
                }
            }
            c.rollback();
            c.setAutoCommit(true);
        }
        return out;
    }

    private static void put(TreeMap<Long, Map<String, Double>> out, long ts, Map<String, Double> values) {
        if (out.put(ts, values) != null) throw new IllegalStateException("snapshot at " + ts + " stored twice");
    }

    /** A snapshot's series as the rollup columns name them, computed here from the contract, not by the hub's code. */
    static Map<String, Double> columns(Snapshot s) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("cpu", s.cpu().usage());
        v.put("mem_used", (double) s.memory().used());
        v.put("mem_total", (double) s.memory().total());
        v.put("swap_used", (double) s.memory().swapUsed());
        v.put("swap_total", (double) s.memory().swapTotal());
        v.put("disk_used", (double) s.diskUsed());
        v.put("disk_total", (double) s.diskTotal());
        v.put("disk_read_bps", s.diskIo().readBps());
        v.put("disk_write_bps", s.diskIo().writeBps());
        v.put("net_rx_bps", s.network().rxBps());
        v.put("net_tx_bps", s.network().txBps());
        v.put("load1", s.cpu().load1());
        v.put("load5", s.cpu().load5());
        v.put("load15", s.cpu().load15());
        return v;
    }

    /** Server ids with stored raw snapshots. */
    List<String> servers() throws SQLException {
        Set<String> out = new java.util.TreeSet<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT server_id FROM metrics_blocks UNION SELECT DISTINCT server_id FROM metrics_snapshots");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return new ArrayList<>(out);
    }

    /** The newest stored ts, 0 when none or the database cannot be read right now. */
    long newest(String serverId) {
        try {
            List<Long> ts = timestamps(serverId);
            return ts.isEmpty() ? 0 : ts.getLast();
        } catch (SQLException e) {
            return 0;
        }
    }

    /** A gap between two consecutive stored snapshots. */
    record Gap(long from, long to) {
        long millis() {
            return to - from;
        }
    }

    /** The largest gap among the stored rows that touch [from, to] (the row before from and after to included). */
    static Gap largestGap(List<Long> ts, long from, long to) {
        Gap largest = new Gap(0, 0);
        for (int i = 1; i < ts.size(); i++) {
            long a = ts.get(i - 1);
            long b = ts.get(i);
            if (b < from || a > to) continue;
            if (b - a > largest.millis()) largest = new Gap(a, b);
        }
        return largest;
    }

    /** Every gap longer than {@code millis} among the rows, in order. */
    static List<Gap> gapsLongerThan(List<Long> ts, long millis) {
        List<Gap> out = new ArrayList<>();
        for (int i = 1; i < ts.size(); i++) {
            if (ts.get(i) - ts.get(i - 1) > millis) out.add(new Gap(ts.get(i - 1), ts.get(i)));
        }
        return out;
    }

    /** Series columns: those of metrics_1m that have {@code _min} and {@code _max} siblings (cpu, mem_used, …). */
    List<String> series() throws SQLException {
        try (Connection c = connect()) {
            return series(c);
        }
    }

    private static List<String> series(Connection c) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        {
            DatabaseMetaData meta = c.getMetaData();
            String schema = c.getSchema();
            try (ResultSet rs = meta.getColumns(null, schema, "metrics_1m", null)) {
                while (rs.next()) columns.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        List<String> out = new ArrayList<>();
        for (String col : columns) {
            if (columns.contains(col + "_min") && columns.contains(col + "_max")) out.add(col);
        }
        if (out.isEmpty()) throw new IllegalStateException("metrics_1m has no series columns: " + columns);
        return out;
    }

    /** One rollup row: samples and, per series, avg / min / max (null when the series had no values). */
    record Bucket(long samples, Map<String, Double> avg, Map<String, Double> min, Map<String, Double> max) {}

    /** Stored rows of metrics_1m or metrics_1h keyed by "server_id@ts". */
    Map<String, Bucket> rollups(String table) throws SQLException {
        List<String> series = series();
        StringBuilder sql = new StringBuilder("SELECT server_id, ts, samples");
        for (String s : series) sql.append(", ").append(s).append(", ").append(s).append("_min, ").append(s).append("_max");
        sql.append(" FROM ").append(table);
        return query(sql.toString(), series);
    }

    /** metrics_1m as it must be: recomputed from every stored raw snapshot (count, avg, min, max per minute). */
    Map<String, Bucket> minutesFromRaw() throws SQLException {
        List<String> series = series();
        Map<String, Bucket> out = new TreeMap<>();
        for (String server : servers()) {
            TreeMap<Long, Map<String, Double>> raw = raw(server);
            Map<Long, List<Map<String, Double>>> byMinute = new TreeMap<>();
            raw.forEach((ts, values) -> byMinute.computeIfAbsent(minuteOf(ts), m -> new ArrayList<>()).add(values));
            byMinute.forEach((minute, rows) -> {
                Map<String, Double> avg = new LinkedHashMap<>();
                Map<String, Double> min = new LinkedHashMap<>();
                Map<String, Double> max = new LinkedHashMap<>();
                for (String col : series) {
                    List<Double> vs = rows.stream().map(r -> r.get(col)).filter(java.util.Objects::nonNull).toList();
                    if (vs.isEmpty()) continue;
                    avg.put(col, vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
                    min.put(col, vs.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
                    max.put(col, vs.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
                }
                out.put(server + "@" + minute, new Bucket(rows.size(), avg, min, max));
            });
        }
        return out;
    }

    /** metrics_1h as it must be: recomputed from metrics_1m (samples summed, count-weighted avg, min of mins, max of maxes). */
    Map<String, Bucket> hoursFromMinutes() throws SQLException {
        List<String> series = series();
        StringBuilder sql = new StringBuilder("SELECT server_id, (ts / 3600000) * 3600000 AS h, sum(samples)");
        for (String s : series) {
            sql.append(", sum(").append(s).append(" * samples) / sum(CASE WHEN ").append(s)
                    .append(" IS NOT NULL THEN samples END), min(").append(s).append("_min), max(").append(s).append("_max)");
        }
        sql.append(" FROM metrics_1m GROUP BY server_id, (ts / 3600000) * 3600000");
        return query(sql.toString(), series);
    }

    private Map<String, Bucket> query(String sql, List<String> series) throws SQLException {
        Map<String, Bucket> out = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Double> avg = new LinkedHashMap<>();
                Map<String, Double> min = new LinkedHashMap<>();
                Map<String, Double> max = new LinkedHashMap<>();
                int col = 4;
                for (String s : series) {
                    avg.put(s, number(rs, col++));
                    min.put(s, number(rs, col++));
                    max.put(s, number(rs, col++));
                }
                out.put(rs.getString(1) + "@" + rs.getLong(2), new Bucket(rs.getLong(3), avg, min, max));
            }
        }
        return out;
    }

    private static Double number(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    /**
     * Differences between stored and recomputed buckets, as readable lines (empty when they agree). Both directions
     * count: a stored bucket with nothing under it is as wrong as a recomputed one that was never stored.
     */
    static List<String> differences(String table, Map<String, Bucket> stored, Map<String, Bucket> expected) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(expected.keySet());
        keys.addAll(stored.keySet());
        for (String key : keys) {
            Bucket s = stored.get(key);
            Bucket e = expected.get(key);
            if (s == null) {
                out.add(table + " " + key + ": missing (expected " + e.samples() + " samples)");
                continue;
            }
            if (e == null) {
                out.add(table + " " + key + ": stored with " + s.samples() + " samples but nothing under it");
                continue;
            }
            if (s.samples() != e.samples()) out.add(table + " " + key + ": samples " + s.samples() + " != " + e.samples());
            for (String series : e.avg().keySet()) {
                compare(out, table, key, series, "", s.avg().get(series), e.avg().get(series));
                compare(out, table, key, series, "_min", s.min().get(series), e.min().get(series));
                compare(out, table, key, series, "_max", s.max().get(series), e.max().get(series));
            }
        }
        return out;
    }

    private static void compare(List<String> out, String table, String key, String series, String suffix, Double stored, Double expected) {
        if (stored == null && expected == null) return;
        if (stored == null || expected == null || !close(stored, expected)) {
            out.add(table + " " + key + ": " + series + suffix + " " + stored + " != " + expected);
        }
    }

    /** Equal but for floating-point summation order (the hub and SQL add in different orders). */
    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    static long minuteOf(long ts) {
        return Math.floorDiv(ts, MINUTE) * MINUTE;
    }
}
