package dev.flick.hub.metrics;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.flick.hub.config.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves snapshots from the {@link Spool} into the database on its own thread, in spool order and in batches, and keeps
 * the rollups equal to the raw rows: every (server, minute) a batch touches is marked in {@code rollup_dirty} in the
 * same transaction, and once a minute has closed it is recomputed from its raw rows (its hour from the minute rows).
 * A failed write is retried until it commits; only a record the database refuses for good is set aside (counted).
 */
final class MetricsWriter {

    private static final Logger log = LoggerFactory.getLogger(MetricsWriter.class);
    private static final int BATCH = 2_000;
    private static final int RECOMPUTE_PER_COMMIT = 300;
    private static final long PROBE_EVERY_MS = 5_000;

    private record MinuteKey(String serverId, long minute) {}

    private record Removal(String serverId, CompletableFuture<Void> done) {}

    private final Spool spool;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Spool.Drops drops;
    private final long graceMillis;
    private final String insertRaw;
    private final MinuteCompactor compactor;
    private final Partitions partitions;
    private final String hourFromMinutes;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Removal> removals = new ConcurrentLinkedQueue<>();
    /** Minutes with raw rows not yet rolled up, all of them also in {@code rollup_dirty}. Writer thread only. */
    private final Set<MinuteKey> dirty = new HashSet<>();
    private final Set<String> known = new HashSet<>();
    private volatile boolean running = true;
    private final Thread thread;

    // What health reports; written by the writer thread.
    private volatile long lastSuccessAt = System.currentTimeMillis();
    private volatile long lastWriteMillis = -1;
    private volatile long writeStartedAt;
    private volatile long failingSince;
    private volatile String lastError;

    MetricsWriter(Spool spool, JdbcTemplate jdbc, TransactionTemplate tx, Database db, Partitions partitions, long graceMillis,
            Spool.Drops drops) {
        this.spool = spool;
        this.jdbc = jdbc;
        this.tx = tx;
        this.drops = drops;
        this.graceMillis = graceMillis;
        String cols = Stream.of(Series.ALL).map(s -> s.column).collect(Collectors.joining(", "));
        this.insertRaw = "INSERT INTO metrics_snapshots (server_id, ts, " + cols + ", process_count, detail) VALUES (?, ?, "
                + "?, ".repeat(Series.ALL.length) + "?, ?) ON CONFLICT (server_id, ts) DO NOTHING";
        this.compactor = new MinuteCompactor(jdbc);
        this.partitions = partitions;
        this.hourFromMinutes = hourFromMinutes();
        // SQLite commits with synchronous=NORMAL survive a crash but may not a power loss until the WAL is synced: a
        // checkpoint syncs it, so the spool deletes nothing the database could still lose.
        if (db.dialect() == Database.Dialect.SQLITE) spool.beforeDeleting(() -> jdbc.execute("PRAGMA wal_checkpoint(PASSIVE)"));
        this.thread = Thread.ofPlatform().name("flick-metrics-writer").daemon().start(this::run);
    }

    /**
     * Deletes a server's stored metrics on the writer thread, after any batch that may still hold its rows, and keeps
     * its records still in the spool from being written afterwards: no orphan rows, whatever was in flight.
     */
    CompletableFuture<Void> remove(String serverId) {
        removed.add(serverId);
        Removal r = new Removal(serverId, new CompletableFuture<>());
        removals.add(r);
        return r.done();
    }

    long written() { return written.get(); }

    long failedBatches() { return failedBatches.get(); }

    /** Millis the last commit took, or -1 before the first. */
    long lastWriteMillis() { return lastWriteMillis; }

    /** Since when writes fail or hang (0 while they succeed). */
    long failingSince() {
        long hung = hungSince();
        return failingSince == 0 && hung > 0 ? hung : failingSince;
    }

    /** The first error of the current episode, or why a write that has not returned counts as one; null while fine. */
    String lastError() {
        long hung = hungSince();
        if (failingSince == 0 && hung > 0) return "the database has not answered for " + (System.currentTimeMillis() - hung) / 1000 + " s";
        return failingSince == 0 ? null : lastError;
    }

    /** When the write still running started, if it has run longer than a probe interval; else 0. */
    private long hungSince() {
        long started = writeStartedAt;
        return started > 0 && System.currentTimeMillis() - started > PROBE_EVERY_MS ? started : 0;
    }

    void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        loadDirty();
        long lastTick = 0;
        boolean backlogged = false;
        Spool.Batch batch = null;
        List<MinuteKey> due = List.of();
        long backoff = 500;
        while (running) {
            try {
                if (batch == null) {
                    batch = spool.read(BATCH, 250);
                    long now = System.currentTimeMillis();
                    // A full list means more closed minutes wait (a start after an outage, an upgrade): no pause then.
                    if (now - lastTick >= 1_000 || backlogged) {
                        lastTick = now;
                        due = dueMinutes(now);
                        backlogged = due.size() == RECOMPUTE_PER_COMMIT;
                    }
                }
                boolean idle = batch.records().isEmpty() && due.isEmpty();
                if (idle) {
                    spool.committed(batch.end(), 0, batch.bytes());
                    probeIfQuiet();
                } else {
                    write(batch, due);
                }
                batch = null;
                due = List.of();
                backoff = 500;
                runRemovals();
            } catch (RuntimeException e) {
                if (!running) break;
                failedBatches.incrementAndGet();
                if (permanent(e) && batch != null) {
                    isolate(batch, due, e);
                    batch = null;
                    due = List.of();
                    continue;
                }
                failed(e, batch);
                sleepQuietly(backoff);
                backoff = Math.min(10_000, backoff * 2);
            }
        }
        drainBeforeStop(batch);
    }

    /** On an orderly stop, stores what the spool already holds for a few seconds more; the rest waits for the next start. */
    private void drainBeforeStop(Spool.Batch pending) {
        Thread.interrupted(); // close() interrupts a backoff sleep; the last writes must not see it
        long deadline = System.currentTimeMillis() + 5_000;
        Spool.Batch batch = pending;
        try {
            while (System.currentTimeMillis() < deadline) {
                if (batch == null) batch = spool.read(BATCH, 0);
                if (batch.records().isEmpty()) break;
                write(batch, List.of());
                batch = null;
            }
        } catch (RuntimeException e) {
            log.info("Stopping with {} snapshots still in the spool; they are stored on the next start", spool.backlog());
        }
    }

    /** One transaction: the raw rows, their minutes marked dirty, and the closed minutes recomputed. */
    private void write(Spool.Batch batch, List<MinuteKey> due) {
        List<SpoolRecord> rows = storable(batch.records());
        Set<MinuteKey> touched = new LinkedHashSet<>();
        for (SpoolRecord r : rows) touched.add(new MinuteKey(r.serverId(), Tier.MINUTE.bucketOf(r.ts())));
        List<MinuteKey> newlyDirty = touched.stream().filter(k -> !dirty.contains(k)).toList();
        // A minute this batch adds rows to waits for the next tick, so its recompute always sees them.
        List<MinuteKey> recompute = due.stream().filter(k -> !removed.contains(k.serverId()) && !touched.contains(k)).toList();
        List<MinuteKey> hours = new ArrayList<>(new LinkedHashSet<>(recompute.stream()
                .map(k -> new MinuteKey(k.serverId(), Tier.HOUR.bucketOf(k.minute()))).toList()));
        partitions.ensure(recompute.stream().mapToLong(MinuteKey::minute));
        long started = System.currentTimeMillis();
        writeStartedAt = started;
        try {
            tx.executeWithoutResult(status -> {
                if (!rows.isEmpty()) jdbc.batchUpdate(insertRaw, rows, rows.size(), this::bindRaw);
                if (!newlyDirty.isEmpty()) {
                    jdbc.batchUpdate("INSERT INTO rollup_dirty (server_id, ts) VALUES (?, ?) ON CONFLICT (server_id, ts) DO NOTHING",
                            newlyDirty, newlyDirty.size(), MetricsWriter::bindKey);
                }
                if (!recompute.isEmpty()) {
                    for (MinuteKey k : recompute) compactor.compact(k.serverId(), k.minute());
                    jdbc.batchUpdate("DELETE FROM metrics_1h WHERE server_id = ? AND ts = ?", hours, hours.size(), MetricsWriter::bindKey);
                    jdbc.batchUpdate(hourFromMinutes, hours, hours.size(), (ps, k) -> bindRange(ps, k, Tier.HOUR));
                    for (MinuteKey h : hours) compactor.hourParts(h.serverId(), h.minute());
                    jdbc.batchUpdate("DELETE FROM rollup_dirty WHERE server_id = ? AND ts = ?", recompute, recompute.size(), MetricsWriter::bindKey);
                }
            });
        } finally {
            writeStartedAt = 0;
        }
        long now = System.currentTimeMillis();
        lastWriteMillis = now - started;
        dirty.addAll(newlyDirty);
        recompute.forEach(dirty::remove);
        written.addAndGet(rows.size());
        if (batch.end() != null) spool.committed(batch.end(), batch.records().size(), batch.bytes());
        succeeded(now);
    }

    /**
     * Records of servers that exist and were not removed. An id not seen before re-reads the servers once for the
     * batch, so a server created a moment ago is never mistaken for a deleted one.
     */
    private List<SpoolRecord> storable(List<SpoolRecord> records) {
        List<SpoolRecord> out = new ArrayList<>(records.size());
        boolean reread = false;
        for (SpoolRecord r : records) {
            String id = r.serverId();
            if (removed.contains(id)) continue;
            if (!known.contains(id) && !reread) {
                reread = true;
                known.clear();
                known.addAll(jdbc.queryForList("SELECT id FROM servers", String.class));
            }
            if (known.contains(id)) out.add(r); // else deleted before its records were stored
        }
        return out;
    }

    /** Closed minutes, oldest first, at most {@link #RECOMPUTE_PER_COMMIT}. */
    private List<MinuteKey> dueMinutes(long now) {
        if (dirty.isEmpty()) return List.of();
        return dirty.stream().filter(k -> k.minute() + Tier.MINUTE.bucketMillis + graceMillis <= now)
                .sorted(java.util.Comparator.comparingLong(MinuteKey::minute)).limit(RECOMPUTE_PER_COMMIT).toList();
    }

    private void loadDirty() {
        while (running) {
            try {
                dirty.addAll(jdbc.query("SELECT server_id, ts FROM rollup_dirty", (rs, i) -> new MinuteKey(rs.getString(1), rs.getLong(2))));
                if (!dirty.isEmpty()) log.info("{} minutes of rollups to recompute from raw rows (written before the last stop)", dirty.size());
                return;
            } catch (RuntimeException e) {
                failed(e, null);
                sleepQuietly(1_000);
            }
        }
    }

    /** With nothing to write, a cheap query now and then keeps the database's health current. */
    private void probeIfQuiet() {
        long now = System.currentTimeMillis();
        if (now - lastSuccessAt < PROBE_EVERY_MS && failingSince == 0) return;
        writeStartedAt = now;
        try {
            jdbc.queryForObject("SELECT 1", Integer.class);
        } finally {
            writeStartedAt = 0;
        }
        succeeded(System.currentTimeMillis());
    }

    private void succeeded(long now) {
        if (failingSince != 0) {
            log.info("Storage is back after {} s ({}); back-filling {} snapshots from the spool", (now - failingSince) / 1000,
                    lastError, spool.backlog());
            failingSince = 0;
        }
        lastSuccessAt = now;
    }

    private void failed(RuntimeException e, Spool.Batch batch) {
        String reason = rootMessage(e);
        if (failingSince == 0) {
            failingSince = System.currentTimeMillis();
            lastError = reason;
            log.error("Storing snapshots failed: {}. Retrying until it works; nothing is dropped ({} waiting in the spool, {} "
                    + "in this batch)", reason, spool.backlog(), batch == null ? 0 : batch.records().size());
        }
    }

    /** A batch the database refuses for good: store its records one by one and set aside only those refused. */
    private void isolate(Spool.Batch batch, List<MinuteKey> due, RuntimeException cause) {
        log.warn("The database refused a batch ({}); storing its {} snapshots one by one", rootMessage(cause), batch.records().size());
        for (SpoolRecord r : batch.records()) {
            while (running) {
                try {
                    write(new Spool.Batch(List.of(r), null, 0), List.of());
                    break;
                } catch (RuntimeException e) {
                    if (permanent(e)) {
                        drops.dropped(r.serverId(), "rejected");
                        log.error("Snapshot of server {} at {} refused by the database and set aside: {}", r.serverId(), r.ts(), rootMessage(e));
                        break;
                    }
                    failed(e, batch);
                    sleepQuietly(1_000);
                }
            }
        }
        spool.committed(batch.end(), batch.records().size(), batch.bytes());
        if (!due.isEmpty()) {
            try {
                write(new Spool.Batch(List.of(), batch.end(), 0), due);
            } catch (RuntimeException e) {
                log.error("Recomputing {} rollup minutes failed for good ({}); they keep their previous rows", due.size(), rootMessage(e));
                due.forEach(dirty::remove);
            }
        }
    }

    private void runRemovals() {
        Removal r;
        while ((r = removals.poll()) != null) {
            String id = r.serverId();
            try {
                tx.executeWithoutResult(status -> {
                    jdbc.update("DELETE FROM metrics_snapshots WHERE server_id = ?", id);
                    jdbc.update("DELETE FROM metrics_blocks WHERE server_id = ?", id);
                    for (Tier tier : new Tier[] {Tier.MINUTE, Tier.HOUR}) jdbc.update("DELETE FROM " + tier.table + " WHERE server_id = ?", id);
                    jdbc.update("DELETE FROM rollup_dirty WHERE server_id = ?", id);
                });
                dirty.removeIf(k -> k.serverId().equals(id));
                known.remove(id);
                r.done().complete(null);
            } catch (RuntimeException e) {
                r.done().completeExceptionally(e);
            }
        }
    }

    private void bindRaw(PreparedStatement ps, SpoolRecord r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.serverId());
        ps.setLong(i++, r.ts());
        for (int k = 0; k < Series.ALL.length; k++) {
            double v = r.values()[k];
            if (Series.ALL[k].integral()) ps.setLong(i++, (long) v);
            else ps.setDouble(i++, v);
        }
        ps.setInt(i++, r.processCount());
        ps.setBytes(i, r.detail());
    }

    private static void bindKey(PreparedStatement ps, MinuteKey k) throws SQLException {
        ps.setString(1, k.serverId());
        ps.setLong(2, k.minute());
    }

    /** Parameters of the recompute statements: the bucket, then (server, from, to) for the peak and for the rows. */
    private static void bindRange(PreparedStatement ps, MinuteKey k, Tier tier) throws SQLException {
        long from = k.minute();
        long to = from + tier.bucketMillis;
        ps.setLong(1, from);
        ps.setString(2, k.serverId());
        ps.setLong(3, from);
        ps.setLong(4, to);
        ps.setString(5, k.serverId());
        ps.setLong(6, from);
        ps.setLong(7, to);
    }

    /** An hour row from its minute rows: samples summed, count-weighted averages, min of mins, max of maxes. */
    private static String hourFromMinutes() {
        StringBuilder cols = new StringBuilder("server_id, ts, samples");
        StringBuilder sel = new StringBuilder("server_id, ?, SUM(samples)");
        for (Series s : Series.ALL) {
            String c = s.column;
            cols.append(", ").append(c).append(", ").append(c).append("_min, ").append(c).append("_max");
            sel.append(", SUM(").append(c).append(" * samples) / SUM(samples), MIN(").append(c).append("_min), MAX(")
                    .append(c).append("_max)");
        }
        return "INSERT INTO metrics_1h (" + cols + ", peak_detail)\nSELECT " + sel
                + ",\n (SELECT p.peak_detail FROM metrics_1m p WHERE p.server_id = ? AND p.ts >= ? AND p.ts < ? ORDER BY p.cpu_max DESC, p.ts LIMIT 1)"
                + "\nFROM metrics_1m WHERE server_id = ? AND ts >= ? AND ts < ? GROUP BY server_id";
    }

    /** A refusal that retrying cannot fix: a constraint or data error, not an outage, a full disk or a lock. */
    static boolean permanent(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof DataIntegrityViolationException) return true;
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (sql.getClass().getName().startsWith("org.sqlite")) {
                    int code = sql.getErrorCode() & 0xff;
                    if (code == 18 || code == 19 || code == 20) return true; // TOOBIG, CONSTRAINT, MISMATCH
                } else if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return true;
                }
            }
            if (t.getCause() == null) break;
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.strip();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
