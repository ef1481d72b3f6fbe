package dev.flick.hub.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.hub.config.Database;
import dev.flick.hub.metrics.Partitions;
import dev.flick.hub.metrics.Timescale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How much each table takes — SQLite's dbstat pages, PostgreSQL's total relation size (indexes and TOAST included)
 * summed over a partitioned table's partitions, or TimescaleDB's {@code hypertable_size} over its chunks — and per
 * history tier its bytes, rows (snapshots for raw, with the blocks holding them), oldest and newest data.
 */
@Component
class StorageReport {

    static final List<String> TABLES = List.of("metrics_blocks", "metrics_snapshots", "metrics_1m", "metrics_1h", "logs", "alert_events",
            "alert_rules", "servers", "users", "refresh_tokens", "settings");

    private final JdbcClient jdbc;
    private final Database db;
    private final Timescale timescale;
    private final Partitions partitions;

    StorageReport(JdbcClient jdbc, Database db, Timescale timescale, Partitions partitions) {
        this.jdbc = jdbc;
        this.db = db;
        this.timescale = timescale;
        this.partitions = partitions;
    }

    record Table(String name, long rows, long bytes) {}

    /** One history tier: raw counts its snapshots in {@code rows} and the minute blocks holding them in {@code blocks}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TierUsage(String tier, long bytes, long rows, Long blocks, Long oldest, Long newest) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(String database, String layout, Long fileBytes, long totalBytes, List<Table> tables, List<TierUsage> tiers) {}

    Report report() {
        List<Table> tables = TABLES.stream().map(t -> new Table(t, rows(t), bytes(t))).toList();
        long total = tables.stream().mapToLong(Table::bytes).sum();
        List<TierUsage> tiers = List.of(raw(tables), rollup("1m", "metrics_1m", tables), rollup("1h", "metrics_1h", tables));
        if (db.dialect() == Database.Dialect.SQLITE) {
            return new Report("sqlite", "sqlite", sqliteFileBytes(), total, tables, tiers);
        }
        String layout = timescale.active() ? "timescaledb" : partitions.active() ? "partitions" : "tables";
        return new Report("postgresql", layout, null, total, tables, tiers);
    }

    private TierUsage raw(List<Table> tables) {
        long blocks = count("metrics_blocks");
        long staged = count("metrics_snapshots");
        long snapshots = staged + blockSnapshots(blocks);
        Long oldest = min(first("SELECT ts FROM metrics_blocks ORDER BY ts LIMIT 1"), first("SELECT min(ts) FROM metrics_snapshots"));
        Long newest = max(first("SELECT max(last_ts) FROM metrics_blocks WHERE ts = (SELECT max(ts) FROM metrics_blocks)"),
                first("SELECT max(ts) FROM metrics_snapshots"));
        return new TierUsage("raw", bytesOf(tables, "metrics_blocks") + bytesOf(tables, "metrics_snapshots"), snapshots, blocks, oldest, newest);
    }

    private TierUsage rollup(String tier, String table, List<Table> tables) {
        return new TierUsage(tier, bytesOf(tables, table), tables.stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow().rows(),
                null, first("SELECT ts FROM " + table + " ORDER BY ts LIMIT 1"), first("SELECT ts FROM " + table + " ORDER BY ts DESC LIMIT 1"));
    }

    /** Snapshots in the blocks: summed on SQLite; on PostgreSQL the block count times the recent blocks' average. */
    private long blockSnapshots(long blocks) {
        if (blocks == 0) return 0;
        if (db.dialect() == Database.Dialect.SQLITE) return jdbc.sql("SELECT coalesce(sum(samples), 0) FROM metrics_blocks").query(Long.class).single();
        Double avg = jdbc.sql("SELECT avg(samples) FROM (SELECT samples FROM metrics_blocks ORDER BY ts DESC LIMIT 1000) recent")
                .query(Double.class).optional().orElse(0.0);
        return Math.round(blocks * (avg == null ? 0 : avg));
    }

    private long count(String table) {
        return rows(table);
    }

    private Long first(String sql) {
        List<Long> values = jdbc.sql(sql).query((rs, n) -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MIN_VALUE : v;
        }).list();
        return values.isEmpty() || values.getFirst() == Long.MIN_VALUE ? null : values.getFirst();
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.min(a, b);
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }

    private static long bytesOf(List<Table> tables, String name) {
        return tables.stream().filter(t -> t.name().equals(name)).mapToLong(Table::bytes).sum();
    }

    private long rows(String table) {
        if (db.dialect() == Database.Dialect.POSTGRESQL && timescale.hypertableBytes(table) != null) return timescale.approximateRows(table);
        if (db.dialect() == Database.Dialect.POSTGRESQL) {
            Long leaves = jdbc.sql("""
                            SELECT CASE WHEN bool_and(c.reltuples >= 0) THEN sum(c.reltuples)::bigint END
                            FROM pg_partition_tree(to_regclass(?)) p JOIN pg_class c ON c.oid = p.relid
                            WHERE p.isleaf AND p.level > 0""").param(table).query(Long.class).optional().orElse(null);
            if (leaves != null) return leaves;
            // Exact counts of large tables are slow on PostgreSQL; the planner's estimate is what a size page needs.
            Long estimate = jdbc.sql("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)").param(table)
                    .query(Long.class).optional().orElse(0L);
            if (estimate >= 0) return estimate;
        }
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private long bytes(String table) {
        if (db.dialect() == Database.Dialect.SQLITE) {
            // The table and its indexes (the primary-key autoindex and named ones) share tbl_name in sqlite_schema.
            return jdbc.sql("""
                            SELECT coalesce(sum(pgsize), 0) FROM dbstat
                            WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)""")
                    .param(table).query(Long.class).single();
        }
        Long hypertable = timescale.hypertableBytes(table);
        if (hypertable != null) return hypertable;
        // A partitioned table's own size is 0: its partitions hold the rows (pg_partition_tree lists a plain table alone).
        return jdbc.sql("SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree(to_regclass(?))")
                .param(table).query(Long.class).single();
    }

    private Long sqliteFileBytes() {
        String url = db.jdbcUrl().substring("jdbc:sqlite:".length());
        int q = url.indexOf('?');
        Path file = Path.of(q < 0 ? url : url.substring(0, q));
        long sum = 0;
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Path p = Path.of(file + suffix);
                if (Files.exists(p)) sum += Files.size(p);
            } catch (IOException e) {
                // a file that disappears between exists and size is not worth failing the report for
            }
        }
        return sum;
    }
}
