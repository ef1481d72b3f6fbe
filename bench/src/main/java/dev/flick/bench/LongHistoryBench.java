package dev.flick.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.Database;
import dev.flick.hub.metrics.Ingest;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 7's figures on one database: bytes stored per server-day at 1 s (one real hour through the ingest path,
 * scaled to a day), 30-day and 1-year chart queries, and log text search over 1 M lines, all over real HTTP.
 *
 * <pre>java -cp … dev.flick.bench.LongHistoryBench sqlite|postgres [queries]</pre>
 */
public final class LongHistoryBench {

    static final long DAY = 86_400_000L;

    public static void main(String[] args) throws Exception {
        String db = args[0];
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        try (Hub hub = new Hub(db, "--flick.local-collector=false", "--flick.retention.initial-delay=86400000")) {
            JdbcClient jdbc = hub.bean(JdbcClient.class);
            Database database = hub.bean(Database.class);
            Ingest ingest = hub.bean(Ingest.class);
            HttpClient http = HttpClient.newHttpClient();

            // 1. Bytes per server-day: one hour of realistic 1 s snapshots through the real path, scaled by 24.
            String id = "size-bench";
            jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'bench', 'agent', 'offline', 0)").param(id).update();
            long[] before = sizes(jdbc, database);
            long now = System.currentTimeMillis() / 3_600_000 * 3_600_000;
            Snapshot t = Fleet.template(id);
            for (long ts = now - 3_600_000; ts < now; ts += 1000) {
                double wave = 40 + 35 * Math.sin(ts / 600_000.0);
                ingest.accept(new Snapshot(id, ts, new Snapshot.Cpu(wave, wave * 0.7, wave * 0.3, 0.5, 0, t.cpu().cores(),
                        1.2, 0.9, 0.7), t.memory(), t.disks(), t.diskIo(), t.network(), t.processes()));
            }
            while (ingest.stats().backlog() > 0) Thread.sleep(100);
            Thread.sleep(3_000);
            if (database.dialect() == Database.Dialect.POSTGRESQL) jdbc.sql("VACUUM ANALYZE metrics_snapshots").update();
            long[] after = sizes(jdbc, database);
            System.out.printf("| %s | bytes per server-day at 1 s | raw %.1f MB, 1m %.2f MB, 1h %.3f MB (measured over 1 h ×24) |%n",
                    db, (after[0] - before[0]) * 24 / 1e6, (after[1] - before[1]) * 24 / 1e6, (after[2] - before[2]) * 24 / 1e6);

            // 2. Long ranges: 30 days of minute rollups and a year of hour rollups for one server.
            String longId = "long-bench";
            jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'long', 'agent', 'offline', 0)").param(longId).update();
            generate(jdbc, database, "metrics_1m", longId, now - 30 * DAY, 60_000, 30 * 1440);
            generate(jdbc, database, "metrics_1h", longId, now - 365 * DAY, 3_600_000, 365 * 24);
            if (database.dialect() == Database.Dialect.POSTGRESQL) jdbc.sql("ANALYZE").update();
            time(http, hub, db, "30-day chart", "/api/v1/servers/" + longId + "/metrics?from=" + (now - 30 * DAY) + "&to=" + now, queries);
            time(http, hub, db, "1-year chart", "/api/v1/servers/" + longId + "/metrics?from=" + (now - 365 * DAY) + "&to=" + now, queries);

            // 3. Log search over 1 M lines.
            generateLogs(jdbc, database, now - 30 * DAY, 1_000_000);
            // Autovacuum would do this on its own schedule; a bulk load leaves the GIN pending list full until it does.
            if (database.dialect() == Database.Dialect.POSTGRESQL) jdbc.sql("VACUUM ANALYZE logs").update();
            time(http, hub, db, "logs, newest 100", "/api/v1/logs?limit=100", queries);
            time(http, hub, db, "logs, q=common word", "/api/v1/logs?limit=100&q=" + enc("session opened"), queries);
            time(http, hub, db, "logs, q=rare word (full scan)", "/api/v1/logs?limit=100&q=" + enc("kernel panic"), queries);
            time(http, hub, db, "logs, server+level+q", "/api/v1/logs?limit=100&serverId=srv-7&level=error&q=" + enc("timeout"), queries);
        }
        System.exit(0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void time(HttpClient http, Hub hub, String db, String what, String path, int queries) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hub.base() + path)).header("Authorization", "Bearer " + hub.token).build();
        for (int i = 0; i < 5; i++) http.send(req, HttpResponse.BodyHandlers.ofString());
        double[] ms = new double[queries];
        int status = 0;
        for (int i = 0; i < queries; i++) {
            long t0 = System.nanoTime();
            status = http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("| %s | %s | p50 %.1f ms, p95 %.1f ms, max %.1f ms (HTTP %d) |%n", db, what, ms[queries / 2],
                ms[(int) Math.ceil(queries * 0.95) - 1], ms[queries - 1], status);
    }

    private static long[] sizes(JdbcClient jdbc, Database db) {
        String[] tables = {"metrics_snapshots", "metrics_1m", "metrics_1h"};
        long[] out = new long[3];
        for (int i = 0; i < 3; i++) {
            out[i] = db.dialect() == Database.Dialect.SQLITE
                    ? jdbc.sql("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)")
                            .param(tables[i]).query(Long.class).single()
                    : jdbc.sql("SELECT pg_total_relation_size(?::regclass)").param(tables[i]).query(Long.class).single();
        }
        return out;
    }

    private static void generate(JdbcClient jdbc, Database db, String table, String id, long start, long step, int n) {
        StringBuilder cols = new StringBuilder("server_id, ts, samples");
        StringBuilder vals = new StringBuilder("?, ? + x * " + step + ", 60");
        for (String c : new String[] {"cpu", "mem_used", "mem_total", "swap_used", "swap_total", "disk_used", "disk_total",
                "disk_read_bps", "disk_write_bps", "net_rx_bps", "net_tx_bps", "load1", "load5", "load15"}) {
            cols.append(", ").append(c).append(", ").append(c).append("_min, ").append(c).append("_max");
            vals.append(", 40 + (x % 37), 10, 90");
        }
        jdbc.sql(series(db, n) + "INSERT INTO " + table + " (" + cols + ") SELECT " + vals + " FROM " + from(db, n))
                .params(id, start).update();
    }

    private static void generateLogs(JdbcClient jdbc, Database db, long start, int n) {
        String[] words = {"session opened for user app", "Started Daily apt upgrade", "connection timeout to upstream",
                "CRON job finished", "disk usage at 71%", "accepted publickey for deploy"};
        StringBuilder msg = new StringBuilder("CASE x % 6");
        for (int i = 0; i < words.length; i++) msg.append(" WHEN ").append(i).append(" THEN '").append(words[i]).append(" #' || x");
        msg.append(" END");
        String level = "CASE WHEN x % 50 = 0 THEN 'error' WHEN x % 7 = 0 THEN 'warning' ELSE 'info' END";
        jdbc.sql(series(db, n) + "INSERT INTO logs (ts, server_id, source, level, unit, message) SELECT ? + x * 2592, "
                        + "'srv-' || (x % 20), 'journal', " + level + ", 'app.service', " + msg + " FROM " + from(db, n))
                .param(start).update();
    }

    private static String series(Database db, int n) {
        return db.dialect() == Database.Dialect.SQLITE
                ? "WITH RECURSIVE seq(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM seq WHERE x < " + (n - 1) + ") " : "";
    }

    private static String from(Database db, int n) {
        return db.dialect() == Database.Dialect.SQLITE ? "seq" : "generate_series(0::bigint, " + (n - 1) + ") AS x";
    }
}
