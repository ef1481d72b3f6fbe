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

    /** table → chunk interval (ms): a day of raw snapshots, a week of minutes, a quarter of hours. */
    static final List<Object[]> HYPERTABLES = List.of(
            new Object[] {"metrics_snapshots", 86_400_000L},
            new Object[] {"metrics_1m", 7 * 86_400_000L},
            new Object[] {"metrics_1h", 90 * 86_400_000L});

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
        try {
            jdbc.sql("CREATE EXTENSION IF NOT EXISTS timescaledb").update();
            for (Object[] t : HYPERTABLES) {
                jdbc.sql("SELECT create_hypertable(?::regclass, 'ts', chunk_time_interval => ?::bigint, "
                                + "migrate_data => true, if_not_exists => true)")
                        .params(t[0], t[1]).query().singleRow();
            }
            enableCompression();
            active = true;
            log.info("Metrics tables: TimescaleDB hypertables with compression after a day ({})",
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
            String table = (String) t[0];
            jdbc.sql("SELECT set_integer_now_func(?::regclass, 'flick_now_ms', replace_if_exists => true)").param(table).query().singleRow();
            jdbc.sql("ALTER TABLE " + table + " SET (timescaledb.compress, timescaledb.compress_segmentby = 'server_id', "
                    + "timescaledb.compress_orderby = 'ts DESC')").update();
            jdbc.sql("SELECT add_compression_policy(?::regclass, compress_after => 86400000::bigint, if_not_exists => true)")
                    .param(table).query().singleRow();
        }
    }

    /** Mirrors the retention setting into TimescaleDB's retention policies (no-op without hypertables). */
    public void applyRetention(long rawMillis, long minuteMillis, long hourMillis) {
        if (!active) return;
        long[] keep = {rawMillis, minuteMillis, hourMillis};
        for (int i = 0; i < HYPERTABLES.size(); i++) {
            String table = (String) HYPERTABLES.get(i)[0];
            jdbc.sql("SELECT remove_retention_policy(?::regclass, if_exists => true)").param(table).query().singleRow();
            jdbc.sql("SELECT add_retention_policy(?::regclass, drop_after => ?::bigint)").params(table, keep[i]).query().singleRow();
        }
        log.info("TimescaleDB retention policies: raw {} ms, 1m {} ms, 1h {} ms", rawMillis, minuteMillis, hourMillis);
    }

    boolean available() {
        return jdbc.sql("SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'").query(Long.class).single() > 0;
    }

    boolean isHypertable(String table) {
        return jdbc.sql("SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = ?")
                .param(table).query(Long.class).single() > 0;
    }
}
