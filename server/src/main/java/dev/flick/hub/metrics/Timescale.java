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
class Timescale {

    private static final Logger log = LoggerFactory.getLogger(Timescale.class);

    /** table → chunk interval (ms): a day of raw snapshots, a week of minutes, a quarter of hours. */
    static final List<Object[]> HYPERTABLES = List.of(
            new Object[] {"metrics_snapshots", 86_400_000L},
            new Object[] {"metrics_1m", 7 * 86_400_000L},
            new Object[] {"metrics_1h", 90 * 86_400_000L});

    private final Database db;
    private final JdbcClient jdbc;

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
            log.info("Metrics tables: TimescaleDB hypertables ({})",
                    HYPERTABLES.stream().map(t -> (String) t[0]).toList());
        } catch (RuntimeException e) {
            log.warn("TimescaleDB is available but enabling hypertables failed; using plain tables: {}", e.getMessage());
        }
    }

    boolean available() {
        return jdbc.sql("SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'").query(Long.class).single() > 0;
    }

    boolean isHypertable(String table) {
        return jdbc.sql("SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = ?")
                .param(table).query(Long.class).single() > 0;
    }
}
