package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;

import dev.flick.hub.config.Database;
import dev.flick.hub.metrics.Ingest;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 11's figures on one database: DAYS of 1 s history for one server ({@link RealisticHost}) through the real
 * ingest path — spool, writer, minute blocks, rollups — then the bytes the hub's own storage report gives per stored
 * snapshot and per server-day, and chart and {@code processes?at} latencies over real HTTP.
 *
 * <pre>java -cp … dev.flick.bench.CompactHistoryBench sqlite|postgres|timescale [days] [queries]</pre>
 */
public final class CompactHistoryBench {

    static final long DAY = 86_400_000L;

    public static void main(String[] args) throws Exception {
        String db = args[0];
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 14;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        try (Hub hub = new Hub(db, "--flick.local-collector=false", "--flick.retention.initial-delay=86400000")) {
            JdbcClient jdbc = hub.bean(JdbcClient.class);
            Database database = hub.bean(Database.class);
            Ingest ingest = hub.bean(Ingest.class);
            HttpClient http = HttpClient.newHttpClient();
            String id = "compact-bench";
            jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'bench', 'agent', 'offline', 0)").param(id).update();

            // DAYS of 1 s snapshots ending two minutes ago, so every minute closes and is compacted.
            long end = (System.currentTimeMillis() - 120_000) / 60_000 * 60_000;
            long start = end - days * DAY;
            RealisticHost host = new RealisticHost(id, 11, 4);
            long t0 = System.nanoTime();
            long n = 0;
            for (long ts = start; ts < end; ts += 1_000, n++) {
                ingest.accept(host.next(ts));
                if (n % 10_000 == 0) while (ingest.stats().backlog() > 300_000) Thread.sleep(50);
            }
            while (ingest.stats().backlog() > 0) Thread.sleep(200);
            while (jdbc.sql("SELECT count(*) FROM rollup_dirty").query(Long.class).single() > 0) Thread.sleep(500);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            if (database.dialect() == Database.Dialect.POSTGRESQL) jdbc.sql("VACUUM ANALYZE").update();
            String storage = get(http, hub, "/api/v1/settings/storage").body();
            long rawBytes = field(tier(storage, "raw"), "bytes");
            long rawRows = field(tier(storage, "raw"), "rows");
            long minuteBytes = field(tier(storage, "1m"), "bytes");
            long hourBytes = field(tier(storage, "1h"), "bytes");
            System.out.printf("| %s | stored | %d snapshots over %d days in %.0f s (%.0f/s through spool, writer, compaction) |%n",
                    db, n, days, loadSeconds, n / loadSeconds);
            System.out.printf("| %s | raw bytes per stored 1 s snapshot | **%.1f B** (%d B for %d snapshots, layout %s) |%n",
                    db, rawBytes / (double) n, rawBytes, rawRows, text(storage, "layout"));
            System.out.printf("| %s | per server-day at 1 s | raw %.2f MB, 1m %.2f MB, 1h %.3f MB; %d days raw = %.0f MB |%n", db,
                    rawBytes * 86_400.0 / n / 1e6, minuteBytes / (double) days / 1e6 * 1.0, hourBytes / (double) days / 1e6,
                    days, rawBytes / 1e6);

            Random pick = new Random(7);
            time(http, hub, db, "5-min chart (raw)", q -> metrics(id, end - 300_000, end), queries);
            time(http, hub, db, "1 h chart (raw, 5 s steps)", q -> metrics(id, end - 3_600_000, end), queries);
            time(http, hub, db, "24 h chart", q -> metrics(id, end - DAY, end), queries);
            time(http, hub, db, days + "-day chart", q -> metrics(id, start, end), queries);
            time(http, hub, db, "processes?at (random moments)", q -> "/api/v1/servers/" + id + "/processes?at="
                    + (start + (long) (pick.nextDouble() * (end - start))), queries);
        }
        System.exit(0);
    }

    private static String metrics(String id, long from, long to) {
        return "/api/v1/servers/" + id + "/metrics?from=" + from + "&to=" + to;
    }

    private static HttpResponse<String> get(HttpClient http, Hub hub, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hub.base() + path)).header("Authorization", "Bearer " + hub.token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void time(HttpClient http, Hub hub, String db, String what, IntFunction<String> path, int queries) throws Exception {
        for (int i = 0; i < 10; i++) get(http, hub, path.apply(i));
        double[] ms = new double[queries];
        HttpResponse<String> last = null;
        for (int i = 0; i < queries; i++) {
            String p = path.apply(i);
            long t0 = System.nanoTime();
            last = get(http, hub, p);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        String tier = text(last.body(), "tier");
        int points = last.body().split("\"ts\":", -1).length - 1;
        System.out.printf("| %s | %s | p50 %.1f ms, **p95 %.1f ms**, max %.1f ms (HTTP %d%s, %d points) |%n", db, what, ms[queries / 2],
                ms[(int) Math.ceil(queries * 0.95) - 1], ms[queries - 1], last.statusCode(), tier.isEmpty() ? "" : ", tier " + tier, points);
    }

    /** The JSON object of one tier in the storage report (a flat object: no nesting inside it). */
    private static String tier(String json, String tier) {
        int i = json.indexOf("\"tier\":\"" + tier + "\"");
        if (i < 0) throw new IllegalStateException("no tier " + tier + " in " + json);
        return json.substring(json.lastIndexOf('{', i), json.indexOf('}', i) + 1);
    }

    private static long field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":");
        if (i < 0) return 0;
        int s = i + name.length() + 3;
        int e = s;
        while (e < json.length() && (Character.isDigit(json.charAt(e)) || json.charAt(e) == '-')) e++;
        return Long.parseLong(json.substring(s, e));
    }

    private static String text(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"");
        if (i < 0) return "";
        int s = i + name.length() + 4;
        return json.substring(s, json.indexOf('"', s));
    }
}
