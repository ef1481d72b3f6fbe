package dev.flick.hub.retention;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.hub.config.Database;
import dev.flick.hub.metrics.Timescale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes what the retention policy no longer keeps, in small batches with a pause between them, so no delete holds
 * the database long enough to stall the metrics writer. Metrics are deleted per server through the primary key
 * (server_id, ts); logs and events through their time indexes. With TimescaleDB the metrics tables are left to its
 * retention policies, which drop whole chunks.
 */
@Component
class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    static final int BATCH = 5_000;

    private final JdbcClient jdbc;
    private final Database db;
    private final Retention retention;
    private final Timescale timescale;
    private final AtomicLong deleted = new AtomicLong();
    private volatile long pauseMillis = 20;

    RetentionJob(JdbcClient jdbc, Database db, Retention retention, Timescale timescale) {
        this.jdbc = jdbc;
        this.db = db;
        this.retention = retention;
        this.timescale = timescale;
    }

    @Scheduled(initialDelayString = "${flick.retention.initial-delay:60000}", fixedDelayString = "${flick.retention.every:300000}")
    void scheduled() {
        try {
            long n = run(System.currentTimeMillis());
            if (n > 0) log.info("Retention removed {} expired rows", n);
        } catch (RuntimeException e) {
            log.warn("Retention run failed; will try again: {}", e.getMessage());
        }
    }

    /** One full pass; returns the rows removed. */
    long run(long now) {
        RetentionPolicy p = retention.current();
        long removed = 0;
        if (!timescale.active()) {
            Set<String> servers = new LinkedHashSet<>(jdbc.sql("SELECT id FROM servers").query(String.class).list());
            for (String server : servers) {
                removed += perServer("metrics_snapshots", server, now - p.raw().toMillis());
                removed += perServer("metrics_1m", server, now - p.minute().toMillis());
                removed += perServer("metrics_1h", server, now - p.hour().toMillis());
            }
        }
        removed += byTime("logs", "ts", "", now - p.logs().toMillis());
        removed += byTime("alert_events", "started_at", " AND state = 'resolved'", now - p.events().toMillis());
        deleted.addAndGet(removed);
        return removed;
    }

    long deletedSoFar() {
        return deleted.get();
    }

    private long perServer(String table, String serverId, long before) {
        String rowId = db.dialect() == Database.Dialect.SQLITE ? "rowid" : "ctid";
        String sql = "DELETE FROM " + table + " WHERE " + rowId + " IN (SELECT " + rowId + " FROM " + table
                + " WHERE server_id = ? AND ts < ? LIMIT " + BATCH + ")";
        return batches(sql, serverId, before);
    }

    private long byTime(String table, String column, String extra, long before) {
        String rowId = db.dialect() == Database.Dialect.SQLITE ? "rowid" : "ctid";
        String sql = "DELETE FROM " + table + " WHERE " + rowId + " IN (SELECT " + rowId + " FROM " + table
                + " WHERE " + column + " < ?" + extra + " LIMIT " + BATCH + ")";
        return batches(sql, null, before);
    }

    private long batches(String sql, String serverId, long before) {
        long total = 0;
        while (true) {
            int n = serverId == null ? jdbc.sql(sql).param(before).update() : jdbc.sql(sql).params(serverId, before).update();
            total += n;
            if (n < BATCH) return total;
            try {
                Thread.sleep(pauseMillis); // let the metrics writer take the lock between batches
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return total;
            }
        }
    }
}
