package dev.flick.hub.metrics;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes snapshots and rollup buckets in batches on its own thread, so a slow database never holds up collection.
 * When the queue is full the newest snapshot is dropped and counted: the live view keeps it, storage does not.
 */
final class MetricsWriter {

    private static final Logger log = LoggerFactory.getLogger(MetricsWriter.class);
    private static final int BATCH = 2_000;

    private final BlockingQueue<Pending> queue;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Rollups rollups;
    private final LiveHub live;
    private final String insertRaw;
    private final String[] mergeRollup = new String[Tier.values().length];
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final java.util.Set<String> removed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ConcurrentLinkedQueue<Removal> removals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile long lastDropLog;
    private volatile boolean running = true;
    private final Thread thread;

    record Pending(Snapshot snapshot, String json) {}

    private record Removal(String serverId, java.util.concurrent.CompletableFuture<Void> done) {}

    /**
     * Deletes a server's stored metrics on the writer thread, after any batch that may still hold its rows, and keeps
     * rows of it still queued from being written afterwards: no orphan rows, whatever was in flight.
     */
    java.util.concurrent.CompletableFuture<Void> remove(String serverId) {
        removed.add(serverId);
        Removal r = new Removal(serverId, new java.util.concurrent.CompletableFuture<>());
        removals.add(r); // picked up within one poll (250 ms) of the writer loop
        return r.done();
    }

    private void runRemovals() {
        Removal r;
        while ((r = removals.poll()) != null) {
            String id = r.serverId();
            try {
                tx.executeWithoutResult(status -> {
                    jdbc.update("DELETE FROM metrics_snapshots WHERE server_id = ?", id);
                    for (Tier tier : Rollups.TIERS) jdbc.update("DELETE FROM " + tier.table + " WHERE server_id = ?", id);
                });
                r.done().complete(null);
            } catch (RuntimeException e) {
                r.done().completeExceptionally(e);
            }
        }
    }

    MetricsWriter(JdbcTemplate jdbc, TransactionTemplate tx, Database db, Rollups rollups, LiveHub live, int capacity) {
        this.live = live;
        this.jdbc = jdbc;
        this.tx = tx;
        this.rollups = rollups;
        this.queue = new ArrayBlockingQueue<>(capacity);
        String cols = Stream.of(Series.ALL).map(s -> s.column).collect(Collectors.joining(", "));
        this.insertRaw = "INSERT INTO metrics_snapshots (server_id, ts, " + cols + ", process_count, detail) VALUES (?, ?, "
                + "?, ".repeat(Series.ALL.length) + "?, ?) ON CONFLICT (server_id, ts) DO NOTHING";
        for (Tier tier : Rollups.TIERS) {
            mergeRollup[tier.ordinal()] = mergeSql(tier, db);
        }
        this.thread = Thread.ofPlatform().name("flick-metrics-writer").daemon().start(this::run);
    }

    /** Never blocks: a full queue means the database is behind, and the snapshot is counted as dropped. */
    boolean offer(Snapshot s, String json) {
        if (queue.offer(new Pending(s, json))) {
            return true;
        }
        long n = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastDropLog > 10_000) {
            lastDropLog = now;
            log.warn("Storage is behind: {} snapshots dropped so far (queue of {} full); live view unaffected", n,
                    queue.size());
        }
        return false;
    }

    long dropped() { return dropped.get(); }

    long written() { return written.get(); }

    long failedBatches() { return failedBatches.get(); }

    int backlog() { return queue.size(); }

    /** Writes everything queued and every open rollup bucket, then stops. */
    void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainOnce(true);
    }

    private void run() {
        long lastRollupCheck = 0;
        while (running) {
            List<Pending> batch = new ArrayList<>(BATCH);
            List<RollupRow> due = List.of();
            try {
                Pending first = queue.poll(250, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                long now = System.currentTimeMillis();
                if (now - lastRollupCheck >= 1_000) {
                    lastRollupCheck = now;
                    due = rollups.due(now, false);
                }
                write(batch, due);
                runRemovals();
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (RuntimeException e) {
                // The database refused the batch (down, full, locked too long): count it as dropped, keep going.
                failedBatches.incrementAndGet();
                dropped.addAndGet(batch.size());
                log.error("Storing {} snapshots and {} rollup rows failed; they are dropped from storage: {}",
                        batch.size(), due.size(), rootMessage(e));
                sleepQuietly(1_000);
            }
        }
    }

    private void drainOnce(boolean flushRollups) {
        List<Pending> batch = new ArrayList<>();
        queue.drainTo(batch);
        try {
            for (int i = 0; i < batch.size(); i += BATCH) {
                write(batch.subList(i, Math.min(batch.size(), i + BATCH)), List.of());
            }
            write(List.of(), rollups.due(System.currentTimeMillis(), flushRollups));
        } catch (RuntimeException e) {
            log.error("Final metrics flush failed: {}", rootMessage(e));
        }
    }

    private void write(List<Pending> batch, List<RollupRow> due) {
        if (!removed.isEmpty()) {
            batch = batch.stream().filter(p -> !removed.contains(p.snapshot().serverId())).toList();
            due = due.stream().filter(r -> !removed.contains(r.serverId())).toList();
        }
        if (batch.isEmpty() && due.isEmpty()) return;
        List<Pending> rows = batch;
        List<RollupRow> buckets = due;
        tx.executeWithoutResult(status -> {
            if (!rows.isEmpty()) {
                jdbc.batchUpdate(insertRaw, rows, rows.size(), this::bindRaw);
            }
            for (Tier tier : Rollups.TIERS) {
                List<RollupRow> tierRows = buckets.stream().filter(r -> r.tier() == tier).toList();
                if (!tierRows.isEmpty()) {
                    jdbc.batchUpdate(mergeRollup[tier.ordinal()], tierRows, tierRows.size(), this::bindRollup);
                }
            }
        });
        written.addAndGet(rows.size());
    }

    private void bindRaw(PreparedStatement ps, Pending p) throws SQLException {
        Snapshot s = p.snapshot();
        int i = 1;
        ps.setString(i++, s.serverId());
        ps.setLong(i++, s.ts());
        for (Series series : Series.ALL) {
            double v = series.of(s);
            if (series.integral()) ps.setLong(i++, (long) v);
            else ps.setDouble(i++, v);
        }
        ps.setInt(i++, s.processes().count());
        byte[] detail = Deflate.compress(p.json());
        ps.setBytes(i, detail);
        live.compact(s.serverId(), s.ts(), detail);
    }

    private void bindRollup(PreparedStatement ps, RollupRow r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.serverId());
        ps.setLong(i++, r.ts());
        ps.setInt(i++, r.samples());
        for (int k = 0; k < Series.ALL.length; k++) {
            ps.setDouble(i++, r.avg()[k]);
            ps.setDouble(i++, r.min()[k]);
            ps.setDouble(i++, r.max()[k]);
        }
        ps.setBytes(i, r.peakJson() == null ? null : Deflate.compress(r.peakJson()));
    }

    /** Merges a bucket into its row: partial buckets (restart, pause, back-fill) add up to the full one. */
    private static String mergeSql(Tier tier, Database db) {
        String t = tier.table;
        StringBuilder cols = new StringBuilder("server_id, ts, samples");
        StringBuilder set = new StringBuilder("samples = " + t + ".samples + excluded.samples");
        for (Series s : Series.ALL) {
            String c = s.column;
            cols.append(", ").append(c).append(", ").append(c).append("_min, ").append(c).append("_max");
            set.append(",\n ").append(c).append(" = (").append(t).append('.').append(c).append(" * ").append(t)
                    .append(".samples + excluded.").append(c).append(" * excluded.samples) / (").append(t)
                    .append(".samples + excluded.samples)");
            set.append(",\n ").append(c).append("_min = ").append(db.least(t + "." + c + "_min", "excluded." + c + "_min"));
            set.append(",\n ").append(c).append("_max = ").append(db.greatest(t + "." + c + "_max", "excluded." + c + "_max"));
        }
        set.append(",\n peak_detail = CASE WHEN excluded.cpu_max > ").append(t)
                .append(".cpu_max THEN excluded.peak_detail ELSE ").append(t).append(".peak_detail END");
        int params = 3 + Series.ALL.length * 3 + 1;
        return "INSERT INTO " + t + " (" + cols + ", peak_detail) VALUES (" + "?, ".repeat(params - 1) + "?)\n"
                + "ON CONFLICT (server_id, ts) DO UPDATE SET " + set;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
