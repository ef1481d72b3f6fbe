package dev.flick.hub.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.hub.config.Database;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** How much each table takes: SQLite's dbstat pages, or PostgreSQL's total relation size (indexes and TOAST included). */
@Component
class StorageReport {

    static final List<String> TABLES = List.of("metrics_snapshots", "metrics_1m", "metrics_1h", "logs", "alert_events",
            "alert_rules", "servers", "users", "refresh_tokens", "settings");

    private final JdbcClient jdbc;
    private final Database db;

    StorageReport(JdbcClient jdbc, Database db) {
        this.jdbc = jdbc;
        this.db = db;
    }

    record Table(String name, long rows, long bytes) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(String database, Long fileBytes, long totalBytes, List<Table> tables) {}

    Report report() {
        List<Table> tables = TABLES.stream().map(t -> new Table(t, rows(t), bytes(t))).toList();
        long total = tables.stream().mapToLong(Table::bytes).sum();
        if (db.dialect() == Database.Dialect.SQLITE) {
            return new Report("sqlite", sqliteFileBytes(), total, tables);
        }
        return new Report("postgresql", null, total, tables);
    }

    private long rows(String table) {
        if (db.dialect() == Database.Dialect.POSTGRESQL) {
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
        return jdbc.sql("SELECT coalesce(pg_total_relation_size(to_regclass(?)), 0)").param(table).query(Long.class).single();
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
