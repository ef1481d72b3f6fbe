package dev.flick.hub.metrics;

import java.util.List;

import dev.flick.hub.config.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * TimescaleDB, when PostgreSQL has the extension: the metrics tables become hypertables chunked by time.
 * All TimescaleDB-specific SQL lives here; without the extension the tables stay plain and nothing else changes.
 * Times are epoch-ms BIGINTs, so chunk intervals are in milliseconds.
 */
@Component
public class Timescale {

    private static final Logger log = LoggerFactory.getLogger(Timescale.class);

    /** table → chunk interval (ms): a day of raw blocks, a week of minutes, a quarter of hours. */
    static final List<Object[]> HYPERTABLES = List.of(
            new Object[] {"metrics_blocks", 86_400_000L},
            new Object[] {"metrics_1m", 7 * 86_400_000L},
            new Object[] {"metrics_1h", 90 * 86_400_000L});
    /** Compressed by TimescaleDB after a day; the blocks are zstd frames already, which its columnstore cannot shrink. */
    static final List<String> COMPRESSED = List.of("metrics_1m", "metrics_1h");

    private final Database db;
    private final JdbcClient jdbc;
    private volatile boolean active;

    Timescale(Database db, JdbcClient jdbc) {
        this.db = db;
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationStartedEvent.class)
    void enableWhenAvailable() {
        if (db.dialect() != Database.Dialect.POSTGRESQL) {
            log.info("Metrics tables: plain SQLite tables; FLick's own jobs roll up and expire data");
            return;
        }
        if (!available()) {
            log.info("Metrics tables: plain PostgreSQL tables (the timescaledb extension is not available)");
            return;
        }
        if (jdbc.sql("SELECT count(*) > 0 FROM pg_partitioned_table WHERE partrelid = to_regclass('metrics_blocks')").query(Boolean.class).single()) {
            log.info("Metrics tables: native PostgreSQL partitions (made before TimescaleDB was loaded here); FLick drops expired ones");
            return;
        }
        try {
            jdbc.sql("CREATE EXTENSION IF NOT EXISTS timescaledb").update();
            for (Object[] t : HYPERTABLES) {
                jdbc.sql("SELECT create_hypertable(?::regclass, 'ts', chunk_time_interval => ?::bigint, "
                                + "migrate_data => true, if_not_exists => true)")
                        .params(t[0], t[1]).query().singleRow();
            }
            enableCompression();
            releaseStaging();
            active = true;
            log.info("Metrics tables: TimescaleDB hypertables {}, rollups compressed after a day",
                    HYPERTABLES.stream().map(t -> (String) t[0]).toList());
        } catch (RuntimeException e) {
            log.warn("TimescaleDB is available but enabling hypertables failed; using plain tables: {}", e.getMessage());
        }
    }

    /** Whether the metrics tables are hypertables: then TimescaleDB's policies, not FLick's job, expire them. */
    public boolean active() {
        return active;
    }

    /** Chunks older than a day are compressed, segmented by server so one server's range stays one read. */
    private void enableCompression() {
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION flick_now_ms() RETURNS BIGINT LANGUAGE SQL STABLE AS
                $$ SELECT (extract(epoch FROM now()) * 1000)::bigint $$""").update();
        for (Object[] t : HYPERTABLES) {
            jdbc.sql("SELECT set_integer_now_func(?::regclass, 'flick_now_ms', replace_if_exists => true)").param(t[0]).query().singleRow();
        }
        for (String table : COMPRESSED) {
            jdbc.sql("ALTER TABLE " + table + " SET (timescaledb.compress, timescaledb.compress_segmentby = 'server_id', "
                    + "timescaledb.compress_orderby = 'ts DESC')").update();
            jdbc.sql("SELECT add_compression_policy(?::regclass, compress_after => 86400000::bigint, if_not_exists => true)")
                    .param(table).query().singleRow();
        }
    }

    /**
     * An older release made {@code metrics_snapshots} a hypertable with compression and retention; it now only holds
     * the open minutes the writer compacts and deletes, so its policies go (its remaining rows are compacted as usual).
     */
    private void releaseStaging() {
        if (!isHypertable("metrics_snapshots")) return;
        jdbc.sql("SELECT remove_compression_policy('metrics_snapshots'::regclass, if_exists => true)").query().singleRow();
        jdbc.sql("SELECT remove_retention_policy('metrics_snapshots'::regclass, if_exists => true)").query().singleRow();
    }

    /**
     * Puts the retention setting in force as TimescaleDB retention policies, replacing a policy that differs; called at
     * start, on every retention run and when the setting changes (no-op without hypertables).
     */
    public void applyRetention(long rawMillis, long minuteMillis, long hourMillis) {
        if (!active) return;
        long[] keep = {rawMillis, minuteMillis, hourMillis};
        List<String> changed = new java.util.ArrayList<>();
        for (int i = 0; i < HYPERTABLES.size(); i++) {
            String table = (String) HYPERTABLES.get(i)[0];
            if (Long.valueOf(keep[i]).equals(retentionPolicy(table))) continue;
            jdbc.sql("SELECT remove_retention_policy(?::regclass, if_exists => true)").param(table).query().singleRow();
            jdbc.sql("SELECT add_retention_policy(?::regclass, drop_after => ?::bigint)").params(table, keep[i]).query().singleRow();
            changed.add(table);
        }
        if (!changed.isEmpty()) {
            log.info("TimescaleDB retention policies put in force for {}: raw {} ms, 1m {} ms, 1h {} ms", changed, rawMillis, minuteMillis, hourMillis);
        }
    }

    /** The drop_after (ms) of a hypertable's retention policy, or null when it has none. */
    Long retentionPolicy(String table) {
        return jdbc.sql("""
                        SELECT (config ->> 'drop_after')::bigint FROM timescaledb_information.jobs
                        WHERE proc_name = 'policy_retention' AND hypertable_name = ? LIMIT 1""")
                .param(table).query(Long.class).optional().orElse(null);
    }

    /** Bytes of a hypertable with all its chunks, indexes and TOAST, or null when it is not one. */
    public Long hypertableBytes(String table) {
        if (!active || !isHypertable(table)) return null;
        return jdbc.sql("SELECT coalesce(hypertable_size(?::regclass), 0)").param(table).query(Long.class).single();
    }

    /** Estimated rows of a hypertable over its chunks. */
    public long approximateRows(String table) {
        return jdbc.sql("SELECT coalesce(approximate_row_count(?::regclass), 0)").param(table).query(Long.class).single();
    }

    /**
     * Whether the extension can be used here: installed and preloaded (a build of it installed into a cluster that does
     * not preload it is listed as available, but CREATE EXTENSION then fails), or already created.
     */
    boolean available() {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
                    OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
                        AND current_setting('shared_preload_libraries', true) LIKE '%timescaledb%')""").query(Boolean.class).single();
    }

    boolean isHypertable(String table) {
        return jdbc.sql("SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = ?")
                .param(table).query(Long.class).single() > 0;
    }
}
