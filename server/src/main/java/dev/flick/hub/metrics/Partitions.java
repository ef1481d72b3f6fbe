package dev.flick.hub.metrics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import dev.flick.hub.config.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL's native range partitions of the metrics tables (where TimescaleDB is not loaded, migration V8): a day of
 * blocks, a week of minutes, 30 days of hours per partition. The hub creates them two widths ahead every hour and on
 * demand before a write that needs an older one (a back-fill), and retention drops whole partitions, so expiring data
 * never leaves dead rows for VACUUM. On SQLite, on TimescaleDB and on tables left unpartitioned this does nothing.
 */
@Component
public class Partitions {

    private static final Logger log = LoggerFactory.getLogger(Partitions.class);
    private static final Pattern BOUNDS = Pattern.compile("FROM \\((.+?)\\) TO \\((.+?)\\)");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /** The partitioned tables and their partition width (ms). */
    public enum Table {
        BLOCKS("metrics_blocks", 86_400_000L),
        MINUTES("metrics_1m", 7 * 86_400_000L),
        HOURS("metrics_1h", 30 * 86_400_000L);

        public final String name;
        public final long width;

        Table(String name, long width) {
            this.name = name;
            this.width = width;
        }
    }

    /** One partition: rows with from <= ts < to (from is Long.MIN_VALUE for the one that holds an older release's rows). */
    public record Partition(String name, long from, long to) {}

    private final Database db;
    private final JdbcTemplate jdbc;
    private volatile Boolean partitioned;
    private final Map<Table, List<Partition>> known = new ConcurrentHashMap<>();

    Partitions(Database db, JdbcTemplate jdbc) {
        this.db = db;
        this.jdbc = jdbc;
    }

    /** Whether the metrics tables are native partitions here (plain PostgreSQL after migration V8). */
    public boolean active() {
        Boolean p = partitioned;
        if (p == null) {
            p = db.dialect() == Database.Dialect.POSTGRESQL && Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT count(*) > 0 FROM pg_partitioned_table WHERE partrelid = to_regclass('metrics_blocks')", Boolean.class));
            partitioned = p;
        }
        return p;
    }

    @Scheduled(initialDelay = 0, fixedDelay = 3_600_000)
    void createAhead() {
        try {
            if (!active()) return;
            long now = System.currentTimeMillis();
            for (Table t : Table.values()) {
                for (long ts = now - t.width; ts <= now + 2 * t.width; ts += t.width) ensure(t, ts);
            }
        } catch (RuntimeException e) {
            log.warn("Creating the metrics partitions ahead failed; will try again: {}", MetricsWriter.rootMessage(e));
        }
    }

    /** Makes sure every table has the partition each minute's block, minute row and hour row go to. */
    void ensure(LongStream minutes) {
        if (!active()) return;
        minutes.forEach(m -> {
            for (Table t : Table.values()) ensure(t, m);
        });
    }

    /** Makes sure every table has its partitions for [from, to] (an import, a test that writes history directly). */
    public void ensureRange(long from, long to) {
        if (!active()) return;
        for (Table t : Table.values()) {
            for (long ts = from; ts < to + t.width; ts += t.width) ensure(t, Math.min(ts, to));
        }
    }

    /** The partitions of a table, oldest first. */
    public List<Partition> list(Table t) {
        if (!active()) return List.of();
        return known.computeIfAbsent(t, this::load);
    }

    /** Drops a partition wholly older than a retention cutoff; returns whether it did. */
    public boolean drop(Table t, Partition p) {
        jdbc.execute("DROP TABLE IF EXISTS " + quote(p.name()));
        known.remove(t);
        log.info("Dropped partition {} of {} (data before {})", p.name(), t.name, Instant.ofEpochMilli(p.to()));
        return true;
    }

    private void ensure(Table t, long ts) {
        for (Partition p : list(t)) if (p.from() <= ts && ts < p.to()) return;
        long from = Math.floorDiv(ts, t.width) * t.width;
        long to = from + t.width;
        for (Partition p : list(t)) { // never overlap one that exists (the older release's partition ends off-grid)
            if (p.to() > from && p.to() <= ts) from = p.to();
            if (p.from() < to && p.from() > ts) to = p.from();
        }
        String name = t.name + "_p" + DAY.format(Instant.ofEpochMilli(from));
        try {
            jdbc.execute("CREATE TABLE IF NOT EXISTS " + quote(name) + " PARTITION OF " + t.name + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
            if (t == Table.BLOCKS) jdbc.execute("ALTER TABLE " + quote(name) + " ALTER COLUMN data SET STORAGE EXTERNAL");
        } catch (RuntimeException e) {
            known.remove(t); // another hub may have made it: read them again before trying anew
            throw e;
        }
        known.remove(t);
    }

    private List<Partition> load(Table t) {
        List<Partition> out = new ArrayList<>(jdbc.query("""
                SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = to_regclass(?)""", (rs, n) -> parse(rs.getString(1), rs.getString(2)), t.name));
        out.removeIf(p -> p == null);
        out.sort(Comparator.comparingLong(Partition::from));
        return List.copyOf(out);
    }

    static Partition parse(String name, String bound) {
        Matcher m = bound == null ? null : BOUNDS.matcher(bound);
        if (m == null || !m.find()) return null;
        return new Partition(name, value(m.group(1), Long.MIN_VALUE), value(m.group(2), Long.MAX_VALUE));
    }

    private static long value(String v, long unbounded) {
        String s = v.replace("'", "").strip();
        return s.equals("MINVALUE") || s.equals("MAXVALUE") ? unbounded : Long.parseLong(s);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
