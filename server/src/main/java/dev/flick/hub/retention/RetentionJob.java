package dev.flick.hub.retention;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.hub.config.Database;
import dev.flick.hub.metrics.Partitions;
import dev.flick.hub.metrics.Timescale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes what the retention policy no longer keeps. Metrics go whole: with TimescaleDB its retention policies (kept
 * in step here) drop chunks; on plain PostgreSQL whole partitions are dropped ({@link Partitions}); on SQLite whole
 * minute blocks and rollup rows are deleted per server through the primary key (server_id, ts), in small batches with
 * a pause between them, so no delete holds the database long enough to stall the metrics writer. Logs and events go
 * through their time indexes the same way.
 */
@Component
class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    static final int BATCH = 5_000;

    private final JdbcClient jdbc;
    private final Database db;
    private final Retention retention;
    private final Timescale timescale;
    private final Partitions partitions;
    private final AtomicLong droppedPartitions = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private volatile long pauseMillis = 20;

    private final javax.sql.DataSource dataSource;
    /** The advisory lock key of the fleet-wide retention pass ("flickret"). */
    private static final long LOCK = 0x666c69636b726574L;

    RetentionJob(JdbcClient jdbc, Database db, Retention retention, Timescale timescale, Partitions partitions,
                 javax.sql.DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.partitions = partitions;
        this.db = db;
        this.retention = retention;
        this.timescale = timescale;
    }

    @Scheduled(initialDelayString = "${flick.retention.initial-delay:60000}", fixedDelayString = "${flick.retention.every:300000}")
    void scheduled() {
        if (db.dialect() == Database.Dialect.POSTGRESQL) {
            // Several hubs on one PostgreSQL: one pass at a time. A session advisory lock, not a NATS lease, because
            // it guards PostgreSQL work and dies with its connection: a killed hub never leaves it held.
            try (java.sql.Connection c = dataSource.getConnection();
                 java.sql.PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK);
                boolean mine;
                try (java.sql.ResultSet rs = lock.executeQuery()) {
                    mine = rs.next() && rs.getBoolean(1);
                }
                if (!mine) return; // another hub is running it
                try {
                    pass();
                } finally {
                    try (java.sql.PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                        unlock.setLong(1, LOCK);
                        unlock.execute();
                    }
                }
            } catch (java.sql.SQLException e) {
                log.warn("Retention could not take its lock; will try again: {}", e.getMessage());
            }
            return;
        }
        pass();
    }

    private void pass() {
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
        long rawCutoff = now - p.raw().toMillis();
        long[] cutoffs = {rawCutoff, now - p.minute().toMillis(), now - p.hour().toMillis()};
        Set<String> servers = new LinkedHashSet<>(jdbc.sql("SELECT id FROM servers").query(String.class).list());
        if (timescale.active()) {
            timescale.applyRetention(p.raw().toMillis(), p.minute().toMillis(), p.hour().toMillis());
        } else if (partitions.active()) {
            for (Partitions.Table t : Partitions.Table.values()) {
                long cutoff = cutoffs[t.ordinal()];
                for (Partitions.Partition part : partitions.list(t)) {
                    if (part.to() <= cutoff) {
                        partitions.drop(t, part);
                        droppedPartitions.incrementAndGet();
                    }
                }
            }
        } else {
            for (String server : servers) {
                // A block goes whole, once its minute has wholly passed the cutoff.
                removed += perServer("metrics_blocks", server, rawCutoff - 59_999); // ts + 1 min <= cutoff
                removed += perServer("metrics_1m", server, cutoffs[1]);
                removed += perServer("metrics_1h", server, cutoffs[2]);
            }
        }
        // Rows of open minutes are compacted within minutes; one older than raw retention is a late arrival to expire.
        for (String server : servers) removed += perServer("metrics_snapshots", server, rawCutoff);
        removed += byTime("logs", "ts", "", now - p.logs().toMillis());
        removed += byTime("alert_events", "started_at", " AND state = 'resolved'", now - p.events().toMillis());
        deleted.addAndGet(removed);
        return removed;
    }

    long droppedPartitions() {
        return droppedPartitions.get();
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
