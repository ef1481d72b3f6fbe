package dev.flick.hub.metrics;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Closes a minute of one server, inside the writer's transaction: its raw rows in {@code metrics_snapshots} and any
 * block already stored for it are merged by timestamp into one {@link SnapshotBlock}, the minute's rollup row (every
 * series' count, average, min and max, the CPU-peak snapshot and the {@link DetailSeries} of its parts) is computed
 * from that merged set, and the raw rows are deleted. A late back-fill into a closed minute merges into its block the
 * same way, and a resend cannot count twice: the merge keeps one snapshot per timestamp.
 */
final class MinuteCompactor {

    private static final Logger log = LoggerFactory.getLogger(MinuteCompactor.class);

    private final JdbcTemplate jdbc;
    private final String insertMinute;

    MinuteCompactor(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        StringBuilder cols = new StringBuilder("server_id, ts, samples");
        for (Series s : Series.ALL) cols.append(", ").append(s.column).append(", ").append(s.column).append("_min, ").append(s.column).append("_max");
        int params = 3 + 3 * Series.ALL.length + 2;
        this.insertMinute = "INSERT INTO metrics_1m (" + cols + ", peak_detail, parts) VALUES (" + "?, ".repeat(params - 1) + "?)";
    }

    /** Compacts one closed minute; a minute with nothing stored leaves no rows. */
    void compact(String serverId, long minute) {
        long end = minute + Tier.MINUTE.bucketMillis;
        TreeMap<Long, Snapshot> merged = new TreeMap<>();
        List<byte[]> stored = jdbc.query("SELECT data FROM metrics_blocks WHERE server_id = ? AND ts = ?",
                (rs, i) -> rs.getBytes(1), serverId, minute);
        for (byte[] block : stored) {
            try {
                for (Snapshot s : SnapshotBlock.decode(serverId, block)) merged.put(s.ts(), s);
            } catch (SnapshotBlock.Corrupt e) {
                log.error("The stored block of server {} at {} cannot be read ({}); it is replaced by the rows that arrived since",
                        serverId, minute, e.getMessage());
            }
        }
        jdbc.query("SELECT ts, detail FROM metrics_snapshots WHERE server_id = ? AND ts >= ? AND ts < ? ORDER BY ts", rs -> {
            long ts = rs.getLong(1);
            byte[] detail = rs.getBytes(2);
            if (merged.containsKey(ts) || detail == null) return; // first stored wins, as ON CONFLICT DO NOTHING does
            try {
                merged.put(ts, StoredSnapshot.fromJson(serverId, Deflate.inflate(detail).getBytes(StandardCharsets.UTF_8)).withTs(ts));
            } catch (RuntimeException e) {
                log.error("A raw row of server {} at {} cannot be read and is left out of its block: {}", serverId, ts, e.getMessage());
            }
        }, serverId, minute, end);
        jdbc.update("DELETE FROM metrics_1m WHERE server_id = ? AND ts = ?", serverId, minute);
        if (merged.isEmpty()) {
            jdbc.update("DELETE FROM metrics_blocks WHERE server_id = ? AND ts = ?", serverId, minute);
            return;
        }
        List<Snapshot> snapshots = new ArrayList<>(merged.values());
        byte[] block = SnapshotBlock.encode(snapshots);
        if (stored.isEmpty()) {
            jdbc.update("INSERT INTO metrics_blocks (server_id, ts, last_ts, samples, data) VALUES (?, ?, ?, ?, ?)",
                    serverId, minute, merged.lastKey(), snapshots.size(), block);
        } else {
            jdbc.update("UPDATE metrics_blocks SET last_ts = ?, samples = ?, data = ? WHERE server_id = ? AND ts = ?",
                    merged.lastKey(), snapshots.size(), block, serverId, minute);
        }
        jdbc.update(insertMinute, (PreparedStatement ps) -> bindMinute(ps, serverId, minute, snapshots));
        jdbc.update("DELETE FROM metrics_snapshots WHERE server_id = ? AND ts >= ? AND ts < ?", serverId, minute, end);
    }

    /** The hour's parts from its minutes' parts (its other columns come from SQL over the same minute rows). */
    void hourParts(String serverId, long hour) {
        DetailSeries parts = new DetailSeries();
        jdbc.query("SELECT parts FROM metrics_1m WHERE server_id = ? AND ts >= ? AND ts < ? AND parts IS NOT NULL", rs -> {
            try {
                parts.merge(DetailSeries.decode(rs.getBytes(1)));
            } catch (RuntimeException e) {
                log.warn("Unreadable parts of a minute of server {} left out of its hour: {}", serverId, e.getMessage());
            }
        }, serverId, hour, hour + Tier.HOUR.bucketMillis);
        jdbc.update("UPDATE metrics_1h SET parts = ? WHERE server_id = ? AND ts = ?", parts.encode(), serverId, hour);
    }

    private static void bindMinute(PreparedStatement ps, String serverId, long minute, List<Snapshot> snapshots) throws SQLException {
        int n = snapshots.size();
        int i = 1;
        ps.setString(i++, serverId);
        ps.setLong(i++, minute);
        ps.setInt(i++, n);
        for (Series s : Series.ALL) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Snapshot snap : snapshots) {
                double v = s.of(snap);
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            ps.setDouble(i++, sum / n);
            ps.setDouble(i++, min);
            ps.setDouble(i++, max);
        }
        Snapshot peak = snapshots.getFirst();
        DetailSeries parts = new DetailSeries();
        for (Snapshot snap : snapshots) {
            if (snap.cpu().usage() > peak.cpu().usage()) peak = snap;
            parts.add(snap);
        }
        ps.setBytes(i++, Deflate.compress(SnapshotJson.write(peak)));
        ps.setBytes(i, parts.encode());
    }
}
